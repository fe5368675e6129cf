// domains/rv6/user/sh: xv6's user/sh.c, the shell: reads a line (prompt "$ " on fd 2 when fd 0 is the
// console), parses it (parse.cs) and runs it; `cd dir` is done by the shell itself. It exits at the end
// of its input. `sh -c "line"` runs one line without a prompt and exits with the status of the line's
// last command (rv6's addition, what `redleaf rv6 -c` runs).
//
// rv6 has no fork: xv6's runcmd runs in a forked child and rearranges its own descriptors with
// close/dup/open before exec. Here the shell runs the tree itself and starts each program with Spawn,
// passing the descriptors the program should have as 0, 1, 2 (fds): a redirection opens its file
// and passes it in place of 0 or 1; a pipeline makes the pipe and passes its ends. A compound command
// that must run as a process of its own (a list or block inside a pipeline or in the background) is
// started as `sh -c "<its text>"`. Syntax errors are xv6's panic messages, but they end only the line
// (xv6's panic ends only the forked child too).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class Sh : UserProgram
{
    public Sh(ISyscalls sys) : base(sys) { }

    protected override int Main(string[] argv)
    {
        if (argv.Length >= 2 && argv[1] == "-c")
        {
            if (argv.Length != 3)
            {
                Fprintf(2, "usage: sh [-c command]\n");
                return 1;
            }
            return runline(argv[2]);
        }

        // Ensure that three file descriptors are open.
        int fd;
        while ((fd = Open("console", O_RDWR)) >= 0)
        {
            if (fd >= 3)
            {
                Close(fd);
                break;
            }
        }

        // Read and run input commands.
        bool prompt = Fstat(0, out var st) == 0 && st.Type == T_DEVICE;
        string? buf;
        while ((buf = getcmd(prompt)) != null) runline(buf);
        return 0;
    }

    private string? getcmd(bool prompt)
    {
        if (prompt) Write(2, "$ ");
        string buf = Gets(100);
        return buf.Length == 0 ? null : buf; // "" is the end of input
    }

    /// <summary>Runs one line: cd, or the parsed command. Its status.</summary>
    private int runline(string buf)
    {
        if (buf.StartsWith("cd ", StringComparison.Ordinal))
        {
            // Chdir must be called by the shell itself, not a child.
            string dir = buf[3..].TrimEnd('\n', '\r');
            if (Chdir(dir) < 0)
            {
                Fprintf(2, $"cannot cd {dir}\n");
                return 1;
            }
            return 0;
        }
        Cmd cmd;
        try
        {
            cmd = Parser.Parse(buf);
        }
        catch (SyntaxException e)
        {
            Fprintf(2, e.Message + "\n");
            return 1;
        }
        return runcmd(buf, cmd, new[] { 0, 1, 2 });
    }

    // runcmd: runs cmd to completion with fds as its 0, 1, 2; the status of its last command.
    private int runcmd(string line, Cmd cmd, int[] fds)
    {
        switch (cmd)
        {
            case ExecCmd ecmd:
                if (ecmd.Argv.Count == 0) return 1;
                int pid = exec(ecmd, fds);
                return pid < 0 ? 1 : WaitPid(pid);

            case RedirCmd rcmd:
            {
                int fd = Open(rcmd.File, rcmd.Mode);
                if (fd < 0)
                {
                    Fprintf(2, $"open {rcmd.File} failed\n");
                    return 1;
                }
                var rfds = (int[])fds.Clone();
                rfds[rcmd.Fd] = fd;
                int status = runcmd(line, rcmd.Cmd, rfds);
                Close(fd);
                return status;
            }

            case ListCmd lcmd:
                runcmd(line, lcmd.Left, fds);
                return runcmd(line, lcmd.Right, fds);

            case PipeCmd:
                return waitall(startcmd(line, cmd, fds));

            case BackCmd bcmd:
                startcmd(line, bcmd.Cmd, fds); // not waited for; a later wait reaps it
                return 0;

            default:
                Fprintf(2, "runcmd\n");
                return 1;
        }
    }

    // startcmd: starts cmd without waiting; the pids to wait for (none if it could not be started).
    private List<int> startcmd(string line, Cmd cmd, int[] fds)
    {
        var pids = new List<int>();
        switch (cmd)
        {
            case ExecCmd ecmd:
            {
                if (ecmd.Argv.Count == 0) break;
                int pid = exec(ecmd, fds);
                if (pid >= 0) pids.Add(pid);
                break;
            }

            case RedirCmd rcmd:
            {
                int fd = Open(rcmd.File, rcmd.Mode);
                if (fd < 0)
                {
                    Fprintf(2, $"open {rcmd.File} failed\n");
                    break;
                }
                var rfds = (int[])fds.Clone();
                rfds[rcmd.Fd] = fd;
                pids.AddRange(startcmd(line, rcmd.Cmd, rfds));
                Close(fd); // the children hold their own copies
                break;
            }

            case PipeCmd pcmd:
            {
                var p = new int[2];
                if (Pipe(p) < 0)
                {
                    Fprintf(2, "pipe\n");
                    break;
                }
                pids.AddRange(startcmd(line, pcmd.Left, new[] { fds[0], p[1], fds[2] }));
                pids.AddRange(startcmd(line, pcmd.Right, new[] { p[0], fds[1], fds[2] }));
                Close(p[0]);
                Close(p[1]);
                break;
            }

            case BackCmd bcmd:
                startcmd(line, bcmd.Cmd, fds);
                break;

            case ListCmd:
            {
                // A list must run its parts in order, in a process of its own: a shell.
                var argv = new[] { "sh", "-c", Parser.Text(line, cmd) };
                int pid = Spawn(argv, fds);
                if (pid < 0) Fprintf(2, "exec sh failed\n");
                else pids.Add(pid);
                break;
            }
        }
        return pids;
    }

    // exec: starts the program; xv6's "exec failed" message if there is no such program.
    private int exec(ExecCmd ecmd, int[] fds)
    {
        int pid = Spawn(ecmd.Argv, fds);
        if (pid < 0) Fprintf(2, $"exec {ecmd.Argv[0]} failed\n");
        return pid;
    }

    // waitall: waits for every pid of a pipeline; the status of the last one (the pipeline's status).
    private int waitall(List<int> pids)
    {
        var left = new HashSet<int>(pids);
        int status = 1;
        while (left.Count > 0)
        {
            int w = Wait(out int st);
            if (w < 0) break;
            if (!left.Remove(w)) continue; // a background job that ended meanwhile
            if (w == pids[^1]) status = st;
        }
        return status;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new Sh(sys);
}

// domains/rv6/user/usertests: tests of processes and pipes: spawn (rv6's fork+exec), exit statuses and
// wait, kill, reparenting to init, pipes and their ends, getpid, sleep and uptime (xv6's usertests.c
// names where xv6 has the test; the child's half of each xv6 fork is a helper, Helpers.cs).
namespace Domains.Rv6.User;

public sealed partial class UserTests
{
    /// <summary>Starts a process with its stdout on a fresh file (<paramref name="start"/> gets the fd and returns
    /// the pid), waits for it to exit 0, and returns what it wrote.</summary>
    private string stdoutOf(string file, Func<int, int> start, out int pid)
    {
        Unlink(file);
        int fd = Open(file, O_CREATE | O_WRONLY);
        if (fd < 0) fail("create failed");
        pid = start(fd);
        Close(fd);
        if (pid < 0) fail("spawn failed");
        int xstatus = WaitPid(pid);
        if (xstatus != 0) fail($"pid {pid} exited with {xstatus}");
        fd = Open(file, O_RDONLY);
        if (fd < 0) fail("open failed");
        var b = new byte[64];
        int n = ReadFull(fd, b);
        Close(fd);
        Unlink(file);
        return Domains.Rv6.Ulib.Str.FromBytes(b.AsSpan(0, Math.Max(n, 0)));
    }

    // a program started with its stdout on a file writes the file
    private void exectest(string s)
    {
        string got = stdoutOf("echo-ok", fd => Spawn(new[] { "echo", "OK" }, new[] { 0, fd, 2 }), out _);
        if (got != "OK\n") fail($"wrong output '{got}'");
    }

    // exec: a child replaces its program with getpid, which prints the child's own pid (the process, its
    // pid and its files stay; only the program changes); an exec of no program returns -1 and runs on
    private void execpid(string s)
    {
        if (Exec(new[] { "nonexistent-program" }) != -1) fail("exec of no program did not return -1");
        string got = stdoutOf("exec-pid", fd => helperWithFds(new[] { 0, fd, 2 }, "exec", "getpid"), out int pid).Trim();
        if (got != pid.ToString()) fail($"exec'd getpid printed '{got}', the child's pid is {pid}");
    }

    // a child writes a byte sequence into a pipe; the parent reads it in growing pieces
    private void pipe1(string s)
    {
        const int N = 5, SZ = 1033;
        var fds = new int[2];
        if (Pipe(fds) != 0) fail("pipe() failed");
        int pid = helperWithFds(new[] { 0, fds[1], 2 }, "pipe1");
        Close(fds[1]);
        int seq = 0, total = 0, cc = 1, n;
        while ((n = Read(fds[0], buf.AsSpan(0, cc))) > 0)
        {
            for (int i = 0; i < n; i++)
                if (buf[i] != (byte)seq++) fail("pipe1 oops 2");
            total += n;
            cc = Math.Min(cc * 2, BUFSZ);
        }
        Close(fds[0]);
        if (total != N * SZ) fail($"pipe1 oops 3 total {total}");
        int xstatus = WaitPid(pid);
        if (xstatus != 0) fail($"writer exited with {xstatus}");
    }

    // a killed child's status is -1
    private void killstatus(string s)
    {
        for (int i = 0; i < 10; i++)
        {
            int pid1 = helper("spin");
            Sleep(1);
            if (Kill(pid1) != 0) fail($"kill {pid1} failed");
            int w = Wait(out int xst);
            if (w != pid1) fail($"wait returned {w}, wanted {pid1}");
            if (xst != -1) fail($"status should be -1, was {xst}");
        }
    }

    // wait returns each child with its own exit status
    private void exitwait(string s)
    {
        for (int i = 0; i < 20; i++)
        {
            int pid = helper("exit", i.ToString());
            int w = Wait(out int xstate);
            if (w != pid) fail("wait wrong pid");
            if (xstate != i) fail($"wait wrong exit status {xstate}, wanted {i}");
        }
    }

    // a child that exits while its own child lives: the grandchild goes to init, not to us
    private void reparent(string s)
    {
        for (int i = 0; i < 20; i++)
        {
            int pid = helper("spawnsleeper");
            int w = Wait(out int st);
            if (w != pid) fail($"wait wrong pid {w}, wanted {pid}");
            if (st != 0) fail($"child exited with {st}");
        }
        int more = Wait();
        if (more >= 0) fail($"wait returned a grandchild ({more})");
    }

    // two children exiting at the same time
    private void twochildren(string s)
    {
        for (int i = 0; i < 20; i++)
        {
            int pid1 = helper("exit", "0"), pid2 = helper("exit", "0");
            int w1 = Wait(), w2 = Wait();
            if (!((w1 == pid1 && w2 == pid2) || (w1 == pid2 && w2 == pid1))) fail($"waits returned {w1} {w2}, wanted {pid1} {pid2}");
        }
        if (Wait() >= 0) fail("a third wait returned a child");
    }

    // many children at once, each waited for exactly once (xv6's forktest)
    private void spawntest(string s)
    {
        const int N = 25;
        var pids = new HashSet<int>();
        for (int i = 0; i < N; i++) pids.Add(helper("exit", "0"));
        if (pids.Count != N) fail("spawn returned the same pid twice");
        for (int i = 0; i < N; i++)
        {
            int w = Wait(out int st);
            if (w < 0) fail("wait stopped early");
            if (!pids.Remove(w)) fail($"wait returned {w}, not a child or a second time");
            if (st != 0) fail($"child exited with {st}");
        }
        if (Wait() != -1) fail("wait got too many");
    }

    // does exit release the working directory properly?
    private void exitiputtest(string s)
    {
        int xstatus = WaitPid(helper("exitiput"));
        if (xstatus != 0) fail($"child exited with {xstatus}");
        if (Stat("iputdir", out _) == 0) fail("iputdir still there");
    }

    // opening a directory for writing fails, even while it is being removed
    private void openiputtest(string s)
    {
        if (Mkdir("oidir") < 0) fail("mkdir oidir failed");
        int pid = helper("openiput");
        Sleep(1);
        int u = Unlink("oidir");
        int xstatus = WaitPid(pid);
        if (u != 0) fail("unlink failed");
        if (xstatus != 0) fail($"child exited with {xstatus}");
    }

    // end of file on a pipe once every write end is closed; a write with no reader fails
    private void pipeeof(string s)
    {
        var p = new int[2];
        if (Pipe(p) != 0) fail("pipe() failed");
        if (Write(p[1], "abc") != 3) fail("write to pipe failed");
        int d = Dup(p[1]);
        Close(p[1]);
        var b = new byte[16];
        if (Read(p[0], b) != 3 || b[0] != 'a' || b[2] != 'c') fail("read from pipe wrong");
        if (Write(d, "z") != 1) fail("write through a dup of the write end failed");
        Close(d);
        int n = Read(p[0], b);
        if (n != 1 || b[0] != 'z') fail($"read {n}, wanted the 1 byte left");
        if ((n = Read(p[0], b)) != 0) fail($"read {n} at end of pipe, wanted 0");
        Close(p[0]);

        if (Pipe(p) != 0) fail("pipe() failed");
        Close(p[0]);
        n = Write(p[1], "x");
        Close(p[1]);
        if (n != -1) fail($"write with no reader returned {n}, wanted -1");
    }

    // spawning a program that does not exist fails and makes no child
    private void spawnbad(string s)
    {
        if (Spawn(new[] { "nosuchprogram" }) >= 0) fail("spawn nosuchprogram succeeded");
        if (Spawn(new[] { "" }) >= 0) fail("spawn of an empty name succeeded");
        if (Wait() >= 0) fail("a failed spawn left a child");
    }

    // the fds a child gets must be open in the parent
    private void spawnbadfd(string s)
    {
        int fd = Open(".", O_RDONLY);
        Close(fd);
        foreach (var bad in new[] { 99, -1, fd })
        {
            int pid = Spawn(new[] { self, "-child", "exit", "0" }, new[] { 0, bad, 2 });
            if (pid >= 0)
            {
                WaitPid(pid);
                fail($"spawn with fd {bad} (not open) as the child's 1 succeeded");
            }
        }
    }

    private void waitnochild(string s)
    {
        int w = Wait(out _);
        if (w != -1) fail($"wait with no children returned {w}");
    }

    private void killnone(string s)
    {
        if (Kill(1234567) != -1) fail("kill of a pid that does not exist succeeded");
        if (Kill(-1) != -1) fail("kill(-1) succeeded");
    }

    // getpid is the pid spawn returned, and differs between processes
    private void getpidtest(string s)
    {
        int me = Getpid();
        if (me <= 0) fail($"getpid returned {me}");
        var p = new int[2];
        if (Pipe(p) != 0) fail("pipe() failed");
        int pid = helperWithFds(new[] { 0, p[1], 2 }, "getpid");
        Close(p[1]);
        var b = new byte[32];
        int n = ReadFull(p[0], b);
        Close(p[0]);
        WaitPid(pid);
        int told = Atoi(Domains.Rv6.Ulib.Str.FromBytes(b.AsSpan(0, Math.Max(n, 0))));
        if (told != pid) fail($"child says its pid is {told}, spawn said {pid}");
        if (told == me) fail("child has the parent's pid");
    }

    // sleep waits at least that many ticks of uptime
    private void sleepuptime(string s)
    {
        int t0 = Uptime();
        if (t0 < 0) fail("uptime failed");
        if (Sleep(0) != 0) fail("sleep(0) failed");
        if (Sleep(3) != 0) fail("sleep(3) failed");
        int t1 = Uptime();
        if (t1 - t0 < 3) fail($"slept {t1 - t0} ticks, wanted at least 3");
        if (t1 - t0 > 1000) fail($"slept {t1 - t0} ticks for 3");
    }
}

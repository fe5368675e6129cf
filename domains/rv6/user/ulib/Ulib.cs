// domains/rv6/user/ulib: xv6's user/ulib.c: the library routines that are not system calls (stat,
// gets, atoi; strlen, strcmp and memmove are C#'s own), plus the helpers rv6 programs share.
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Ulib;

public abstract partial class UserProgram
{
    /// <summary>xv6's stat(path, &st): open, fstat, close. 0, or -1.</summary>
    protected int Stat(string path, out Stat st)
    {
        int fd = Open(path, O_RDONLY);
        if (fd < 0) { st = default; return -1; }
        int r = Fstat(fd, out st);
        Close(fd);
        return r;
    }

    /// <summary>xv6's gets(buf, max): reads fd 0 one byte at a time, up to and including a '\n' or '\r', at
    /// most max-1 bytes; "" at end of input. (One byte a time so no input past the line is consumed.)</summary>
    protected string Gets(int max)
    {
        var line = new System.Text.StringBuilder();
        var c = _one;
        while (line.Length + 1 < max)
        {
            if (Read(0, c) < 1) break;
            line.Append((char)c[0]);
            if (c[0] == '\n' || c[0] == '\r') break;
        }
        return line.ToString();
    }

    private readonly byte[] _one = new byte[1];

    /// <summary>xv6's atoi: the leading decimal digits of <paramref name="s"/> (no sign), 0 if none.</summary>
    protected static int Atoi(string s)
    {
        int n = 0;
        foreach (char c in s)
        {
            if (c < '0' || c > '9') break;
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /// <summary>Reads until <paramref name="buf"/> is full or the file ends (pipes return what they have);
    /// the bytes read, or -1 if a read failed before any.</summary>
    protected int ReadFull(int fd, Span<byte> buf)
    {
        int total = 0;
        while (total < buf.Length)
        {
            int n = Read(fd, buf[total..]);
            if (n < 0) return total == 0 ? -1 : total;
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Runs argv with this process's 0, 1, 2 and waits for it (fork, exec, wait in one); the child's
    /// exit status, or -1 if it could not be started.</summary>
    protected int Run(IReadOnlyList<string> argv) => Run(argv, new[] { 0, 1, 2 });

    protected int Run(IReadOnlyList<string> argv, ReadOnlySpan<int> fds)
    {
        int pid = Spawn(argv, fds);
        return pid < 0 ? -1 : WaitPid(pid);
    }
}

// domains/rv6/user/grep: xv6's user/grep.c: prints the lines of each file (or fd 0) that match a
// pattern of Kernighan and Pike's little regular expressions (The Practice of Programming, ch. 9):
// ^ anchors at the start, $ at the end, . is any byte, c* any run of c. Lines are read 1024 bytes a
// buffer and matched as bytes; a position past the end reads as NUL, as C's strings do.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class Grep : UserProgram
{
    private readonly byte[] buf = new byte[1024];

    public Grep(ISyscalls sys) : base(sys) { }

    private void grep(byte[] pattern, int fd)
    {
        int n, m = 0;
        while ((n = Read(fd, buf.AsSpan(m, buf.Length - m - 1))) > 0)
        {
            m += n;
            int p = 0, q;
            while ((q = Array.IndexOf(buf, (byte)'\n', p, m - p)) >= 0)
            {
                if (match(pattern, buf.AsSpan(p, q - p).ToArray())) Write(1, buf.AsSpan(p, q + 1 - p));
                p = q + 1;
            }
            if (m > 0)
            {
                m -= p;
                Array.Copy(buf, p, buf, 0, m);
            }
        }
    }

    protected override int Main(string[] argv)
    {
        if (argv.Length <= 1)
        {
            Fprintf(2, "usage: grep pattern [file ...]\n");
            return 1;
        }
        var pattern = Str.Bytes(argv[1]);
        if (argv.Length <= 2)
        {
            grep(pattern, 0);
            return 0;
        }
        for (int i = 2; i < argv.Length; i++)
        {
            int fd = Open(argv[i], O_RDONLY);
            if (fd < 0)
            {
                Printf($"grep: cannot open {argv[i]}\n");
                return 1;
            }
            grep(pattern, fd);
            Close(fd);
        }
        return 0;
    }

    // The matcher works on (array, index) pairs where xv6 has char pointers; At reads NUL past the end.
    private static int At(byte[] s, int i) => i < s.Length ? s[i] : 0;

    private static bool match(byte[] re, byte[] text)
    {
        if (At(re, 0) == '^') return matchhere(re, 1, text, 0);
        int t = 0;
        do
        {   // must look at the empty string too
            if (matchhere(re, 0, text, t)) return true;
        } while (At(text, t++) != 0);
        return false;
    }

    // matchhere: search for re[r..] at the beginning of text[t..]
    private static bool matchhere(byte[] re, int r, byte[] text, int t)
    {
        if (At(re, r) == 0) return true;
        if (At(re, r + 1) == '*') return matchstar(At(re, r), re, r + 2, text, t);
        if (At(re, r) == '$' && At(re, r + 1) == 0) return At(text, t) == 0;
        if (At(text, t) != 0 && (At(re, r) == '.' || At(re, r) == At(text, t))) return matchhere(re, r + 1, text, t + 1);
        return false;
    }

    // matchstar: search for c*re[r..] at the beginning of text[t..]
    private static bool matchstar(int c, byte[] re, int r, byte[] text, int t)
    {
        do
        {   // a * matches zero or more instances
            if (matchhere(re, r, text, t)) return true;
        } while (At(text, t) != 0 && (At(text, t++) == c || c == '.'));
        return false;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new Grep(sys);
}

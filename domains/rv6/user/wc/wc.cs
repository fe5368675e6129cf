// domains/rv6/user/wc: xv6's user/wc.c: counts lines, words and bytes of each file (or fd 0) and prints
// "lines words chars name". A word is a run of bytes other than " \r\t\n\v" and NUL (xv6's strchr
// finds the terminating NUL too, so a NUL byte separates words there as well).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class Wc : UserProgram
{
    private readonly byte[] buf = new byte[512];

    public Wc(ISyscalls sys) : base(sys) { }

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\r' or (byte)'\t' or (byte)'\n' or (byte)'\v' or 0;

    private void wc(int fd, string name)
    {
        int n, l = 0, w = 0, c = 0;
        bool inword = false;
        while ((n = Read(fd, buf)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                c++;
                if (buf[i] == '\n') l++;
                if (IsSpace(buf[i])) inword = false;
                else if (!inword)
                {
                    w++;
                    inword = true;
                }
            }
        }
        if (n < 0)
        {
            Printf("wc: read error\n");
            Exit(1);
        }
        Printf($"{l} {w} {c} {name}\n");
    }

    protected override int Main(string[] argv)
    {
        if (argv.Length <= 1)
        {
            wc(0, "");
            return 0;
        }
        for (int i = 1; i < argv.Length; i++)
        {
            int fd = Open(argv[i], O_RDONLY);
            if (fd < 0)
            {
                Printf($"wc: cannot open {argv[i]}\n");
                return 1;
            }
            wc(fd, argv[i]);
            Close(fd);
        }
        return 0;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new Wc(sys);
}

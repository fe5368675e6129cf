// domains/rv6/user/cat: xv6's user/cat.c: copies each named file (or fd 0) to fd 1, 512 bytes a read.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class Cat : UserProgram
{
    private readonly byte[] buf = new byte[512];

    public Cat(ISyscalls sys) : base(sys) { }

    private void cat(int fd)
    {
        int n;
        while ((n = Read(fd, buf)) > 0)
        {
            if (Write(1, buf.AsSpan(0, n)) != n)
            {
                Fprintf(2, "cat: write error\n");
                Exit(1);
            }
        }
        if (n < 0)
        {
            Fprintf(2, "cat: read error\n");
            Exit(1);
        }
    }

    protected override int Main(string[] argv)
    {
        if (argv.Length <= 1)
        {
            cat(0);
            return 0;
        }
        for (int i = 1; i < argv.Length; i++)
        {
            int fd = Open(argv[i], O_RDONLY);
            if (fd < 0)
            {
                Fprintf(2, $"cat: cannot open {argv[i]}\n");
                return 1;
            }
            cat(fd);
            Close(fd);
        }
        return 0;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new Cat(sys);
}

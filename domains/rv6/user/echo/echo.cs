// domains/rv6/user/echo: xv6's user/echo.c: writes its arguments separated by spaces, then a newline.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class Echo : UserProgram
{
    public Echo(ISyscalls sys) : base(sys) { }

    protected override int Main(string[] argv)
    {
        for (int i = 1; i < argv.Length; i++)
        {
            Write(1, argv[i]);
            Write(1, i + 1 < argv.Length ? " " : "\n");
        }
        return 0;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new Echo(sys);
}

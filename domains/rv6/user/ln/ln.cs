// domains/rv6/user/ln: xv6's user/ln.c: ln old new gives the file old a second name.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class Ln : UserProgram
{
    public Ln(ISyscalls sys) : base(sys) { }

    protected override int Main(string[] argv)
    {
        if (argv.Length != 3)
        {
            Fprintf(2, "Usage: ln old new\n");
            return 1;
        }
        if (Link(argv[1], argv[2]) < 0) Fprintf(2, $"link {argv[1]} {argv[2]}: failed\n");
        return 0;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new Ln(sys);
}

// domains/rv6/user/rm: xv6's user/rm.c: removes each named file (or empty directory), stopping at the first that fails.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class Rm : UserProgram
{
    public Rm(ISyscalls sys) : base(sys) { }

    protected override int Main(string[] argv)
    {
        if (argv.Length < 2)
        {
            Fprintf(2, "Usage: rm files...\n");
            return 1;
        }
        for (int i = 1; i < argv.Length; i++)
        {
            if (Unlink(argv[i]) < 0)
            {
                Fprintf(2, $"rm: {argv[i]} failed to delete\n");
                break;
            }
        }
        return 0;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new Rm(sys);
}

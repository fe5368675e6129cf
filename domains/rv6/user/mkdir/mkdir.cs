// domains/rv6/user/mkdir: xv6's user/mkdir.c: makes each named directory, stopping at the first that fails.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class MkdirProgram : UserProgram
{
    public MkdirProgram(ISyscalls sys) : base(sys) { }

    protected override int Main(string[] argv)
    {
        if (argv.Length < 2)
        {
            Fprintf(2, "Usage: mkdir files...\n");
            return 1;
        }
        for (int i = 1; i < argv.Length; i++)
        {
            if (Mkdir(argv[i]) < 0)
            {
                Fprintf(2, $"mkdir: {argv[i]} failed to create\n");
                break;
            }
        }
        return 0;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new MkdirProgram(sys);
}

// domains/rv6/user/kill: xv6's user/kill.c: kills each pid named (atoi, as xv6: no sign, digits only).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class KillProgram : UserProgram
{
    public KillProgram(ISyscalls sys) : base(sys) { }

    protected override int Main(string[] argv)
    {
        if (argv.Length < 2)
        {
            Fprintf(2, "usage: kill pid...\n");
            return 1;
        }
        for (int i = 1; i < argv.Length; i++) Kill(Atoi(argv[i]));
        return 0;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new KillProgram(sys);
}

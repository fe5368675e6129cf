// domains/rv6/user/uptime: prints the clock ticks since boot (the uptime system call; xv6 has the
// call but no program for it, the labs add one).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class UptimeProgram : UserProgram
{
    public UptimeProgram(ISyscalls sys) : base(sys) { }

    protected override int Main(string[] argv)
    {
        int ticks = Uptime();
        if (ticks < 0)
        {
            Fprintf(2, "uptime: failed\n");
            return 1;
        }
        Printf($"{ticks}\n");
        return 0;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new UptimeProgram(sys);
}

// domains/rv6/user/sleep: sleep ticks: pauses for that many clock ticks (10 ms each). Not in xv6's
// user/ (it is the first exercise of the xv6 labs, util's sleep.c); written as that exercise asks.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class SleepProgram : UserProgram
{
    public SleepProgram(ISyscalls sys) : base(sys) { }

    protected override int Main(string[] argv)
    {
        if (argv.Length != 2)
        {
            Fprintf(2, "usage: sleep ticks\n");
            return 1;
        }
        return Sleep(Atoi(argv[1])) < 0 ? 1 : 0;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new SleepProgram(sys);
}

// domains/rv6/user/getpid: prints its own process id (the getpid system call; with `sh` this shows
// that every command is a new process, a new domain).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class GetpidProgram : UserProgram
{
    public GetpidProgram(ISyscalls sys) : base(sys) { }

    protected override int Main(string[] argv)
    {
        int pid = Getpid();
        if (pid < 0)
        {
            Fprintf(2, "getpid: failed\n");
            return 1;
        }
        Printf($"{pid}\n");
        return 0;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new GetpidProgram(sys);
}

// domains/rv6/user/init: xv6's user/init.c, the first process: makes sure the console device file exists
// and is open as fds 0, 1, 2, then runs the shell and reaps orphans (a process whose parent ended is
// given to init; each wait that is not the shell's is one of those).
//
// rv6's difference: xv6 restarts sh whenever it exits, forever. rv6's console can end (the host closes
// its input), and then sh exits with status 0; init then exits too instead of starting a shell that
// would find no input either, so the machine can be shut down. A shell that ended any other way (killed,
// crashed) is restarted as in xv6.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class Init : UserProgram
{
    private static readonly string[] argv = { "sh" };

    public Init(ISyscalls sys) : base(sys) { }

    protected override int Main(string[] args)
    {
        if (Open("console", O_RDWR) < 0)
        {
            Mknod("console", CONSOLE, 0);
            Open("console", O_RDWR);
        }
        Dup(0); // stdout
        Dup(0); // stderr

        for (;;)
        {
            Printf("init: starting sh\n");
            int pid = Spawn(argv, new[] { 0, 1, 2 });
            if (pid < 0)
            {
                Printf("init: exec sh failed\n");
                return 1;
            }

            for (;;)
            {
                // This wait returns when the shell exits, or when a parentless process exits.
                int wpid = Wait(out int status);
                if (wpid == pid)
                {
                    if (status == 0) return 0; // the shell's input ended (rv6: see the top of this file)
                    break;                      // the shell was killed or crashed: restart it
                }
                if (wpid < 0)
                {
                    Printf("init: wait returned an error\n");
                    return 1;
                }
                // It was a parentless process; do nothing.
            }
        }
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new Init(sys);
}

// domains/rv6/core: the domain's entry: the kernel grants the core the file system, the console
// driver, the program loader, and the right to restart the file system domain.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Core;

public static class Entry
{
    [DomainEntry]
    public static IRv6 Start(IFileSystem fs, IConsole console, IProgramLoader loader, RestartCapability fsRestart) =>
        new Rv6Core(fs, console, loader, fsRestart);
}

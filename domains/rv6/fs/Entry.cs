// domains/rv6/fs: the fs domain's entry (xv6's fsinit at the first process's start): the kernel grants
// it a block device; it mounts the file system there (superblock checked, log recovered) and exports
// IFileSystem. A foreign or damaged image makes the entry throw, with the reason, so the load fails
// and nothing half-mounted serves calls. Restarted after a crash, it mounts again: recovery finishes
// any transaction that had committed and discards any that had not.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Block;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Fs;

public static class Entry
{
    [DomainEntry]
    public static IFileSystem Start(IBlockDevice disk) => new FileSystem(disk);
}

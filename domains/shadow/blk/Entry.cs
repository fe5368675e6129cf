// domains/shadow/blk: the shadow's entry: granted the driver's export and the right to restart it.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Block;

namespace Domains.Shadow.Blk;

public static class Entry
{
    [DomainEntry]
    public static IBlockDevice Start(IBlockDevice driver, RestartCapability restart) => new BlkShadow(driver, restart);
}

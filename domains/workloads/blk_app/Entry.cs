// domains/workloads/blk_app: the application in its own domain, granted a block driver (or its shadow).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Interfaces.Block;

namespace Domains.Bench.BlkApp;

public static class Entry
{
    [DomainEntry]
    public static IBlkBench Start(IBlockDevice blk) => new BlkApp(blk);
}

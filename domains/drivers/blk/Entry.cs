// domains/drivers/blk: the domain's entry: the kernel grants it the NVMe device.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Block;

namespace Domains.Drivers.Blk;

public static class Entry
{
    [DomainEntry]
    public static IBlockDevice Start(DeviceAccess nvme) => new NvmeDriver(nvme);
}

// domains/workloads/blk_app_linked: the application with the NVMe driver linked in (link.txt), granted the
// device itself: the paper's "driver" configuration.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Bench.BlkApp;

public static class LinkedEntry
{
    [DomainEntry]
    public static IBlkBench Start(DeviceAccess nvme) => new BlkApp(new Domains.Drivers.Blk.NvmeDriver(nvme));
}

// domains/workloads/maglev_nic: the balancer with the NIC driver linked in (link.txt), granted the NIC
// itself: the paper's "driver" configuration (redleaf-driver in its Maglev row).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Workloads.Maglev;

public static class LinkedEntry
{
    [DomainEntry]
    public static IMaglevBench Start(DeviceAccess nic) => new MaglevApp(new Domains.Drivers.Nic.IxgbeDriver(nic));
}

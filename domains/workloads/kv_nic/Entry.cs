// domains/workloads/kv_nic: the key-value store with the NIC driver linked in (link.txt), granted the NIC
// itself: the paper's "driver" configuration.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Workloads.Kv;

public static class LinkedEntry
{
    [DomainEntry]
    public static IKvBench Start(DeviceAccess nic) => new KvApp(new Domains.Drivers.Nic.IxgbeDriver(nic));
}

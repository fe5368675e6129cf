// domains/workloads/net_app_nic: the application with the NIC driver linked in (link.txt), granted the NIC
// itself: the paper's "driver" configuration.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Bench.NetApp;

public static class LinkedEntry
{
    [DomainEntry]
    public static INetBench Start(DeviceAccess nic) => new NetApp(new Domains.Drivers.Nic.IxgbeDriver(nic));
}

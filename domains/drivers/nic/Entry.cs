// domains/drivers/nic: the domain's entry: the kernel grants it the NIC.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Net;

namespace Domains.Drivers.Nic;

public static class Entry
{
    [DomainEntry]
    public static INet Start(DeviceAccess nic) => new IxgbeDriver(nic);
}

// domains/shadow/net: the shadow's entry: granted the driver's export and the right to restart it.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Net;

namespace Domains.Shadow.Net;

public static class Entry
{
    [DomainEntry]
    public static INet Start(INet driver, RestartCapability restart) => new NetShadow(driver, restart);
}

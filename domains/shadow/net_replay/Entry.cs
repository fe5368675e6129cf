// domains/shadow/net_replay: the net shadow that also replays transmits (domains/shadow/net/NetShadow.cs, linked in:
// link.txt), granted the driver's export and the right to restart it. The key-value store's rows use it: a reply that
// died in the driver is re-sent from the shadow's copy.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Net;

namespace Domains.Shadow.Net;

public static class ReplayingEntry
{
    [DomainEntry]
    public static INet Start(INet driver, RestartCapability restart) => new NetShadow(driver, restart, replayTransmits: true);
}

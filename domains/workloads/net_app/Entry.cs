// domains/workloads/net_app: the application in its own domain, granted a network driver (or its shadow).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Interfaces.Net;

namespace Domains.Bench.NetApp;

public static class Entry
{
    [DomainEntry]
    public static INetBench Start(INet net) => new NetApp(net);
}

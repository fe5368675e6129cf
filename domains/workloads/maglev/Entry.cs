// domains/workloads/maglev: the balancer in its own domain, granted a network driver (or its shadow).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Net;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Workloads.Maglev;

public static class Entry
{
    [DomainEntry]
    public static IMaglevBench Start(INet net) => new MaglevApp(net);
}

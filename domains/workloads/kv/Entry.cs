// domains/workloads/kv: the key-value store in its own domain, granted a network driver (or its shadow).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Net;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Workloads.Kv;

public static class Entry
{
    [DomainEntry]
    public static IKvBench Start(INet net) => new KvApp(net);
}

// domains/workloads/net_app_nullnet: the application with nullnet linked in (link.txt): no crossing
// between them, the paper's "driver" configuration.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Bench.NetApp;

public static class LinkedEntry
{
    [DomainEntry]
    public static INetBench Start() => new NetApp(new Domains.Drivers.NullNet.NullNetDriver());
}

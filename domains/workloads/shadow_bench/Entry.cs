// domains/workloads/shadow_bench: entry point. Granted null_domain's IBench and the right to restart it;
// exports IBench (the shadow).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Bench.ShadowBench;

public static class Entry
{
    [DomainEntry]
    public static IBench Start(IBench callee, RestartCapability restart) => new BenchShadow(callee, restart);
}

// domains/workloads/null_domain: the callee of the call benchmarks (Table 1). It does as little as an
// implementation can, so what is measured is the crossing.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Bench.NullDomain;

public static class Entry
{
    [DomainEntry]
    public static IBench Start() => new NullBench();
}

internal sealed class NullBench : IBench
{
    public RpcResult Null() => RpcResult.Ok;

    public RpcResult<long> Arg(long x) => x;

    public RpcResult<RRef<Payload64>> Bounce(RRef<Payload64> r) => r;

    public RpcResult<long> Borrow(in RRef<Payload64> r) => r.Value[0];
}

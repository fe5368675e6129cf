// domains/workloads/crash_domain: the callee of Table 1's `proxy-crash` row (./redleaf bench calls): null_domain's
// twin whose Arg throws when its argument is negative, so a call of it crashes the domain the way a failing
// domain does (an exception escapes into its proxy, which turns it into a crash and an RpcError). A
// non-negative argument returns it: the benchmark calls Arg(1) on each fresh instance first, so the call it
// times does not include the JIT compiling this instance's Arg.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Bench.CrashDomain;

public static class Entry
{
    [DomainEntry]
    public static IBench Start() => new CrashingBench();
}

internal sealed class CrashingBench : IBench
{
    public RpcResult Null() => RpcResult.Ok;

    public RpcResult<long> Arg(long x) => x >= 0 ? x : throw new InvalidOperationException("crash_domain crashed on purpose (a negative argument)");

    public RpcResult<RRef<Payload64>> Bounce(RRef<Payload64> r) => r;

    public RpcResult<long> Borrow(in RRef<Payload64> r) => r.Value[0];
}

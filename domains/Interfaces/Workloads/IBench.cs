// domains/Interfaces/Workloads: what the call benchmarks (Table 1) call. Crash contract as for every
// domain interface: a crash in the callee comes back as an RpcError.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Workloads;

[DomainInterface]
public interface IBench
{
    /// <summary>An empty call.</summary>
    RpcResult Null();

    /// <summary>A call with one integer argument.</summary>
    RpcResult<long> Arg(long x);

    /// <summary>Moves one RRef in and straight back out (two ownership moves per call).</summary>
    RpcResult<RRef<Payload64>> Bounce(RRef<Payload64> r);

    /// <summary>Reads an immutably borrowed RRef.</summary>
    RpcResult<long> Borrow(in RRef<Payload64> r);
}

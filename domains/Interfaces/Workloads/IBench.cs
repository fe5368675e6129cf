// domains/Interfaces/Workloads: what the call benchmarks (Table 1) call. Crash contract as for every
// domain interface: a crash in the callee comes back as an RpcError.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Workloads;

/// <remarks>When the callee crashes (null_domain, the callee of `redleaf bench calls`), the call returns
/// RpcErrorKind.CalleeCrashed naming its instance (CalleeKilled if it was killed during the call); a
/// payload moved into Bounce is dropped with it, one lent to Borrow stays the caller's, and later calls
/// return NotRunning until the kernel restarts it. Through the shadow (domains/workloads/shadow_bench) the
/// caller sees no error: the shadow restarts the callee and replays the call (Bounce with a fresh
/// payload), and returns the last error only if the callee crashes on three replays in a row.</remarks>
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

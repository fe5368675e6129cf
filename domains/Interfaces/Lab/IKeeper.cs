// domains/Interfaces/Lab: the interfaces the notebooks' cell-defined domains serve. IKeeper is the
// tour's: plain calls, an RRef moved in and kept, and a crash on request.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;

namespace RedLeaf.Interfaces.Lab;

/// <remarks>When the callee crashes (Crash() does it on purpose), the call returns RpcErrorKind.CalleeCrashed
/// naming the instance (CalleeKilled after kernel.Kill); every payload it kept is dropped from the
/// shared heap, its code is unloaded, and later calls return NotRunning until kernel.Restart starts a
/// fresh instance (with nothing kept: Count starts again at zero).</remarks>
[DomainInterface]
public interface IKeeper
{
    /// <summary>a + b: a call with plain arguments.</summary>
    RpcResult<long> Add(long a, long b);

    /// <summary>Takes ownership of the payload and keeps it; returns how many it now keeps.</summary>
    RpcResult<long> Keep(RRef<Payload> payload);

    /// <summary>How many payloads it keeps.</summary>
    RpcResult<long> Count();

    /// <summary>Throws: the domain crashes while owning what it kept.</summary>
    RpcResult Crash();
}

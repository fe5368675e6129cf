// domains/Interfaces/Test: an object that crosses a domain boundary by reference (through a proxy).
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Test;

/// <remarks>When the callee crashes (the domain that made the counter, e.g. dom_b's NewCounter), the call
/// returns RpcErrorKind.CalleeCrashed (CalleeKilled after a kill), and the proxy the caller holds is
/// unbound for good: later calls return NotRunning even after that domain is restarted, since only a
/// domain's entry export is rebound to its new instance.</remarks>
[DomainInterface]
public interface ICounter
{
    /// <summary>Adds one; returns the new value. Crash contract as for every domain interface.</summary>
    RpcResult<long> Next();
}

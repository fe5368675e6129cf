// domains/Interfaces/Test: what every hostile test domain exports (the hostile suite, tests under tests/RedLeaf.Tests/os): one
// method that tries its trick. Crash contract as for every domain interface: if the trick is caught
// at run time the caller gets CalleeCrashed (or CalleeKilled after a kill) and carries on.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Test;

/// <remarks>When the callee crashes (its trick is caught at run time: a failed check, a runaway loop
/// killed), the caller gets RpcErrorKind.CalleeCrashed (CalleeKilled after a kill: host code waits at
/// most 50 ms more, HostCall.KillGrace, even if the domain is stuck in a long base-library call), the domain is unloaded with everything
/// it held, and the caller carries on; later calls return NotRunning.</remarks>
[DomainInterface]
public interface IHostile
{
    /// <summary>Tries the domain's trick; returns a number it computed if it survives.</summary>
    RpcResult<long> Run(long argument);
}

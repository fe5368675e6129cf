// domains/Interfaces/Test: a domain that works on a kernel thread (see domains/test/dom_worker).
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Test;

/// <remarks>When the callee crashes (dom_worker), the caller gets RpcErrorKind.CalleeCrashed (CalleeKilled
/// after a kill); the kernel threads it spawned are released and leave its code at their next check,
/// and later calls return NotRunning until it is restarted. A crash of dom_b under the worker thread is
/// the worker's to see, not its caller's.</remarks>
[DomainInterface]
public interface IWorker
{
    /// <summary>Spawns a thread that makes <paramref name="calls"/> calls to dom_b; returns the thread id.
    /// Crash contract as for every domain interface.</summary>
    RpcResult<long> StartWorker(long calls);

    /// <summary>Calls the worker thread has completed so far.</summary>
    RpcResult<long> Progress();
}

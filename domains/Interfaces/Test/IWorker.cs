// domains/Interfaces/Test: a domain that works on a kernel thread (see domains/test/dom_worker).
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Test;

[DomainInterface]
public interface IWorker
{
    /// <summary>Spawns a thread that makes <paramref name="calls"/> calls to dom_b; returns the thread id.
    /// Crash contract as for every domain interface.</summary>
    RpcResult<long> StartWorker(long calls);

    /// <summary>Calls the worker thread has completed so far.</summary>
    RpcResult<long> Progress();
}

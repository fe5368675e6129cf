// domains/Interfaces/Test: the callee test domain, in the spirit of RedLeaf's dom_b. Each method
// exercises one thing a proxy must do. Failure contract (every domain interface): if dom_b throws or
// fails a runtime check during a call, the caller gets RpcErrorKind.CalleeCrashed, dom_b is unloaded
// and everything it owned is dropped; later calls get NotRunning until it is restarted.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Test;

/// <remarks>When the callee crashes (dom_b throws or fails a runtime check: Crash, CrashHolding,
/// WriteBorrowed), the caller gets RpcErrorKind.CalleeCrashed (CalleeKilled after a kill); dom_b is
/// unloaded and everything it owned is dropped, RRefs moved into the failing call included, while
/// payloads lent with `in` stay the caller's; counters it handed out stop answering; later calls get
/// NotRunning until it is restarted (Calls starts again at zero).</remarks>
[DomainInterface]
public interface IDomB
{
    /// <summary>Does nothing: the cost of the crossing itself.</summary>
    RpcResult Null();

    RpcResult<long> Add(long a, long b);

    /// <summary>Takes ownership of <paramref name="p"/> and keeps it; returns A + B.</summary>
    RpcResult<long> Keep(RRef<Payload> p);

    /// <summary>Allocates a new payload and moves it to the caller.</summary>
    RpcResult<RRef<Payload>> Produce(long a, long b);

    /// <summary>Reads a borrowed payload (the caller keeps ownership).</summary>
    RpcResult<long> Inspect(in RRef<Payload> p);

    /// <summary>Tries to write a borrowed payload: an ownership violation, so dom_b crashes.</summary>
    RpcResult WriteBorrowed(in RRef<Payload> p);

    /// <summary>Takes a nested pair, keeps it, returns Left.A + Right.A.</summary>
    RpcResult<long> KeepPair(RRef<Pair> pair);

    /// <summary>Drops everything kept so far; returns how many roots it dropped.</summary>
    RpcResult<long> DropKept();

    /// <summary>Moves a batch in and back out, adding one to each payload's A.</summary>
    RpcResult<RRefDeque<RRef<Payload>>> Bump(RRefDeque<RRef<Payload>> batch);

    /// <summary>Takes a batch and keeps it whole (the payloads stay inside); returns how many it holds.</summary>
    RpcResult<long> KeepBatch(RRefDeque<RRef<Payload>> batch);

    /// <summary>Moves a batch of pairs in and back out, swapping each pair's Left and Right (a deque whose
    /// elements hold RRefs that hold RRefs: moved by walking the whole tree).</summary>
    RpcResult<RRefDeque<RRef<Pair>>> SwapPairs(RRefDeque<RRef<Pair>> batch);

    /// <summary>Throws: a crash in the callee.</summary>
    RpcResult Crash();

    /// <summary>Keeps the pair, allocates more, then throws: a crash while owning nested RRefs.</summary>
    RpcResult CrashHolding(RRef<Pair> pair);

    /// <summary>Calls since this instance started (restarts begin again at zero).</summary>
    RpcResult<long> Calls();

    /// <summary>Returns a counter object that lives in dom_b (the caller gets a proxy to it).</summary>
    RpcResult<ICounter> NewCounter(long start);

    /// <summary>Calls the given counter (an object of the caller's) n times; returns its last value.</summary>
    RpcResult<long> Drive(ICounter counter, long n);
}

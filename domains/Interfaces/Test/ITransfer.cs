// domains/Interfaces/Test: calls that take more than one RRef, for the hostile suite's checks that a
// proxy undoes what it did to the first arguments when a later one fails its check (os/README.md,
// "What isolation guarantees", class 7) and that a callee's exception never runs as its caller.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Test;

/// <remarks>When the callee crashes, the caller gets RpcErrorKind.CalleeCrashed (CalleeKilled after a kill):
/// payloads moved in (a, b, the batch) are dropped with the callee, lent ones stay the caller's, and
/// later calls return NotRunning. A later argument that fails its check is not a crash of the callee:
/// the proxy moves back what it had already moved and the OwnershipViolationException is thrown in
/// the caller, with the callee never entered.</remarks>
[DomainInterface]
public interface ITransfer
{
    /// <summary>Takes both payloads; returns a.A + b.A. Crash contract as for every domain interface.</summary>
    RpcResult<long> Both(RRef<Payload> a, RRef<Payload> b);
    /// <summary>Reads the lent payload, takes the other; returns a.A + b.A.</summary>
    RpcResult<long> LendThenMove(in RRef<Payload> a, RRef<Payload> b);
    /// <summary>Takes the first payload, reads the lent one; returns a.A + b.A.</summary>
    RpcResult<long> MoveThenLend(RRef<Payload> a, in RRef<Payload> b);
    /// <summary>Reads both lent payloads; returns a.A + b.A.</summary>
    RpcResult<long> LendBoth(in RRef<Payload> a, in RRef<Payload> b);
    /// <summary>Takes a batch and a payload; returns how many payloads it now holds.</summary>
    RpcResult<long> BatchThenOne(RRefDeque<RRef<Payload>> batch, RRef<Payload> b);
    /// <summary>Takes a payload and calls the given counter once; returns the counter's value.</summary>
    RpcResult<long> MoveThenCounter(RRef<Payload> a, ICounter counter);
    /// <summary>Reads a lent payload; returns its A.</summary>
    RpcResult<long> Peek(in RRef<Payload> a);
}

// domains/Interfaces/Lab: homework 2's interface ("pass data without copying and prove it"). Fill
// takes a buffer by move and must hand the same buffer back; Sum reads a buffer it only borrows.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Lab;

/// <remarks>When the callee crashes (the student's domain), the call returns RpcErrorKind.CalleeCrashed
/// (CalleeKilled after a kill: host code, a notebook cell, waits at most 50 ms more, HostCall.KillGrace,
/// even if the domain is stuck in a long call): the buffer moved into Fill is dropped with the domain,
/// the one lent to Sum stays the caller's, and later calls return NotRunning until the domain is
/// restarted (kernel.Restart).</remarks>
[DomainInterface]
public interface IBuffers
{
    /// <summary>Sets every element to <paramref name="value"/> and moves the buffer back to the caller.</summary>
    RpcResult<RRefArray<long>> Fill(RRefArray<long> buffer, long value);

    /// <summary>The sum of the elements of a borrowed buffer (the caller keeps it).</summary>
    RpcResult<long> Sum(in RRefArray<long> buffer);
}

// domains/Interfaces/Lab: homework 2's interface ("pass data without copying and prove it"). Fill
// takes a buffer by move and must hand the same buffer back; Sum reads a buffer it only borrows.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Lab;

[DomainInterface]
public interface IBuffers
{
    /// <summary>Sets every element to <paramref name="value"/> and moves the buffer back to the caller.</summary>
    RpcResult<RRefArray<long>> Fill(RRefArray<long> buffer, long value);

    /// <summary>The sum of the elements of a borrowed buffer (the caller keeps it).</summary>
    RpcResult<long> Sum(in RRefArray<long> buffer);
}

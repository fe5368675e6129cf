// domains/Interfaces/Lab: homework 1's interface ("write a domain"): a stack of numbers kept inside
// the student's domain.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Lab;

/// <remarks>When the callee crashes (the student's domain), the call returns RpcErrorKind.CalleeCrashed
/// (CalleeKilled after a kill), the values on the stack are lost with the domain, and later calls return
/// NotRunning until the domain is restarted (kernel.Restart), which starts with an empty stack.</remarks>
[DomainInterface]
public interface IStack
{
    /// <summary>Pushes a value.</summary>
    RpcResult Push(long value);

    /// <summary>Pops the most recently pushed value; -1 when empty.</summary>
    RpcResult<long> Pop();

    /// <summary>How many values are on the stack.</summary>
    RpcResult<long> Count();
}

// domains/Interfaces/Test: an object that crosses a domain boundary by reference (through a proxy).
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Test;

[DomainInterface]
public interface ICounter
{
    /// <summary>Adds one; returns the new value. Crash contract as for every domain interface.</summary>
    RpcResult<long> Next();
}

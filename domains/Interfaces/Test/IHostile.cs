// domains/Interfaces/Test: what every hostile test domain exports (the hostile suite, tests under tests/RedLeaf.Tests/os): one
// method that tries its trick. Crash contract as for every domain interface: if the trick is caught
// at run time the caller gets CalleeCrashed (or CalleeKilled after a kill) and carries on.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Test;

[DomainInterface]
public interface IHostile
{
    /// <summary>Tries the domain's trick; returns a number it computed if it survives.</summary>
    RpcResult<long> Run(long argument);
}

// domains/Interfaces/Lab: homework 3's interface ("make a driver survive crashes with a shadow"): a
// small device driver with a plain call and a call that takes a buffer by move and hands it back.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Lab;

[DomainInterface]
public interface ISensor
{
    /// <summary>The current value of a channel.</summary>
    RpcResult<long> Read(long channel);

    /// <summary>Fills the buffer with one sample per element and moves it back to the caller.</summary>
    RpcResult<RRefArray<long>> Sample(RRefArray<long> buffer);
}

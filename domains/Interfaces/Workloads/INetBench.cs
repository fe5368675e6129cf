// domains/Interfaces/Workloads: the network benchmark application (`redleaf bench net`). It runs its loop
// inside its domain, so the only crossings measured are its own calls to the driver.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Workloads;

[DomainInterface]
public interface INetBench
{
    /// <summary>Allocates the application's buffers: batches of <paramref name="batch"/>, and
    /// <paramref name="receiveBuffers"/> more handed to the driver for receiving (0 for transmit-only).</summary>
    RpcResult Setup(int batch, int receiveBuffers);

    /// <summary>Transmits batches (the completed buffers are sent again) until at least <paramref name="packets"/>
    /// were sent; returns how many.</summary>
    RpcResult<long> Transmit(long packets);

    /// <summary>Receives batches and transmits each back out until at least <paramref name="packets"/> were
    /// forwarded; returns how many.</summary>
    RpcResult<long> Forward(long packets);
}

// domains/Interfaces/Workloads: the network benchmark application (`redleaf bench net`). It runs its loop
// inside its domain, so the only crossings measured are its own calls to the driver.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Workloads;

/// <remarks>When the callee crashes (the application, domains/workloads/net_app), the harness gets
/// RpcErrorKind.CalleeCrashed (CalleeKilled after a kill) and the suite fails naming the last crash;
/// the batches and receive buffers Setup allocated are reclaimed with the application. If the network
/// driver below it crashes instead, Transmit and Forward return the driver's RpcError as their own (its
/// DomainId names the driver), unless a shadow between them (domains/shadow/net) hides the crash.</remarks>
[DomainInterface]
public interface INetBench
{
    /// <summary>Allocates the application's buffers: batches of <paramref name="batch"/>, and
    /// <paramref name="receiveBuffers"/> more handed to the driver for receiving (0 for transmit-only). Called
    /// again, it frees the batch it replaces.</summary>
    RpcResult Setup(int batch, int receiveBuffers);

    /// <summary>Transmits batches (the completed buffers are sent again) until at least <paramref name="packets"/>
    /// were sent; returns how many.</summary>
    RpcResult<long> Transmit(long packets);

    /// <summary>Receives batches and transmits each back out until at least <paramref name="packets"/> were
    /// forwarded; returns how many.</summary>
    RpcResult<long> Forward(long packets);
}

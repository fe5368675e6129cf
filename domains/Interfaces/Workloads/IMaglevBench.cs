// domains/Interfaces/Workloads: the Maglev load balancer of `redleaf bench apps` (domains/workloads/maglev):
// it receives frames from a network driver in batches, picks each flow's backend (connection table first,
// Maglev's lookup table on a miss), rewrites the frame's destination to that backend and transmits it. Its
// loop runs inside its domain, so the only crossings measured are its own calls to the driver.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Workloads;

/// <remarks>When the callee crashes (the balancer), the harness gets RpcErrorKind.CalleeCrashed
/// (CalleeKilled after a kill) and the suite fails naming the last crash; its tables and the buffers Setup
/// allocated are reclaimed with it. If the network driver below it crashes instead, Forward returns the
/// driver's RpcError as its own (its DomainId names the driver), unless a shadow between them
/// (domains/shadow/net) hides the crash.</remarks>
[DomainInterface]
public interface IMaglevBench
{
    /// <summary>Builds the Maglev table over <paramref name="backends"/> backends (named "backend-0",
    /// "backend-1", ...), empties the connection table, and allocates batches of <paramref name="batch"/> and
    /// <paramref name="receiveBuffers"/> buffers handed to the driver for receiving.</summary>
    RpcResult Setup(int batch, int receiveBuffers, int backends);

    /// <summary>Receives, balances and transmits batches until at least <paramref name="packets"/> frames
    /// were forwarded; returns how many.</summary>
    RpcResult<long> Forward(long packets);

    /// <summary>Takes backend <paramref name="backend"/> out: the Maglev table is built again without it and
    /// the connections it served are forgotten; connections to the other backends stay where they are.</summary>
    RpcResult RemoveBackend(int backend);

    /// <summary>Connections the connection table tracks now.</summary>
    RpcResult<long> Connections();
}

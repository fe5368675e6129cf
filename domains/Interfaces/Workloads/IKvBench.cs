// domains/Interfaces/Workloads: the key-value store of `redleaf bench apps` (domains/workloads/kv): it receives
// GET/SET requests in UDP frames from a network driver in batches, serves them from its table and transmits
// each reply in the frame that carried the request. Its loop runs inside its domain, so the only crossings
// measured are its own calls to the driver.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Workloads;

/// <remarks>When the callee crashes (the store), the harness gets RpcErrorKind.CalleeCrashed and its table
/// is reclaimed with it. If the network driver below it crashes instead, Serve returns the driver's RpcError
/// as its own, unless a shadow between them (domains/shadow/net) hides the crash.</remarks>
[DomainInterface]
public interface IKvBench
{
    /// <summary>Empties the store into a table of <paramref name="partitions"/> partitions of
    /// <paramref name="slotsPerPartition"/> slots (powers of two), and allocates batches of <paramref name="batch"/> and
    /// <paramref name="receiveBuffers"/> buffers handed to the driver for receiving.</summary>
    RpcResult Setup(int batch, int receiveBuffers, int partitions, int slotsPerPartition);

    /// <summary>Receives, answers and transmits batches until at least <paramref name="requests"/> requests were
    /// served; returns how many.</summary>
    RpcResult<long> Serve(long requests);

    /// <summary>Keys the store holds now.</summary>
    RpcResult<long> Stored();
}

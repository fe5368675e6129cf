// domains/Interfaces/Workloads: the block benchmark application (`redleaf bench blk`): sequential batches
// of requests to the block driver, from inside its domain.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Workloads;

/// <remarks>When the callee crashes (the application, domains/workloads/blk_app), the harness gets
/// RpcErrorKind.CalleeCrashed (CalleeKilled after a kill) and the suite fails naming the last crash;
/// the requests and buffers Setup allocated are reclaimed with the application. If the block driver
/// below it crashes instead, Run returns the driver's RpcError as its own (its DomainId names the
/// driver), unless a shadow between them (domains/shadow/blk) hides the crash.</remarks>
[DomainInterface]
public interface IBlkBench
{
    /// <summary>Allocates a batch of <paramref name="batch"/> requests with one block-sized buffer each.</summary>
    RpcResult Setup(int batch);

    /// <summary>Reads or writes <paramref name="requests"/> blocks (rounded up to whole batches) in order,
    /// wrapping at the end of the device; returns requests completed without error.</summary>
    RpcResult<long> Run(long requests, bool write);
}

// domains/Interfaces/Workloads: the block benchmark application (`redleaf bench blk`): sequential batches
// of requests to the block driver, from inside its domain.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Workloads;

[DomainInterface]
public interface IBlkBench
{
    /// <summary>Allocates a batch of <paramref name="batch"/> requests with one block-sized buffer each.</summary>
    RpcResult Setup(int batch);

    /// <summary>Reads or writes <paramref name="requests"/> blocks (rounded up to whole batches) in order,
    /// wrapping at the end of the device; returns requests completed without error.</summary>
    RpcResult<long> Run(long requests, bool write);
}

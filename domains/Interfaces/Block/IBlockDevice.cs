// domains/Interfaces/Block: a block device driver. Single-block calls as a file system makes them
// (reads move a buffer in and back out; writes lend theirs, immutably, so a shadow can replay them),
// and submit-and-poll batches. Failure contract: a crash of the driver during a call comes back as
// RpcErrorKind.CalleeCrashed (or CalleeKilled), and buffers moved into it are gone; through a shadow
// (domains/shadow/blk) the caller sees no error at all.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Block;

/// <remarks>When the callee crashes (the driver, domains/drivers/blk), the call returns
/// RpcErrorKind.CalleeCrashed (CalleeKilled after a kill) and later calls NotRunning until it is
/// restarted: a buffer moved into Read or a batch moved into SubmitAndPoll is gone (the kernel resets
/// the device before it frees them), a buffer or batch lent to Write or WriteBatch stays the caller's.
/// Through the shadow (domains/shadow/blk) the caller sees no error: it restarts the driver and replays
/// the call (lent arguments as they are, moved ones reallocated), and returns the last error only if
/// the driver crashes on three replays in a row.</remarks>
[DomainInterface]
public interface IBlockDevice
{
    /// <summary>Bytes per block.</summary>
    RpcResult<int> BlockSize();

    /// <summary>Blocks on the device.</summary>
    RpcResult<long> BlockCount();

    /// <summary>Reads one block into <paramref name="buffer"/> (moved in, moved back).</summary>
    RpcResult<RRefArray<byte>> Read(long block, RRefArray<byte> buffer);

    /// <summary>Writes one block from <paramref name="data"/>, lent for the call. Returns the status (0: done).</summary>
    RpcResult<int> Write(long block, in RRefArray<byte> data);

    /// <summary>Submits every request (all reads or all writes) and returns them completed, each with its Status.</summary>
    RpcResult<RRefDeque<BlockRequest>> SubmitAndPoll(RRefDeque<BlockRequest> requests, bool write);

    /// <summary>Writes every request of a lent batch (the caller keeps it); returns how many succeeded.</summary>
    RpcResult<long> WriteBatch(in RRefDeque<BlockRequest> requests);
}

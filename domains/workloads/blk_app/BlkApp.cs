// domains/workloads/blk_app: the block benchmark application: one batch of requests whose buffers move to
// the driver and back, resubmitted for the next blocks in order (wrapping at the end of the device).
// The driver is a proxy (blk_app) or linked in (blk_app_linked).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Interfaces.Block;

namespace Domains.Bench.BlkApp;

public sealed class BlkApp : IBlkBench
{
    private readonly IBlockDevice _blk;
    private RRefDeque<BlockRequest> _batch;
    private long _next, _blocks;

    public BlkApp(IBlockDevice blk) => _blk = blk;

    public RpcResult Setup(int batch)
    {
        var size = _blk.BlockSize();
        var count = _blk.BlockCount();
        if (!size.IsOk) return size.Error;
        if (!count.IsOk) return count.Error;
        _blocks = count.Value;
        _batch = RRefDeque<BlockRequest>.New(batch);
        for (int i = 0; i < batch; i++) _batch.TryPushBack(new BlockRequest { Blocks = 1, Tag = i, Data = RRefArray<byte>.New(size.Value) });
        return RpcResult.Ok;
    }

    public RpcResult<long> Run(long requests, bool write)
    {
        long done = 0;
        var q = _batch;
        while (done < requests)
        {
            int n = q.Count;
            for (int i = 0; i < n; i++)
            {
                q.TryPopFront(out var r);
                r.Block = _next;
                r.Status = 0;
                _next = _next + 1 == _blocks ? 0 : _next + 1;
                q.TryPushBack(r);
            }
            var result = _blk.SubmitAndPoll(q, write);
            if (!result.IsOk) return result.Error;
            q = result.Value;
            for (int i = 0; i < n; i++) if (q[i].Status == 0) done++;
        }
        _batch = q;
        return done;
    }
}

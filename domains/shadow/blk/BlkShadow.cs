// domains/shadow/blk: the shadow of the block driver (RedLeaf's shadow domains, after Swift's shadow
// drivers). Clients call it exactly as they would call the driver; it forwards every call and, when
// the driver crashes, restarts it (through the RestartCapability the kernel granted, which
// re-initialises the device) and replays the call, so the client sees no error:
//  - lent arguments (writes) are replayed as they are: the client still owns them;
//  - moved buffers (reads) died with the driver: the shadow allocates new ones of the same size and
//    replays into those; for batches it keeps each request's metadata (never its data) to rebuild it;
//  - a call refused before it entered the driver (NotRunning) still has its arguments: replayed as is.
// A call that keeps crashing a freshly restarted driver (MaxReplays times) is given up: its error is
// returned, so a dead device cannot loop the shadow forever.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Block;

namespace Domains.Shadow.Blk;

public sealed class BlkShadow : IBlockDevice
{
    private const int MaxReplays = 3;
    private readonly IBlockDevice _driver;
    private readonly RestartCapability _restart;
    private BlockRequest[] _log = new BlockRequest[32];
    private int[] _sizes = new int[32];

    public BlkShadow(IBlockDevice driver, RestartCapability restart)
    {
        _driver = driver;
        _restart = restart;
    }

    public RpcResult<int> BlockSize()
    {
        for (int attempt = 0; ; attempt++)
        {
            var r = _driver.BlockSize();
            if (r.IsOk || attempt == MaxReplays) return Done(r, attempt);
            _restart.Restart();
        }
    }

    public RpcResult<long> BlockCount()
    {
        for (int attempt = 0; ; attempt++)
        {
            var r = _driver.BlockCount();
            if (r.IsOk || attempt == MaxReplays) return Done(r, attempt);
            _restart.Restart();
        }
    }

    public RpcResult<RRefArray<byte>> Read(long block, RRefArray<byte> buffer)
    {
        int size = buffer.Length;
        for (int attempt = 0; ; attempt++)
        {
            var r = _driver.Read(block, buffer);
            if (r.IsOk || attempt == MaxReplays) return Done(r, attempt);
            if (r.Error.Kind != RpcErrorKind.NotRunning) buffer = RRefArray<byte>.New(size); // moved in, died there
            _restart.Restart();
        }
    }

    public RpcResult<int> Write(long block, in RRefArray<byte> data)
    {
        for (int attempt = 0; ; attempt++)
        {
            var r = _driver.Write(block, in data); // lent: after a crash it is still the client's, replay as is
            if (r.IsOk || attempt == MaxReplays) return Done(r, attempt);
            _restart.Restart();
        }
    }

    public RpcResult<long> WriteBatch(in RRefDeque<BlockRequest> requests)
    {
        for (int attempt = 0; ; attempt++)
        {
            var r = _driver.WriteBatch(in requests);
            if (r.IsOk || attempt == MaxReplays) return Done(r, attempt);
            _restart.Restart();
        }
    }

    public RpcResult<RRefDeque<BlockRequest>> SubmitAndPoll(RRefDeque<BlockRequest> requests, bool write)
    {
        if (write)
        {
            // Writes are lent to the driver (WriteBatch), so a crash leaves them with us to replay.
            var n = WriteBatch(in requests);
            if (!n.IsOk) return n.Error;
            if (n.Value != requests.Count) return WriteOneByOne(requests);
            return requests;
        }
        int count = Remember(requests);
        int capacity = requests.Capacity;
        for (int attempt = 0; ; attempt++)
        {
            var r = _driver.SubmitAndPoll(requests, false);
            if (r.IsOk || attempt == MaxReplays) return Done(r, attempt);
            if (r.Error.Kind != RpcErrorKind.NotRunning) requests = Rebuild(count, capacity); // the batch died with the driver
            _restart.Restart();
        }
    }

    /// <summary>Some writes of a batch failed: write each alone to learn which (statuses go into the requests).</summary>
    private RpcResult<RRefDeque<BlockRequest>> WriteOneByOne(RRefDeque<BlockRequest> requests)
    {
        int count = requests.Count;
        for (int i = 0; i < count; i++)
        {
            requests.TryPopFront(out var q);
            var w = Write(q.Block, in q.Data);
            if (!w.IsOk) return w.Error;
            q.Status = w.Value;
            requests.TryPushBack(q);
        }
        return requests;
    }

    /// <summary>Keeps what is needed to rebuild each request (never its data): block, count, tag, buffer size.</summary>
    private int Remember(RRefDeque<BlockRequest> requests)
    {
        int count = requests.Count;
        if (_log.Length < count)
        {
            _log = new BlockRequest[count];
            _sizes = new int[count];
        }
        for (int i = 0; i < count; i++)
        {
            requests.TryPopFront(out var q);
            _sizes[i] = q.Data.Length;
            _log[i] = new BlockRequest { Block = q.Block, Blocks = q.Blocks, Tag = q.Tag };
            requests.TryPushBack(q);
        }
        return count;
    }

    private RRefDeque<BlockRequest> Rebuild(int count, int capacity)
    {
        var fresh = RRefDeque<BlockRequest>.New(capacity);
        for (int i = 0; i < count; i++)
        {
            var q = _log[i];
            q.Data = RRefArray<byte>.New(_sizes[i]);
            fresh.TryPushBack(q);
        }
        return fresh;
    }

    private RpcResult<T> Done<T>(RpcResult<T> r, int attempt)
    {
        if (attempt > 0 && r.IsOk) _restart.Recovered();
        return r;
    }
}

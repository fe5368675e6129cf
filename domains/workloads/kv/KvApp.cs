// domains/workloads/kv: a MICA-like key-value store as a domain. Requests (KvFrame: GET or SET, 8-byte keys,
// values up to 64 bytes) come from the network driver in batches (its receive call fills the deque it is
// given); each is served from the partitioned open-addressing table (KvTable), its reply written into the
// same frame (addresses swapped, status, the value for a GET) and the batch goes back to the driver to
// transmit (an empty buffer among the requests, which a net shadow hands back after a driver crash, is held back
// from the transmit and joins the next receive). Nothing is allocated per request: one 136-byte scratch frame, the
// table's arrays. The driver is a proxy into another domain (kv), or an object linked into this one (kv_nic: the "driver" configuration).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Net;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Workloads.Kv;

public sealed class KvApp : IKvBench
{
    private const int BufferBytes = 2048;
    private readonly INet _net;
    private readonly byte[] _frame = new byte[KvFrame.FrameBytes];
    private KvTable _table = new(1, 2);
    private RRefDeque<Packet> _batch;
    private RRefDeque<Packet> _aside; // empty buffers held back from a transmit (after a driver crash), made on first need

    public KvApp(INet net) => _net = net;

    public RpcResult Setup(int batch, int receiveBuffers, int partitions, int slotsPerPartition)
    {
        if (batch < 1 || receiveBuffers < 0)
            throw new ArgumentOutOfRangeException(nameof(batch), $"Setup({batch}, {receiveBuffers}): a batch of at least 1, no negative buffers");
        _table = new KvTable(partitions, slotsPerPartition);
        if (!_batch.IsNull) Free(_batch);
        _batch = Fill(RRefDeque<Packet>.New(batch), batch);
        for (int given = 0; given < receiveBuffers; given += batch)
        {
            var r = _net.SubmitAndPoll(Fill(RRefDeque<Packet>.New(batch), Math.Min(batch, receiveBuffers - given)), false);
            if (!r.IsOk) return r.Error;
            // Requests may already have arrived into the first buffers: answer them (dropping them would be a loss
            // the sink counts); what comes back is sent buffers, which are spare.
            ServeBatch(r.Value);
            var sent = _net.SubmitAndPoll(r.Value, true);
            if (!sent.IsOk) return sent.Error;
            Free(sent.Value);
        }
        return RpcResult.Ok;
    }

    public RpcResult<long> Serve(long requests)
    {
        long served = 0;
        var q = _batch;
        while (served < requests)
        {
            var rx = _net.SubmitAndPoll(q, false); // empty buffers in, requests out
            if (!rx.IsOk) return rx.Error;
            int answered = ServeBatch(rx.Value);
            served += answered;
            // Empty buffers among the requests (a shadow's fresh ones after a driver crash) must not go on the wire as
            // frames: they wait aside and join the sent buffers for the next receive.
            bool aside = answered < rx.Value.Count;
            if (aside) SetEmptyAside(rx.Value);
            var tx = _net.SubmitAndPoll(rx.Value, true); // replies out, sent buffers back
            if (!tx.IsOk) return tx.Error;
            q = tx.Value;
            if (aside)
                while (_aside.TryPopFront(out var e)) if (!q.TryPushBack(e)) e.Buffer.Drop();
        }
        _batch = q;
        return served;
    }

    public RpcResult<long> Stored() => _table.Count;

    private void SetEmptyAside(RRefDeque<Packet> q)
    {
        if (_aside.IsNull) _aside = RRefDeque<Packet>.New(q.Capacity);
        for (int i = 0, n = q.Count; i < n; i++)
        {
            q.TryPopFront(out var p);
            if (p.Length >= KvFrame.FrameBytes || !_aside.TryPushBack(p)) q.TryPushBack(p);
        }
    }

    /// <summary>Answers every request of <paramref name="q"/> in place; returns how many.</summary>
    private int ServeBatch(RRefDeque<Packet> q)
    {
        var frame = _frame.AsSpan();
        int n = q.Count, served = 0;
        for (int i = 0; i < n; i++)
        {
            var p = q[i];
            if (p.Length < KvFrame.FrameBytes) continue; // an empty buffer (a receive that brought less)
            p.Buffer.CopyTo(frame);
            Answer(frame);
            p.Buffer.CopyFrom(frame);
            served++;
        }
        return served;
    }

    private void Answer(Span<byte> frame)
    {
        KvFrame.SwapAddresses(frame);
        byte op = frame[KvFrame.OpOffset];
        int length = frame[KvFrame.LengthOffset];
        ulong key = KvFrame.ReadU64(frame, KvFrame.KeyOffset);
        var value = frame.Slice(KvFrame.ValueOffset, KvFrame.MaxValueBytes);
        frame[KvFrame.OpOffset] = (byte)(op | KvFrame.ReplyBit);
        if (op == KvFrame.Get)
        {
            int found = _table.Get(key, value);
            frame[KvFrame.StatusOffset] = found < 0 ? KvFrame.NotFound : KvFrame.Ok;
            frame[KvFrame.LengthOffset] = (byte)Math.Max(found, 0);
            if (found < 0) value.Clear();
        }
        else if (op == KvFrame.Set && length <= KvFrame.MaxValueBytes)
        {
            frame[KvFrame.StatusOffset] = _table.Set(key, value[..length]) ? KvFrame.Ok : KvFrame.Full;
        }
        else
        {
            frame[KvFrame.StatusOffset] = KvFrame.BadRequest;
            frame[KvFrame.LengthOffset] = 0;
        }
    }

    private static RRefDeque<Packet> Fill(RRefDeque<Packet> q, int n)
    {
        for (int i = 0; i < n; i++) q.TryPushBack(new Packet { Buffer = RRefArray<byte>.New(BufferBytes), Length = 0 });
        return q;
    }

    private static void Free(RRefDeque<Packet> q)
    {
        while (q.TryPopFront(out var p)) p.Buffer.Drop();
        q.Drop();
    }
}

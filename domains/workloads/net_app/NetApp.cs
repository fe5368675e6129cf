// domains/workloads/net_app: the network benchmark application. Its buffers live on the shared heap and
// only move: a transmit batch is sent, comes back completed and is sent again (as RedLeaf's transmit
// benchmark recycles what it collects); forwarding gives the driver empty buffers, gets frames back and
// transmits them. The driver is a proxy into another domain (net_app), or an object linked into this
// one (net_app_nullnet, net_app_nic: the paper's "driver" configuration).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Interfaces.Net;

namespace Domains.Bench.NetApp;

public sealed class NetApp : INetBench
{
    private const int BufferBytes = 2048;
    private readonly INet _net;
    private RRefDeque<Packet> _batch;

    public NetApp(INet net) => _net = net;

    public RpcResult Setup(int batch, int receiveBuffers)
    {
        if (!_batch.IsNull) Free(_batch); // set up again (a sweep over batch sizes): the batch it replaces is freed, not kept
        _batch = Fill(RRefDeque<Packet>.New(batch), batch, 64);
        for (int given = 0; given < receiveBuffers; given += batch)
        {
            var q = Fill(RRefDeque<Packet>.New(batch), Math.Min(batch, receiveBuffers - given), 0);
            var r = _net.SubmitAndPoll(q, false);
            if (!r.IsOk) return r.Error;
            // Frames may already have arrived into the first buffers: forward them (dropping them here
            // would be a loss the sink counts); what comes back is sent buffers, which are spare.
            var sent = _net.SubmitAndPoll(r.Value, true);
            if (!sent.IsOk) return sent.Error;
            Recycle(sent.Value);
        }
        return RpcResult.Ok;
    }

    private static RRefDeque<Packet> Fill(RRefDeque<Packet> q, int n, int length)
    {
        for (int i = 0; i < n; i++) q.TryPushBack(new Packet { Buffer = RRefArray<byte>.New(BufferBytes), Length = length });
        return q;
    }

    private static void Free(RRefDeque<Packet> q)
    {
        while (q.TryPopFront(out var p)) p.Buffer.Drop();
        q.Drop();
    }

    /// <summary>Frees spare buffers (sent ones, Length 0); a frame still to be sent would be a loss, so none is dropped.</summary>
    private static void Recycle(RRefDeque<Packet> q)
    {
        while (q.TryPopFront(out var p))
        {
            if (p.Length != 0) throw new InvalidOperationException("a received frame came back from a transmit call unsent");
            p.Buffer.Drop();
        }
        q.Drop();
    }

    public RpcResult<long> Transmit(long packets)
    {
        long sent = 0;
        var q = _batch;
        while (sent < packets)
        {
            var r = _net.SubmitAndPoll(q, true);
            if (!r.IsOk) return r.Error;
            q = r.Value;
            sent += q.Count;
        }
        _batch = q;
        return sent;
    }

    public RpcResult<long> Forward(long packets)
    {
        long forwarded = 0;
        var q = _batch;
        while (forwarded < packets)
        {
            var rx = _net.SubmitAndPoll(q, false); // empty buffers in, frames out
            if (!rx.IsOk) return rx.Error;
            forwarded += rx.Value.Count;
            var tx = _net.SubmitAndPoll(rx.Value, true); // frames out on the wire, sent buffers back
            if (!tx.IsOk) return tx.Error;
            q = tx.Value;
        }
        _batch = q;
        return forwarded;
    }
}

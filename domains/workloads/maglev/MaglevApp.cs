// domains/workloads/maglev: the Maglev load balancer as a domain. Frames come from the network driver in
// batches (its receive call fills the deque it is given); for each, the flow's backend is looked up in
// the connection table (linear probing over the 5-tuple, fixed size, nothing allocated per frame) and, on
// a miss, in the Maglev table, then recorded; the destination is rewritten in place and the batch goes
// back to the driver to transmit. Connections outlive a change of the Maglev table (a backend taken out
// moves only its own flows), as Maglev's connection tracking keeps them. The driver is a proxy into
// another domain (maglev), or an object linked into this one (maglev_nic: the "driver" configuration).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Net;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Workloads.Maglev;

public sealed class MaglevApp : IMaglevBench
{
    private const int BufferBytes = 2048;
    private const int ConnectionSlots = 1 << 21; // twice the apps suite's 1,048,576 flows (40 MB, allocated once)
    private const int MaxProbe = 64;             // a longer run is not tracked: the flow follows the table
    private readonly INet _net;
    private readonly ulong[] _addresses = new ulong[ConnectionSlots], _ports = new ulong[ConnectionSlots];
    private readonly int[] _backendOf = new int[ConnectionSlots];
    private readonly byte[] _header = new byte[MaglevFrame.HeaderBytes];
    private MaglevTable? _table;
    private List<int> _backends = new();
    private RRefDeque<Packet> _batch;
    private long _connections;

    public MaglevApp(INet net) => _net = net;

    public RpcResult Setup(int batch, int receiveBuffers, int backends)
    {
        if (batch < 1 || receiveBuffers < 0 || backends < 1 || backends > 65536)
            throw new ArgumentOutOfRangeException(nameof(batch), $"Setup({batch}, {receiveBuffers}, {backends}): a batch of at least 1, no negative buffers, 1..65536 backends");
        if (!_batch.IsNull) Free(_batch);
        _backends = Enumerable.Range(0, backends).ToList();
        _table = MaglevTable.ForBackends(_backends.ToArray());
        ClearConnections();
        _batch = Fill(RRefDeque<Packet>.New(batch), batch);
        for (int given = 0; given < receiveBuffers; given += batch)
        {
            var r = _net.SubmitAndPoll(Fill(RRefDeque<Packet>.New(batch), Math.Min(batch, receiveBuffers - given)), false);
            if (!r.IsOk) return r.Error;
            // Frames may already have arrived into the first buffers: balance and send them (dropping them
            // would be a loss the sink counts); what comes back is sent buffers, which are spare.
            Balance(r.Value);
            var sent = _net.SubmitAndPoll(r.Value, true);
            if (!sent.IsOk) return sent.Error;
            Free(sent.Value);
        }
        return RpcResult.Ok;
    }

    public RpcResult<long> Forward(long packets)
    {
        long forwarded = 0;
        var q = _batch;
        while (forwarded < packets)
        {
            var rx = _net.SubmitAndPoll(q, false); // empty buffers in, frames out
            if (!rx.IsOk) return rx.Error;
            forwarded += Balance(rx.Value);
            var tx = _net.SubmitAndPoll(rx.Value, true); // frames out to their backends, sent buffers back
            if (!tx.IsOk) return tx.Error;
            q = tx.Value;
        }
        _batch = q;
        return forwarded;
    }

    /// <summary>Rewrites every frame of <paramref name="q"/> towards its flow's backend; returns how many frames.</summary>
    private int Balance(RRefDeque<Packet> q)
    {
        var table = _table!;
        var header = _header;
        int n = q.Count, frames = 0;
        for (int i = 0; i < n; i++)
        {
            var p = q[i];
            if (p.Length < MaglevFrame.HeaderBytes) continue; // an empty buffer (a receive that brought less)
            p.Buffer.CopyTo(header);
            MaglevFrame.Key(header, out ulong addresses, out ulong ports);
            ulong hash = MaglevFrame.Hash(addresses, ports);
            int slot = (int)hash & (ConnectionSlots - 1), backend = -1;
            for (int probe = 0; probe < MaxProbe; probe++)
            {
                if (_ports[slot] == 0)
                {
                    backend = table.Lookup(hash);
                    _addresses[slot] = addresses;
                    _ports[slot] = ports;
                    _backendOf[slot] = backend;
                    _connections++;
                    break;
                }
                if (_ports[slot] == ports && _addresses[slot] == addresses) { backend = _backendOf[slot]; break; }
                slot = (slot + 1) & (ConnectionSlots - 1);
            }
            if (backend < 0) backend = table.Lookup(hash);
            MaglevFrame.Rewrite(header, backend);
            p.Buffer.CopyFrom(header);
            frames++;
        }
        return frames;
    }

    public RpcResult RemoveBackend(int backend)
    {
        if (!_backends.Contains(backend)) throw new ArgumentOutOfRangeException(nameof(backend), backend, $"backend {backend} is not in the pool ({_backends.Count} backends)");
        if (_backends.Count == 1) throw new InvalidOperationException($"backend {backend} is the last one: a Maglev table needs at least one");
        _backends.Remove(backend);
        _table = MaglevTable.ForBackends(_backends.ToArray());
        // Forget its connections; the others go back in (a removal breaks linear probing's runs).
        var kept = new List<(ulong, ulong, int)>();
        for (int s = 0; s < ConnectionSlots; s++)
            if (_ports[s] != 0 && _backendOf[s] != backend) kept.Add((_addresses[s], _ports[s], _backendOf[s]));
        ClearConnections();
        foreach (var (addresses, ports, b) in kept)
        {
            int slot = (int)MaglevFrame.Hash(addresses, ports) & (ConnectionSlots - 1);
            while (_ports[slot] != 0) slot = (slot + 1) & (ConnectionSlots - 1);
            _addresses[slot] = addresses;
            _ports[slot] = ports;
            _backendOf[slot] = b;
            _connections++;
        }
        return RpcResult.Ok;
    }

    public RpcResult<long> Connections() => _connections;

    private void ClearConnections()
    {
        Array.Clear(_addresses);
        Array.Clear(_ports);
        Array.Clear(_backendOf);
        _connections = 0;
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

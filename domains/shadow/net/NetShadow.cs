// domains/shadow/net: the shadow of a network driver. It forwards every batch; when the driver crashes it restarts it
// (the kernel re-initialises the NIC through the new instance) and returns, without an error, fresh empty buffers in
// place of the packets that died inside the driver, so the client's pool of buffers stays whole. A batch refused
// before it entered the driver (NotRunning) is replayed as it is. Packets in flight at a crash are lost, as a NIC
// reset loses them.
//
// Made with replayTransmits (the entry in domains/shadow/net_replay, which the key-value store's rows use), it also
// replays transmits: before a transmit batch goes to the driver it copies each frame into a buffer of its own
// (ReplayLog), and forgets the copy when the driver hands back the frame's buffer as sent (the device completes in
// order, so each buffer handed back confirms the oldest copy). After a crash it re-sends a copy of every frame not
// confirmed, through the new instance: a reply that died in the driver, or in the NIC's transmit ring at the reset,
// still reaches the wire. The shadow cannot see the wire, so a frame the device had sent but not yet reported goes
// out twice (at least once, not exactly once; the clients' numbers let them drop the second). Received frames are
// not recoverable here: those the device had written into receive buffers that died with the driver are gone (a NIC
// reset loses them; the clients must retransmit). The copies' buffers are reused: nothing is allocated per packet
// once the log has grown to the most frames ever unconfirmed at once. The copy is not free (tens of nanoseconds a
// frame: four checked shared-heap accesses), which is why the plain entry (domains/shadow/net, `bench net`'s shadow
// rows) does without it.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Net;

namespace Domains.Shadow.Net;

public sealed class NetShadow : INet
{
    private const int MaxReplays = 3;
    private readonly INet _driver;
    private readonly RestartCapability _restart;
    private readonly ReplayLog? _log; // null: transmits are not replayed
    private int _bufferBytes;

    public NetShadow(INet driver, RestartCapability restart, bool replayTransmits = false)
    {
        _driver = driver;
        _restart = restart;
        if (replayTransmits) _log = new ReplayLog();
    }

    public RpcResult<RRefDeque<Packet>> SubmitAndPoll(RRefDeque<Packet> packets, bool transmit)
    {
        int count = packets.Count;
        if (_bufferBytes == 0 && count > 0) _bufferBytes = packets[0].Buffer.Length;
        int capacity = packets.Capacity;
        for (int attempt = 0; ; attempt++)
        {
            var log = transmit ? _log : null;
            log?.Keep(packets, _bufferBytes);
            var r = _driver.SubmitAndPoll(packets, transmit);
            if (r.IsOk)
            {
                log?.Confirm(r.Value, count);
                if (attempt > 0) _restart.Recovered();
                return r;
            }
            if (attempt == MaxReplays) return r;
            _restart.Restart();
            if (r.Error.Kind == RpcErrorKind.NotRunning) // never entered: still ours, replay as it is
            {
                log?.Unkeep(count);
                continue;
            }
            var fresh = RRefDeque<Packet>.New(capacity); // died inside: hand back new buffers
            if (_log is not null && !Replay(_log, fresh))
            {
                Free(fresh);
                return r;
            }
            while (fresh.Count < count) fresh.TryPushBack(new Packet { Buffer = RRefArray<byte>.New(_bufferBytes) });
            _restart.Recovered();
            return fresh;
        }
    }

    /// <summary>Re-sends a copy of every frame not confirmed sent; the buffers the driver hands back go into
    /// <paramref name="returned"/> as far as it has room. False if the driver crashed again every time.</summary>
    private bool Replay(ReplayLog log, RRefDeque<Packet> returned)
    {
        for (int attempt = 0; attempt < MaxReplays; attempt++)
        {
            int n = log.Count;
            if (n == 0) return true;
            var batch = log.Copies(_bufferBytes);
            var r = _driver.SubmitAndPoll(batch, true);
            if (!r.IsOk)
            {
                _restart.Restart();
                if (r.Error.Kind == RpcErrorKind.NotRunning) Free(batch); // never entered: ours to drop
                continue;
            }
            log.Confirm(r.Value, n);
            var sent = r.Value;
            while (sent.TryPopFront(out var p))
                if (p.Length > 0 || !returned.TryPushBack(new Packet { Buffer = p.Buffer })) p.Buffer.Drop();
            sent.Drop();
            return true;
        }
        return false;
    }

    private static void Free(RRefDeque<Packet> q)
    {
        while (q.TryPopFront(out var p)) p.Buffer.Drop();
        q.Drop();
    }

    public RpcResult<NetCounters> Counters()
    {
        for (int attempt = 0; ; attempt++)
        {
            var r = _driver.Counters();
            if (r.IsOk || attempt == MaxReplays) return r;
            _restart.Restart();
        }
    }
}

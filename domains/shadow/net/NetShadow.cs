// domains/shadow/net: the shadow of a network driver. It forwards every batch; when the driver
// crashes it restarts it (the kernel re-initialises the NIC through the new instance) and returns,
// without an error, fresh empty buffers in place of the packets that died inside the driver, so the
// client's pool of buffers stays whole. Packets in flight at a crash are lost, as a NIC reset loses
// them; a batch refused before it entered the driver (NotRunning) is replayed as it is.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Net;

namespace Domains.Shadow.Net;

public sealed class NetShadow : INet
{
    private const int MaxReplays = 3;
    private readonly INet _driver;
    private readonly RestartCapability _restart;
    private int _bufferBytes;

    public NetShadow(INet driver, RestartCapability restart)
    {
        _driver = driver;
        _restart = restart;
    }

    public RpcResult<RRefDeque<Packet>> SubmitAndPoll(RRefDeque<Packet> packets, bool transmit)
    {
        int count = packets.Count;
        if (_bufferBytes == 0 && count > 0) _bufferBytes = packets[0].Buffer.Length;
        int capacity = packets.Capacity;
        for (int attempt = 0; ; attempt++)
        {
            var r = _driver.SubmitAndPoll(packets, transmit);
            if (r.IsOk)
            {
                if (attempt > 0) _restart.Recovered();
                return r;
            }
            if (attempt == MaxReplays) return r;
            _restart.Restart();
            if (r.Error.Kind == RpcErrorKind.NotRunning) continue; // never entered: still ours, replay
            var fresh = RRefDeque<Packet>.New(capacity);             // died inside: hand back new buffers
            for (int i = 0; i < count; i++) fresh.TryPushBack(new Packet { Buffer = RRefArray<byte>.New(_bufferBytes) });
            _restart.Recovered();
            return fresh;
        }
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

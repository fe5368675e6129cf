// domains/drivers/nullnet: RedLeaf's nullnet, a network driver with no device behind it: every packet
// submitted completes at once. Like RedLeaf's, it still touches each packet (moves it from the
// submitted batch to the completed one), so what it measures is the driver interface and the
// crossing, with no device limit.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Net;

namespace Domains.Drivers.NullNet;

public sealed class NullNetDriver : INet
{
    private RRefDeque<Packet> _spare;
    private long _received, _transmitted;

    public RpcResult<RRefDeque<Packet>> SubmitAndPoll(RRefDeque<Packet> packets, bool transmit)
    {
        int capacity = packets.Capacity;
        if (_spare.IsNull || _spare.Capacity < capacity)
        {
            if (!_spare.IsNull) _spare.Drop();
            _spare = RRefDeque<Packet>.New(capacity);
        }
        var done = _spare;
        int n = 0;
        while (packets.TryPopFront(out var p))
        {
            if (!transmit) p.Length = 64; // a "received" frame fills what nullnet's peer would send
            done.TryPushBack(p);
            n++;
        }
        if (transmit) _transmitted += n;
        else _received += n;
        _spare = packets;
        return done;
    }

    public RpcResult<NetCounters> Counters() => new NetCounters { Received = _received, Transmitted = _transmitted };
}

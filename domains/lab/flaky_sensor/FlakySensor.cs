// domains/lab/flaky_sensor: homework 3's unreliable driver. It answers correctly, except that every
// fifth call to an instance crashes it (an exception escapes the domain), taking whatever was moved
// into that call with it, and the offset it was configured with. Deterministic, so a grader can count on
// it: channel c reads c * 1000 + 7 plus the offset, a sample fills element i with 3 * i, and a checksum of
// a lent buffer is the sum of data[i] * (i + 1). One channel is poison: reading it crashes the driver every
// time, so a shadow that replays without a bound never returns.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Lab;

namespace Domains.Lab.FlakySensor;

public sealed class FlakySensor : ISensor
{
    public const int CrashEvery = 5;
    public const long PoisonChannel = 13;
    private int _calls;
    private long _offset;

    public RpcResult<long> Read(long channel)
    {
        Tick();
        if (channel == PoisonChannel) throw new InvalidOperationException($"the sensor driver crashed reading channel {channel}");
        return channel * 1000 + 7 + _offset;
    }

    public RpcResult<RRefArray<long>> Sample(RRefArray<long> buffer)
    {
        Tick();
        for (int i = 0; i < buffer.Length; i++) buffer[i] = 3L * i;
        return buffer;
    }

    public RpcResult Configure(long offset)
    {
        Tick();
        _offset = offset;
        return RpcResult.Ok;
    }

    public RpcResult<long> Checksum(in RRefArray<long> data)
    {
        Tick();
        long sum = 0;
        for (int i = 0; i < data.Length; i++) sum += data[i] * (i + 1);
        return sum;
    }

    private void Tick()
    {
        if (++_calls % CrashEvery == 0) throw new InvalidOperationException($"the sensor driver crashed on call {_calls}");
    }
}

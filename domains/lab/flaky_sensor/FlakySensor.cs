// domains/lab/flaky_sensor: homework 3's unreliable driver. It answers correctly, except that every
// fifth call to an instance crashes it (an exception escapes the domain), taking whatever was moved
// into that call with it. Deterministic, so a grader can count on it: channel c reads c * 1000 + 7,
// and a sample fills element i with 3 * i. One channel is poison: reading it crashes the driver every
// time, so a shadow that replays without a bound never returns.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Lab;

namespace Domains.Lab.FlakySensor;

public sealed class FlakySensor : ISensor
{
    public const int CrashEvery = 5;
    public const long PoisonChannel = 13;
    private int _calls;

    public RpcResult<long> Read(long channel)
    {
        Tick();
        if (channel == PoisonChannel) throw new InvalidOperationException($"the sensor driver crashed reading channel {channel}");
        return channel * 1000 + 7;
    }

    public RpcResult<RRefArray<long>> Sample(RRefArray<long> buffer)
    {
        Tick();
        for (int i = 0; i < buffer.Length; i++) buffer[i] = 3L * i;
        return buffer;
    }

    private void Tick()
    {
        if (++_calls % CrashEvery == 0) throw new InvalidOperationException($"the sensor driver crashed on call {_calls}");
    }
}

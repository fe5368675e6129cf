// machine/Devices/Faults: decides, operation by operation, whether a device misbehaves. Armed with a
// fault kind and a rule (the next N operations, every Nth, or with a probability from a seeded
// generator, so a failing run replays exactly). Disarmed, the check a device makes per operation is
// one field load.
namespace RedLeaf.Hardware.Devices;

public sealed class FaultInjector
{
    private DeviceFault _kind;
    private long _every;
    private double _probability;
    private long _remaining;
    private long _operations;
    private ulong _rng = 0x9E3779B97F4A7C15;
    private readonly long[] _injected = new long[4];

    /// <summary>True while a fault is armed.</summary>
    public bool Armed { get; private set; }

    /// <summary>Injects <paramref name="kind"/> into the next <paramref name="count"/> operations.</summary>
    public void Next(DeviceFault kind, int count = 1) => Arm(kind, every: 1, probability: 0, count);

    /// <summary>Injects <paramref name="kind"/> into every <paramref name="every"/>th operation, at most <paramref name="count"/> times.</summary>
    public void Every(DeviceFault kind, int every, int count = int.MaxValue) => Arm(kind, every, 0, count);

    /// <summary>Injects <paramref name="kind"/> with probability <paramref name="probability"/> per operation (seeded: replayable).</summary>
    public void Randomly(DeviceFault kind, double probability, ulong seed = 1, int count = int.MaxValue)
    {
        if (probability is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(probability), probability, "a probability in (0, 1]");
        _rng = seed == 0 ? 1 : seed;
        Arm(kind, 0, probability, count);
    }

    private void Arm(DeviceFault kind, long every, double probability, long count)
    {
        if (kind == DeviceFault.None) { Disarm(); return; }
        if (every < 0) throw new ArgumentOutOfRangeException(nameof(every), every, "every must not be negative");
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive");
        _kind = kind;
        _every = every;
        _probability = probability;
        _remaining = count;
        _operations = 0;
        Armed = true;
    }

    public void Disarm()
    {
        Armed = false;
        _kind = DeviceFault.None;
    }

    /// <summary>How many faults of <paramref name="kind"/> were injected since the device was built.</summary>
    public long Injected(DeviceFault kind) => _injected[(int)kind];

    /// <summary>Called by the device once per operation: the fault to apply to it, usually None.</summary>
    public DeviceFault Check() => Armed ? Decide() : DeviceFault.None;

    private DeviceFault Decide()
    {
        _operations++;
        bool hit = _every > 0 ? _operations % _every == 0 : NextDouble() < _probability;
        if (!hit) return DeviceFault.None;
        var kind = _kind;
        _injected[(int)kind]++;
        if (--_remaining == 0) Disarm();
        return kind;
    }

    private double NextDouble()
    {
        // xorshift64*: deterministic for a seed, good enough to spread faults.
        _rng ^= _rng >> 12;
        _rng ^= _rng << 25;
        _rng ^= _rng >> 27;
        return ((_rng * 0x2545F4914F6CDD1DUL) >> 11) * (1.0 / (1UL << 53));
    }
}

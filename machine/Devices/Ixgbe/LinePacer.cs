// machine/Devices/Ixgbe: paces a wire by the TSC: how many packets the line could have carried since
// it started, at 10 Gb/s with the Ethernet preamble and inter-frame gap (20 bytes per frame), so
// 64-byte frames go at 14.88 Mpps. Credit that goes unused is capped at a burst (a wire does not save
// up idle time); Mpps 0 means no limit.
namespace RedLeaf.Hardware.Devices;

public sealed class LinePacer
{
    private readonly double _packetsPerCycle;
    private readonly long _burst;
    private ulong _start;
    private long _taken;
    private bool _started;

    public LinePacer(double packetsPerSecond, long burst)
    {
        PacketsPerSecond = packetsPerSecond;
        _packetsPerCycle = packetsPerSecond > 0 ? packetsPerSecond / Tsc.Hz : 0;
        _burst = burst;
    }

    public double PacketsPerSecond { get; }
    public bool Unlimited => _packetsPerCycle == 0;
    /// <summary>Packets the wire could have carried but found no room (credit dropped at the burst cap).</summary>
    public long Forgone { get; private set; }

    /// <summary>10 Gb/s line rate for frames of <paramref name="frameBytes"/>.</summary>
    public static double LineRate(int frameBytes, double bitsPerSecond = 10e9) => bitsPerSecond / ((frameBytes + 20) * 8.0);

    /// <summary>Packets the wire allows right now (at most <paramref name="wanted"/>).</summary>
    public int Available(int wanted)
    {
        if (_packetsPerCycle == 0) return Math.Max(wanted, 0);
        ulong now = Tsc.Read();
        if (!_started) { _start = now; _started = true; }
        long credit = (long)((now - _start) * _packetsPerCycle) - _taken;
        if (credit > _burst)
        {
            Forgone += credit - _burst;
            _taken += credit - _burst;
            credit = _burst;
        }
        return (int)Math.Clamp(credit, 0, Math.Max(wanted, 0));
    }

    /// <summary>Spends credit for packets the wire carried.</summary>
    public void Take(int packets) => _taken += packets;

    public void Restart()
    {
        _started = false;
        _taken = 0;
        Forgone = 0;
    }
}

// machine/Devices/Nvme: an optional model of how slow the device is: a fixed latency per command and
// a bandwidth the commands share (a command starts when the previous one has finished transferring).
// Zero for both (the default) completes commands as soon as they are submitted.
namespace RedLeaf.Hardware.Devices;

public sealed record NvmeTiming
{
    /// <summary>Microseconds from a command's transfer to its completion.</summary>
    public double LatencyMicroseconds { get; init; }

    /// <summary>Bytes per second the device moves (0: unlimited).</summary>
    public double BytesPerSecond { get; init; }

    public static NvmeTiming Instant { get; } = new();

    /// <summary>Roughly the paper's Intel P3700: 4 KiB reads about 450K IOPS (about 1.9 GB/s), 20 us.</summary>
    public static NvmeTiming P3700 { get; } = new() { LatencyMicroseconds = 20, BytesPerSecond = 1.9e9 };

    public bool IsInstant => LatencyMicroseconds <= 0 && BytesPerSecond <= 0;
}

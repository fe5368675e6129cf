// benchmarks/RedLeaf.Benchmarks/Gc: what one `bench gc` run measures: the allocation rates of the allocating domain
// (megabytes a second; 0 is the baseline, no allocation anywhere), how long each rate is measured, and the
// modes (each a child process). Quick mode keeps a notebook's run to seconds.
namespace RedLeaf.Benchmarks.Gc;

public sealed record GcSettings
{
    /// <summary>Allocation rates of the allocating domain, MB/s (10^6 bytes).</summary>
    public IReadOnlyList<double> Rates { get; init; } = [0, 64, 512];
    /// <summary>Seconds each rate is measured (after the warm-up).</summary>
    public double Seconds { get; init; } = 3;
    /// <summary>Forwarding (and allocating) before each rate's window.</summary>
    public double WarmupSeconds { get; init; } = 0.5;
    /// <summary>Once per process, before the first rate: until the JIT has tiered the loops up.</summary>
    public double InitialWarmupSeconds { get; init; } = 1.5;
    /// <summary>The latency series' window: the slowest batch of each window is kept.</summary>
    public double WindowMs { get; init; } = 1;
    public IReadOnlyList<GcMode> Modes { get; init; } = GcMode.All;
    /// <summary>A batch at least this long is a stall (about 250 times a batch's usual time here).</summary>
    public double StallMicroseconds { get; init; } = 100;
    /// <summary>Packets per batch (one crossing into the application per batch).</summary>
    public int Batch { get; init; } = 32;

    public static GcSettings Default(bool quick) => quick
        ? new GcSettings { Seconds = 0.4, WarmupSeconds = 0.1, InitialWarmupSeconds = 0.6 }
        : new GcSettings();

    /// <summary>"0,64,512" as rates; a clear error for anything else.</summary>
    public static IReadOnlyList<double> ParseRates(string text)
    {
        var rates = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double r) || !(r >= 0) || r > 100_000)
                throw new ArgumentException($"an allocation rate is a number of MB/s between 0 and 100000, not '{part}' (in '{text}')");
            rates.Add(r);
        }
        if (rates.Count == 0) throw new ArgumentException($"no allocation rate in '{text}' (e.g. 0,64,512)");
        return rates;
    }

    public string RatesText => string.Join(",", Rates.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}

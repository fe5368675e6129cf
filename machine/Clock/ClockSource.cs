// machine/Clock/ClockSource.cs: one way of reading a cycle counter, as an object you can hold.
// Tsc (the static front door) picks one of these at start-up and copies its entry points into
// static readonly fields for speed; tests and tools can build either kind directly, which is how
// the stopwatch fallback is exercised on a machine that does have rdtsc.
//
// Two kinds exist:
//   rdtsc               the CPU's time-stamp counter via RdtscCode; Hz calibrated against Stopwatch.
//   stopwatch-fallback  Stopwatch.GetTimestamp scaled to a NOMINAL 1 GHz: a "cycle" is one
//                       nanosecond, not a CPU cycle. Used off x86-64 Linux, when the code page
//                       cannot be mapped, or when REDLEAF_CLOCK=stopwatch at start-up.
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace RedLeaf.Hardware;

/// <summary>A cycle counter: rdtsc where possible, a scaled Stopwatch otherwise.</summary>
public sealed unsafe class ClockSource
{
    public const string RdtscName = "rdtsc";
    public const string FallbackName = "stopwatch-fallback";
    /// <summary>The nominal rate of the fallback: one "cycle" per nanosecond.</summary>
    public const double FallbackHz = 1e9;
    /// <summary>Environment variable read once at start-up; "stopwatch" forces the fallback.</summary>
    public const string EnvironmentVariable = "REDLEAF_CLOCK";

    readonly delegate* unmanaged[SuppressGCTransition]<ulong> _read;
    readonly delegate* unmanaged[SuppressGCTransition]<ulong> _readFenced;
    readonly Lazy<double> _hz;
    readonly Lazy<double> _readCost;

    ClockSource(IntPtr read, IntPtr readFenced, string name, string note)
    {
        _read = (delegate* unmanaged[SuppressGCTransition]<ulong>)read;
        _readFenced = (delegate* unmanaged[SuppressGCTransition]<ulong>)readFenced;
        Name = name;
        Note = note;
        _hz = new(() => IsHardware ? CalibrateHz() : FallbackHz);
        _readCost = new(() => CalibrateReadCost());
    }

    /// <summary>The rdtsc source, or null with the reason it cannot be used here.</summary>
    public static ClockSource? TryCreateHardware(out string why)
    {
        var (read, fenced, reason) = RdtscCode.Code;
        why = reason;
        return read == 0 ? null : new ClockSource(read, fenced, RdtscName, reason);
    }

    /// <summary>The Stopwatch source, whatever the hardware offers.</summary>
    public static ClockSource CreateFallback(string why = "fallback requested") =>
        new(0, 0, FallbackName, $"{why}; Stopwatch ticks scaled to a nominal 1 GHz (1 cycle = 1 ns, not a CPU cycle)");

    /// <summary>What Tsc uses: rdtsc unless unavailable or REDLEAF_CLOCK=stopwatch.</summary>
    public static ClockSource CreateDefault()
    {
        if (string.Equals(Environment.GetEnvironmentVariable(EnvironmentVariable), "stopwatch", StringComparison.OrdinalIgnoreCase))
            return CreateFallback($"{EnvironmentVariable}=stopwatch");
        return TryCreateHardware(out string why) ?? CreateFallback(why);
    }

    /// <summary>"rdtsc" or "stopwatch-fallback".</summary>
    public string Name { get; }
    /// <summary>Why this source was chosen.</summary>
    public string Note { get; }
    /// <summary>True when reads come from the CPU's time-stamp counter.</summary>
    public bool IsHardware => _read != null;
    /// <summary>Ticks per second: calibrated once, lazily, for rdtsc; exactly FallbackHz otherwise.</summary>
    public double Hz => _hz.Value;
    /// <summary>Median ticks between two back-to-back Read calls, measured once and cached.</summary>
    public double ReadCost => _readCost.Value;
    public ClockInfo Info => new(Name, Hz, ReadCost, Note);

    internal delegate* unmanaged[SuppressGCTransition]<ulong> ReadPointer => _read;
    internal delegate* unmanaged[SuppressGCTransition]<ulong> ReadFencedPointer => _readFenced;

    /// <summary>The counter, with no ordering against neighbouring instructions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Read() => _read != null ? _read() : StopwatchCycles();

    /// <summary>The counter, taken after earlier instructions finish and before later ones start.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadFenced() => _readFenced != null ? _readFenced() : StopwatchCycles();

    /// <summary>Measures afresh the median ticks between two back-to-back reads.</summary>
    public double CalibrateReadCost(bool fenced = false)
    {
        Span<ulong> samples = stackalloc ulong[CostSamples];
        for (int round = 0; round < 2; round++) // the first round warms up code and caches
        {
            if (fenced)
                for (int i = 0; i < samples.Length; i++) { ulong first = ReadFenced(); samples[i] = ReadFenced() - first; }
            else
                for (int i = 0; i < samples.Length; i++) { ulong first = Read(); samples[i] = Read() - first; }
        }
        return Median(samples);
    }

    /// <summary>Stopwatch time in nominal cycles (nanoseconds): the fallback's counter.</summary>
    public static ulong StopwatchCycles() => Stopwatch.Frequency == (long)FallbackHz
        ? (ulong)Stopwatch.GetTimestamp()
        : (ulong)(Stopwatch.GetTimestamp() * (FallbackHz / Stopwatch.Frequency));

    internal const int CostSamples = 2001;

    internal static double Median(Span<ulong> samples)
    {
        samples.Sort();
        return samples[samples.Length / 2];
    }

    // Ticks over a sleep of at least 30 ms, each end pinned between two Stopwatch reads (the
    // tightest of several brackets), so a preemption at either end cannot skew the rate.
    double CalibrateHz()
    {
        var start = Bracket();
        long deadline = start.Stopwatch + Stopwatch.Frequency * 30 / 1000;
        while (Stopwatch.GetTimestamp() < deadline)
            Thread.Sleep(5);
        var end = Bracket();
        double seconds = (end.Stopwatch - start.Stopwatch) / (double)Stopwatch.Frequency;
        return (end.Ticks - start.Ticks) / seconds;
    }

    (long Stopwatch, ulong Ticks) Bracket()
    {
        (long, ulong) best = default;
        long bestWidth = long.MaxValue;
        for (int i = 0; i < 9; i++)
        {
            long before = Stopwatch.GetTimestamp();
            ulong ticks = ReadFenced();
            long after = Stopwatch.GetTimestamp();
            if (after - before < bestWidth)
                (bestWidth, best) = (after - before, (before + (after - before) / 2, ticks));
        }
        return best;
    }
}

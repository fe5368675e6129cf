// machine/Clock/Tsc.cs: the emulated machine's cycle counter, the clock every measurement uses.
// Read and ReadFenced are the hot path: the chosen source's entry points sit in static readonly
// fields, which the tiered JIT treats as constants, so a read compiles to one direct unmanaged call
// (SuppressGCTransition: no GC frame, no mode switch). Everything slower (frequency, read cost,
// the reason for the choice) lives on the ClockSource this class fronts, see Current.
// The source is chosen once, at first use: REDLEAF_CLOCK=stopwatch set later has no effect.
using System.Runtime.CompilerServices;

namespace RedLeaf.Hardware;

/// <summary>The CPU's time-stamp counter (or, where unavailable, a stopwatch in nominal cycles).</summary>
public static unsafe class Tsc
{
    static readonly ClockSource s_current = ClockSource.CreateDefault();
    static readonly delegate* unmanaged[SuppressGCTransition]<ulong> s_read = s_current.ReadPointer;
    static readonly delegate* unmanaged[SuppressGCTransition]<ulong> s_readFenced = s_current.ReadFencedPointer;
    static readonly bool s_hardware = s_current.IsHardware;
    static readonly Lazy<double> s_readCost = new(() => CalibrateReadCost());

    /// <summary>The counter, unordered: cheapest, for timing batches of work.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read() => s_hardware ? s_read() : ClockSource.StopwatchCycles();

    /// <summary>The counter with lfence on both sides: for timing short regions where order matters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReadFenced() => s_hardware ? s_readFenced() : ClockSource.StopwatchCycles();

    /// <summary>The source chosen for this process.</summary>
    public static ClockSource Current => s_current;
    /// <summary>"rdtsc" or "stopwatch-fallback".</summary>
    public static string Source => s_current.Name;
    public static bool IsHardware => s_hardware;
    /// <summary>Ticks per second, calibrated against Stopwatch on first use (about 30 ms), then cached.</summary>
    public static double Hz => s_current.Hz;
    /// <summary>Median ticks between two back-to-back Read calls, measured on first use, then cached.</summary>
    public static double ReadCost => s_readCost.Value;
    public static ClockInfo Info => new(Source, Hz, ReadCost, s_current.Note);

    /// <summary>Measures afresh the median ticks between two back-to-back Read (or ReadFenced) calls.</summary>
    public static double CalibrateReadCost(bool fenced = false)
    {
        Span<ulong> samples = stackalloc ulong[ClockSource.CostSamples];
        for (int round = 0; round < 2; round++) // the first round warms up code and caches
        {
            if (fenced)
                for (int i = 0; i < samples.Length; i++) { ulong first = ReadFenced(); samples[i] = ReadFenced() - first; }
            else
                for (int i = 0; i < samples.Length; i++) { ulong first = Read(); samples[i] = Read() - first; }
        }
        return ClockSource.Median(samples);
    }

    /// <summary>Converts a tick count from this clock to seconds.</summary>
    public static double ToSeconds(ulong ticks) => ticks / Hz;
}

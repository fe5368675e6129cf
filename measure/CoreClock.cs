// measure: how the time-stamp counter relates to the core's own cycles on this machine. The TSC ticks
// at a fixed rate (its nominal frequency, e.g. 2.096 GHz) whatever the core's clock does (turbo, power
// states, a hypervisor's scheduling), so "cycles" in our rows are TSC ticks, not core cycles. This
// measures the ratio: a chain of dependent integer operations (add, then xor, each needing the other's
// result) retires one operation per core cycle on every x86-64 core since the P6, so ops / ticks is
// core cycles per TSC tick. The loop's own counter runs beside the chain on other ports and costs
// nothing; the chain's constants come from fields so the JIT cannot fold them. In a Debug build the JIT
// keeps every value in memory and the chain measures store forwarding instead, so there the ratio is not
// measured (NaN; null in the JSON) rather than wrong.
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using RedLeaf.Hardware;

namespace RedLeaf.Measure;

public static class CoreClock
{
    /// <summary>Dependent operations per loop iteration (16 add/xor pairs).</summary>
    public const int OpsPerIteration = 32;

    static readonly Lazy<double> s_ratio = new(() => Measure());
    static ulong s_add = 0x9E3779B97F4A7C15, s_xor = 0xBF58476D1CE4E5B9;
    static ulong s_sink;

    /// <summary>Core cycles per TSC tick, measured once per process (about 20 ms); the median of 11 runs.
    /// NaN when this library was compiled without optimisation (<see cref="Optimised"/>).</summary>
    public static double CyclesPerTick => s_ratio.Value;

    /// <summary>False in a Debug build of this library, where the chain is not a register chain.</summary>
    public static bool Optimised =>
        typeof(CoreClock).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true;

    /// <summary>The core's clock while running the chain, in Hz: the TSC's rate times the ratio.</summary>
    public static double CoreHz => Tsc.Hz * CyclesPerTick;

    public const string Method = "a chain of dependent add/xor operations (one per core cycle on x86-64) timed with the TSC: " +
        "core cycles per tick = operations / ticks, median of 11 runs of 2^18 iterations";

    public static double Measure()
    {
        if (!Optimised) return double.NaN;
        Chain(1 << 14); // compiled and warm (AggressiveOptimization: fully optimised from the first call)
        var ratios = new double[11];
        const int iterations = 1 << 18;
        for (int i = 0; i < ratios.Length; i++)
        {
            ulong t0 = Tsc.ReadFenced();
            Chain(iterations);
            ulong t1 = Tsc.ReadFenced();
            ratios[i] = (double)iterations * OpsPerIteration / (t1 - t0);
        }
        return Stats.Of(ratios).Median;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void Chain(int iterations)
    {
        ulong x = s_sink, a = s_add, m = s_xor;
        for (int i = 0; i < iterations; i++)
        {
            x += a; x ^= m; x += a; x ^= m; x += a; x ^= m; x += a; x ^= m;
            x += a; x ^= m; x += a; x ^= m; x += a; x ^= m; x += a; x ^= m;
            x += a; x ^= m; x += a; x ^= m; x += a; x ^= m; x += a; x ^= m;
            x += a; x ^= m; x += a; x ^= m; x += a; x ^= m; x += a; x ^= m;
        }
        s_sink = x;
    }
}

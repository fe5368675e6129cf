// measure: times an operation with the time-stamp counter. Two kinds of sample:
//  - batch samples: one TSC read pair around a batch of calls, divided by the batch size; their
//    median is the per-call cost reported in tables (the timer's cost vanishes in the division,
//    and what remains of it is subtracted anyway);
//  - per-call samples: a TSC pair around each call, minus the calibrated cost of the pair; noisy
//    at this scale, kept for histograms.
// It also counts bytes allocated per call on this thread, which must be 0 on the call paths.
// A sampler must time the code the program runs in its steady state, not the JIT's first draft: .NET
// starts a method in unoptimised tier-0 code and swaps in optimised code later, in the background, after
// a delay that a loaded machine stretches. A fixed warm-up alone once let 3 of 12 runs time proxy calls at
// 4-5x their settled cost. So the sampler proves what it timed, twice over:
//  - warm-up runs for the settings' time and then until the JIT has compiled nothing in the whole process
//    for a full quiet slice (JitInfo's count of compiled methods; capped at ten times the warm-up);
//  - a timed run whose first third and last third (median of their batches) disagree by more than the
//    tolerance is rejected and measured again: code promoted mid-run shows as a step between them. After
//    MaxAttempts the run that agreed best is kept and marked unsettled (Settled = false in the row).
using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;
using RedLeaf.Hardware;

namespace RedLeaf.Measure;

public sealed record SamplerSettings(int Batches, int BatchSize, int PerCallSamples, TimeSpan Warmup)
{
    public static SamplerSettings Quick => new(2_000, 100, 5_000, TimeSpan.FromMilliseconds(300));
    public static SamplerSettings Full => new(20_000, 100, 50_000, TimeSpan.FromSeconds(1));
    // For operations of microseconds (system calls, IPC round trips): smaller batches, fewer samples.
    public static SamplerSettings QuickSlow => new(500, 10, 2_000, TimeSpan.FromMilliseconds(200));
    public static SamplerSettings FullSlow => new(5_000, 10, 20_000, TimeSpan.FromSeconds(1));

    /// <summary>How far the first third's median may be from the last third's (as a fraction of the
    /// smaller) before the run is rejected; differences under <see cref="ThirdsFloorTicks"/> never count.</summary>
    public double ThirdsTolerance { get; init; } = 0.20;
    /// <summary>Differences between thirds below this many ticks are timer noise, not a change of code.</summary>
    public double ThirdsFloorTicks { get; init; } = 1.0;
    /// <summary>Timed runs before the sampler gives up on agreement and keeps the best one, unsettled.</summary>
    public int MaxAttempts { get; init; } = 5;
    /// <summary>A warm-up slice during which the JIT must compile nothing for the warm-up to end.</summary>
    public TimeSpan QuietSlice { get; init; } = TimeSpan.FromMilliseconds(100);
}

/// <param name="BatchSamples">Per-call cost of each batch (its mean): the distribution the table's median comes from.</param>
/// <param name="Attempts">Timed runs made; all but the last were rejected (unless none agreed: then the best is kept).</param>
/// <param name="ThirdsRatio">Median of the first third of batches over that of the last third, in the run kept.</param>
/// <param name="Settled">True when the kept run's thirds agreed within the tolerance.</param>
public sealed record Measurement(Stats Batch, double[] PerCall, double AllocBytesPerOp, long Operations, double[] BatchSamples,
    int Attempts = 1, double ThirdsRatio = 1, bool Settled = true);

public static class Sampler
{
    public static Measurement Measure<T>(ref T op, SamplerSettings s) where T : struct, IOperation
    {
        WarmUp(ref op, s);
        double readCost = Tsc.ReadCost;
        var batch = new double[s.Batches];
        double[]? kept = null;
        double keptRatio = double.NaN, keptAlloc = 0;
        int attempts = 0;
        while (attempts < Math.Max(1, s.MaxAttempts))
        {
            attempts++;
            long allocBefore = GC.GetAllocatedBytesForCurrentThread();
            TimeBatches(ref op, batch, s.BatchSize, readCost);
            long allocAfter = GC.GetAllocatedBytesForCurrentThread();
            double ratio = ThirdsRatio(batch, out double first, out double last);
            bool agrees = Agrees(first, last, s);
            if (kept is null || Disagreement(ratio) < Disagreement(keptRatio))
            {
                kept = (double[])batch.Clone();
                keptRatio = ratio;
                keptAlloc = (double)(allocAfter - allocBefore) / ((long)s.Batches * s.BatchSize);
            }
            if (agrees) break;
        }
        bool settled = Agrees(kept!, s);

        var perCall = new double[s.PerCallSamples];
        TimeCalls(ref op, perCall, readCost);
        long ops = (long)attempts * s.Batches * s.BatchSize + perCall.Length;
        return new Measurement(Stats.Of(kept!), perCall, keptAlloc, ops, kept!, attempts, keptRatio, settled);
    }

    // The timed loops are methods of their own compiled fully optimised at first use (AggressiveOptimization):
    // a loop inside a tiered method would start in tier-0 code and switch to on-stack-replaced code part way.
    // By then Tsc is initialised, so its entry points still compile to constants.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void TimeBatches<T>(ref T op, double[] batch, int batchSize, double readCost) where T : struct, IOperation
    {
        for (int b = 0; b < batch.Length; b++)
        {
            ulong t0 = Tsc.Read();
            for (int i = 0; i < batchSize; i++) op.Run();
            ulong t1 = Tsc.Read();
            batch[b] = Math.Max(0, (t1 - t0 - readCost) / batchSize);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void TimeCalls<T>(ref T op, double[] perCall, double readCost) where T : struct, IOperation
    {
        for (int i = 0; i < perCall.Length; i++)
        {
            ulong t0 = Tsc.Read();
            op.Run();
            ulong t1 = Tsc.Read();
            perCall[i] = Math.Max(0, t1 - t0 - readCost);
        }
    }

    /// <summary>Runs the operation for the warm-up time, then on until the JIT compiled nothing anywhere in
    /// the process for a whole quiet slice (at most ten times the warm-up). No warm-up, no quiet check.</summary>
    static void WarmUp<T>(ref T op, SamplerSettings s) where T : struct, IOperation
    {
        if (s.Warmup <= TimeSpan.Zero) return;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < s.Warmup)
            for (int i = 0; i < s.BatchSize * 100; i++) op.Run();
        var cap = s.Warmup * 10;
        while (sw.Elapsed < cap)
        {
            long compiled = JitInfo.GetCompiledMethodCount(currentThread: false);
            var slice = Stopwatch.StartNew();
            while (slice.Elapsed < s.QuietSlice)
                for (int i = 0; i < s.BatchSize * 10; i++) op.Run();
            if (JitInfo.GetCompiledMethodCount(currentThread: false) == compiled) return;
        }
    }

    /// <summary>Median of the first third of the batches over the median of the last third.</summary>
    public static double ThirdsRatio(ReadOnlySpan<double> batches, out double first, out double last)
    {
        int third = Math.Max(1, batches.Length / 3);
        first = Stats.Of(batches[..third]).Median;
        last = Stats.Of(batches[^third..]).Median;
        return last > 0 ? first / last : first > 0 ? double.PositiveInfinity : 1;
    }

    static bool Agrees(double first, double last, SamplerSettings s) =>
        Math.Abs(first - last) <= s.ThirdsFloorTicks || Math.Max(first, last) <= Math.Min(first, last) * (1 + s.ThirdsTolerance);

    static bool Agrees(double[] batches, SamplerSettings s)
    {
        ThirdsRatio(batches, out double first, out double last);
        return Agrees(first, last, s);
    }

    static double Disagreement(double ratio) => double.IsNaN(ratio) ? double.PositiveInfinity : ratio >= 1 ? ratio : 1 / ratio;
}

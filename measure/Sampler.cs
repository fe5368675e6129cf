// measure: times an operation with the time-stamp counter. Two kinds of sample:
//  - batch samples: one TSC read pair around a batch of calls, divided by the batch size; their
//    median is the per-call cost reported in tables (the timer's cost vanishes in the division,
//    and what remains of it is subtracted anyway);
//  - per-call samples: a TSC pair around each call, minus the calibrated cost of the pair; noisy
//    at this scale, kept for histograms.
// It also counts bytes allocated per call on this thread, which must be 0 on the call paths.
using System.Diagnostics;
using RedLeaf.Hardware;

namespace RedLeaf.Measure;

public sealed record SamplerSettings(int Batches, int BatchSize, int PerCallSamples, TimeSpan Warmup)
{
    public static SamplerSettings Quick => new(2_000, 100, 5_000, TimeSpan.FromMilliseconds(300));
    public static SamplerSettings Full => new(20_000, 100, 50_000, TimeSpan.FromSeconds(1));
    // For operations of microseconds (system calls, IPC round trips): smaller batches, fewer samples.
    public static SamplerSettings QuickSlow => new(500, 10, 2_000, TimeSpan.FromMilliseconds(200));
    public static SamplerSettings FullSlow => new(5_000, 10, 20_000, TimeSpan.FromSeconds(1));
}

/// <param name="BatchSamples">Per-call cost of each batch (its mean): the distribution the table's median comes from.</param>
public sealed record Measurement(Stats Batch, double[] PerCall, double AllocBytesPerOp, long Operations, double[] BatchSamples);

public static class Sampler
{
    public static Measurement Measure<T>(ref T op, SamplerSettings s) where T : struct, IOperation
    {
        // Warm up until the JIT has tiered up the loop and everything it calls.
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < s.Warmup)
            for (int i = 0; i < s.BatchSize * 100; i++) op.Run();

        double readCost = Tsc.ReadCost;
        long ops = 0;
        var batch = new double[s.Batches];
        var perCall = new double[s.PerCallSamples];
        long allocBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int b = 0; b < batch.Length; b++)
        {
            ulong t0 = Tsc.Read();
            for (int i = 0; i < s.BatchSize; i++) op.Run();
            ulong t1 = Tsc.Read();
            batch[b] = Math.Max(0, (t1 - t0 - readCost) / s.BatchSize);
        }
        ops += (long)s.Batches * s.BatchSize;
        long allocAfter = GC.GetAllocatedBytesForCurrentThread();

        for (int i = 0; i < perCall.Length; i++)
        {
            ulong t0 = Tsc.Read();
            op.Run();
            ulong t1 = Tsc.Read();
            perCall[i] = Math.Max(0, t1 - t0 - readCost);
        }
        ops += perCall.Length;
        return new Measurement(Stats.Of(batch), perCall, (double)(allocAfter - allocBefore) / ((long)s.Batches * s.BatchSize), ops, batch);
    }
}

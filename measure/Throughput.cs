// measure: throughput of a chunked operation (packets, requests): operations per second of each chunk,
// timed with the time-stamp counter after a warm-up, and the bytes the measuring thread allocated per
// operation. The driver, recovery and application suites time their loops with it.
using RedLeaf.Hardware;

namespace RedLeaf.Measure;

public static class Throughput
{
    /// <summary>Runs <paramref name="chunk"/> (which returns operations done) for <paramref name="warmup"/>,
    /// then for <paramref name="measure"/>; returns operations per second of each measured chunk and the
    /// bytes this thread allocated per operation while measuring.</summary>
    public static (double[] PerSecond, double AllocPerOp, long Operations) Time(Func<long> chunk, TimeSpan warmup, TimeSpan measure)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < warmup) chunk();
        var rates = new double[4096]; // preallocated: the measuring loop itself allocates nothing
        int count = 0;
        long ops = 0, alloc = 0;
        sw.Restart();
        while (sw.Elapsed < measure && count < rates.Length)
        {
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            ulong t0 = Tsc.Read();
            long n = chunk();
            ulong t1 = Tsc.Read();
            alloc += GC.GetAllocatedBytesForCurrentThread() - a0;
            ops += n;
            rates[count++] = n / Tsc.ToSeconds(t1 - t0);
        }
        Array.Resize(ref rates, count);
        return (rates, ops == 0 ? 0 : (double)alloc / ops, ops);
    }
}

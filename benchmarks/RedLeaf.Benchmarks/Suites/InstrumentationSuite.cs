// benchmarks/RedLeaf.Benchmarks/Suites: what the trusted compiler's instrumentation costs (Guard.Tick at every method entry and
// loop back-edge, the stack guard, array checks) on a compute-bound domain, and how fast a kill stops a
// domain spinning in a loop. The same source is built twice, with and without the checks, and both run
// as domains through their proxies, alternating, in one process.
using System.Diagnostics;
using RedLeaf.Hardware;
using RedLeaf.Interfaces.Test;
using RedLeaf.Measure;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;

namespace RedLeaf.Benchmarks.Suites;

public static class InstrumentationSuite
{
    public const string Name = "instrumentation";

    public static SuiteResult Run(bool quick, Action<string>? progress = null)
    {
        progress ??= _ => { };
        using var kernel = Microkernel.Boot(new MachineConfig { MemoryBytes = 16L << 20 }, new KernelOptions { AllowUninstrumented = true });
        string folder = DomainTree.Folder("workloads/compute");
        var plain = kernel.Load(TrustedCompiler.Default.CompileUninstrumentedForMeasurement(folder)).Get<IHostile>();
        var checkedDomain = kernel.Load(TrustedCompiler.Default.CompileFolder(folder)).Get<IHostile>();
        int rounds = quick ? 15 : 60;
        for (int i = 0; i < 5; i++) { plain.Run(i); checkedDomain.Run(i); } // warm up (tiering)

        var plainMs = new double[rounds];
        var checkedMs = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            long expected = Time(plain, r, out plainMs[r]);
            if (Time(checkedDomain, r, out checkedMs[r]) != expected) throw new InvalidOperationException("the instrumented build computed a different result");
        }
        var p = Stats.Of(plainMs);
        var c = Stats.Of(checkedMs);
        double overhead = (c.Median / p.Median - 1) * 100;
        progress($"instrumentation: plain {p.Median:F2} ms, instrumented {c.Median:F2} ms, overhead {overhead:F1}%");

        var rows = new List<BenchRow>
        {
            new BenchRow("compute-plain").Set("median_ms", BenchRow.Round(p.Median)).Set("min_ms", BenchRow.Round(p.Min)).Set("samples", rounds),
            new BenchRow("compute-instrumented").Set("median_ms", BenchRow.Round(c.Median)).Set("min_ms", BenchRow.Round(c.Min)).Set("samples", rounds)
                .Set("overhead_pct", BenchRow.Round(overhead)),
            KillLatency(kernel, quick ? 5 : 20, progress),
        };
        return new SuiteResult(Name, quick, rows);
    }

    private static long Time(IHostile domain, long arg, out double ms)
    {
        long t0 = Stopwatch.GetTimestamp();
        var r = domain.Run(arg);
        ms = (Stopwatch.GetTimestamp() - t0) * 1e3 / Stopwatch.Frequency;
        return r.IsOk ? r.Value : throw new InvalidOperationException($"compute domain failed: {r.Error}");
    }

    /// <summary>From Kill to the spinning call returning its error, for a domain in an infinite loop.</summary>
    private static BenchRow KillLatency(Microkernel kernel, int n, Action<string> progress)
    {
        var image = TrustedCompiler.Default.CompileFolder(DomainTree.Folder("test/spinner"));
        var ms = new double[n];
        for (int i = 0; i < n; i++)
        {
            var d = kernel.Load(image);
            var call = Task.Run(() => d.Get<IHostile>().Run(0));
            Thread.Sleep(50);
            long t0 = Stopwatch.GetTimestamp();
            kernel.Kill(d);
            if (!call.Wait(TimeSpan.FromSeconds(10))) throw new TimeoutException("a killed domain kept spinning for 10 s");
            ms[i] = (Stopwatch.GetTimestamp() - t0) * 1e3 / Stopwatch.Frequency;
        }
        var s = Stats.Of(ms);
        progress($"instrumentation: kill of a spinning domain took {s.Median:F3} ms median, {s.Max:F3} ms max");
        return new BenchRow("kill-latency").Set("median_ms", BenchRow.Round(s.Median)).Set("max_ms", BenchRow.Round(s.Max)).Set("samples", n);
    }
}

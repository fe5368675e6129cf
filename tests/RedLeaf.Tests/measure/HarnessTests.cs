// tests/measure: the measurement harness itself (statistics, timer-cost subtraction, suite shape and
// JSON), never the timings: speed targets live in benchmarks and notes, not in unit tests.
using System.Text.Json.Nodes;
using RedLeaf.Benchmarks.Suites;
using RedLeaf.Hardware;
using RedLeaf.Measure;
using Xunit;

namespace RedLeaf.Tests.Bench;

[Trait("suite", "bench")]
public class HarnessTests
{
    [Fact]
    public void StatsUseNearestRankPercentiles()
    {
        var data = Enumerable.Range(1, 100).Select(i => (double)i).Reverse().ToArray();
        var s = Stats.Of(data);
        Assert.Equal(50, s.Median);
        Assert.Equal(90, s.P90);
        Assert.Equal(99, s.P99);
        Assert.Equal(1, s.Min);
        Assert.Equal(100, s.Max);
        Assert.Equal(100, s.Count);
    }

    private struct Nothing : IOperation
    {
        public void Run() { }
    }

    [Fact]
    public void TimerCostIsCalibratedAndSubtracted()
    {
        var op = new Nothing();
        double rawBefore = RawPairMedian();
        var m = Sampler.Measure(ref op, new SamplerSettings(200, 10, 2_000, TimeSpan.FromMilliseconds(20)));
        double rawAfter = RawPairMedian();
        // An empty operation timed with a read pair costs the pair; with the calibrated cost subtracted, the typical
        // per-call sample is the pair's cost now less the calibration, not the pair's whole cost. Compared with the
        // pair's raw cost measured just before and after (not with the calibration alone: on a loaded machine a pair
        // can cost twice what it did when the calibration ran, CI 2026-12-07: "median per-call sample 26 vs read cost 26").
        var sorted = m.PerCall.OrderBy(x => x).ToArray();
        double median = Stats.Rank(sorted, 0.5), raw = (rawBefore + rawAfter) / 2;
        Assert.True(Tsc.ReadCost > 0, "the read cost was calibrated");
        Assert.True(median <= raw - Tsc.ReadCost / 2,
            $"median per-call sample {median} vs a raw read pair's {rawBefore} (before) and {rawAfter} (after), calibrated read cost {Tsc.ReadCost}");
        Assert.All(m.PerCall, x => Assert.True(x >= 0));
        Assert.Equal(0, m.AllocBytesPerOp);
    }

    /// <summary>The median of 2,000 back-to-back read pairs, nothing subtracted (compiled as the sampler's loops are).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining | System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double RawPairMedian()
    {
        var pairs = new double[2_000];
        for (int i = 0; i < pairs.Length; i++)
        {
            ulong t0 = Tsc.Read();
            ulong t1 = Tsc.Read();
            pairs[i] = t1 - t0;
        }
        Array.Sort(pairs);
        return Stats.Rank(pairs, 0.5);
    }

    /// <summary>Stands in for code the JIT has not optimised yet: slow (a spin) for its first
    /// <see cref="SlowCalls"/> calls, as tier-0 code is until the optimised code replaces it mid-run.</summary>
    private struct TiersUpMidRun : IOperation
    {
        public int SlowCalls;
        /// <summary>If set, the slow code comes back at the start of every period (a run that never settles).</summary>
        public int Period;
        public int Calls;
        public ulong Sink;
        public void Run()
        {
            int call = Calls++;
            if (Period > 0 ? call % Period < SlowCalls : call < SlowCalls)
                for (int i = 0; i < 200; i++) Sink = Sink * 31 + (ulong)i;
        }
    }

    [Fact]
    public void ARunWhoseCodeChangesSpeedMidRunIsRejectedAndMeasuredAgain()
    {
        // No warm-up: the first timed run starts on the slow code and sees it replaced half way through,
        // as a run timing tier-0 code would. Its thirds disagree, so it is rejected; the second run,
        // all on the fast code, is kept.
        // The slow code costs hundreds of ticks a call, the fast a few: a floor of 20 ticks keeps timer noise
        // on the fast code (other tests run beside this one) from rejecting a good run, and still sees the step.
        var s = new SamplerSettings(300, 10, 100, TimeSpan.Zero) { ThirdsFloorTicks = 20 };
        var op = new TiersUpMidRun { SlowCalls = 1_500 };
        var m = Sampler.Measure(ref op, s);
        Assert.Equal(2, m.Attempts);
        Assert.True(m.Settled);
        // The kept run's thirds agree as the sampler's rule says: within the tolerance, or closer than the floor (a run on
        // the fast code whose thirds read 8 and 10 ticks is fine although 0.8 is outside the tolerance).
        Sampler.ThirdsRatio(m.BatchSamples, out double first, out double last);
        Assert.True(Math.Abs(first - last) <= s.ThirdsFloorTicks || (m.ThirdsRatio >= 1 / (1 + s.ThirdsTolerance) && m.ThirdsRatio <= 1 + s.ThirdsTolerance),
            $"the kept run's thirds disagree: first {first:F1}, last {last:F1} ticks (ratio {m.ThirdsRatio:F2})");
        Assert.True(m.Batch.Median < 50, $"the kept run timed the fast code ({m.Batch.Median} ticks per call)");
        Assert.Equal(2L * 300 * 10 + 100, m.Operations);

        // A run that never settles within MaxAttempts is kept, marked unsettled, not passed off as settled.
        var stuck = new SamplerSettings(30, 10, 10, TimeSpan.Zero) { MaxAttempts = 3, ThirdsFloorTicks = 20 };
        var never = new TiersUpMidRun { SlowCalls = 100, Period = 300 }; // each attempt's first third is slow
        var unsettled = Sampler.Measure(ref never, stuck);
        Assert.Equal(3, unsettled.Attempts);
        Assert.False(unsettled.Settled);
        Assert.False(BenchRow.FromMeasurement("unsettled", unsettled).Fields.First(f => f.Key == "settled").Value!.GetValue<bool>());
        // Code that is slow throughout agrees with itself: the check is about change, not speed.
        var always = new TiersUpMidRun { SlowCalls = int.MaxValue };
        Assert.Equal(1, Sampler.Measure(ref always, stuck).Attempts);
        var row = BenchRow.FromMeasurement("rejected", m);
        Assert.Equal(2, row.Number("attempts"));
        Assert.True(row.Number("median_ns") >= 0);
    }

    [Fact]
    public void ThirdsCompareTheMedianOfTheFirstAndLastThird()
    {
        double[] batches = [10, 10, 10, 5, 5, 5, 2, 2, 2];
        Assert.Equal(5.0, Sampler.ThirdsRatio(batches, out double first, out double last));
        Assert.Equal(10, first);
        Assert.Equal(2, last);
    }

    [Fact]
    public void SuiteJsonCarriesTheRuntimeAndHowTheTscRelatesToCoreCycles()
    {
        var json = JsonNode.Parse(new SuiteResult("test", true, [new BenchRow("a").Set("median_cycles", 1)]).ToJsonText())!;
        var runtime = json["runtime"]!.AsObject();
        foreach (var f in new[] { "tiered_compilation", "tiered_pgo", "server_gc", "concurrent_gc", "dotnet" })
            Assert.True(runtime.ContainsKey(f), $"runtime.{f}");
        Assert.False((bool)runtime["tiered_pgo"]!, "Directory.Build.props turns tiered PGO off; the JSON reads it from the process");
        Assert.Equal(System.Runtime.GCSettings.IsServerGC, (bool)runtime["server_gc"]!);
        Assert.StartsWith(".NET", (string?)runtime["dotnet"]);
        if (CoreClock.Optimised)
        {
            // A core clocked between 0.5 and 6 GHz against any TSC between 1 and 4 GHz: a measured, plausible ratio.
            Assert.InRange((double)json["clock"]!["core_cycles_per_tick"]!, 0.1, 6);
            Assert.True((double)json["clock"]!["core_hz"]! > 0);
        }
        else // a Debug build: the chain would time memory round trips, so no number rather than a wrong one
        {
            Assert.Null(json["clock"]!["core_cycles_per_tick"]);
            Assert.StartsWith("not measured", (string?)json["clock"]!["core_cycles_method"]);
        }
    }

    [Fact]
    public void CallsSuiteHasEveryRowAndFieldAndNoProxyRowAllocates()
    {
        var result = CallsSuite.Run(quick: true);
        string[] fields = { "median_cycles", "median_ns", "p90_cycles", "p99_cycles", "min_cycles", "samples", "alloc_bytes_per_op", "attempts", "thirds_ratio", "settled" };
        foreach (var name in CallsSuite.RowNames)
        {
            var row = result[name];
            foreach (var f in fields) Assert.Contains(row.Fields, x => x.Key == f);
            Assert.True(row.Samples.Length > 0);
            Assert.True(row.Number("median_cycles") > 0);
            Assert.Equal(row.Number("median_cycles") / Tsc.Hz * 1e9, row.Number("median_ns"), 0.02);
            Assert.True(row.Number("min_cycles") <= row.Number("median_cycles"));
            Assert.True(row.Number("median_cycles") <= row.Number("p90_cycles") && row.Number("p90_cycles") <= row.Number("p99_cycles"));
        }
        foreach (var name in new[] { "proxy-null", "proxy-arg", "proxy-rref", "proxy-borrow", "shadow-null", "shadow-rref" })
            Assert.Equal(0, result[name].Number("alloc_bytes_per_op"));
        Assert.True(result["proxy-null"].BatchSamples.Length > 0, "batch samples are kept for histograms");

        var json = JsonNode.Parse(result.ToJsonText())!;
        Assert.Equal("calls", (string?)json["suite"]);
        Assert.False(string.IsNullOrEmpty((string?)json["clock"]!["source"]));
        Assert.True((double)json["clock"]!["hz"]! > 0);
        Assert.NotNull(json["machine"]!["cpu"]);
        Assert.Equal(CallsSuite.RowNames, json["rows"]!.AsArray().Select(r => (string?)r!["name"]).ToArray());
        foreach (var name in CallsSuite.RowNames)
            Assert.False(string.IsNullOrEmpty((string?)json["details"]!["rows"]![name]), $"details say what {name} timed");
    }

    [Fact]
    public void LifecycleSuiteMeasuresLoadsMemoryAndCollection()
    {
        var result = LifecycleSuite.Run(quick: true);
        Assert.True(result["load-warm"].Number("median_us") > 0);
        Assert.True(result["live-memory"].Number("rss_bytes_per_domain") >= 0);
        var crash = result["crash-to-collected"];
        Assert.Equal(crash.Number("count"), crash.Number("collected"));
    }
}

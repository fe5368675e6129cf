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
        var m = Sampler.Measure(ref op, new SamplerSettings(200, 10, 2_000, TimeSpan.FromMilliseconds(20)));
        // An empty operation timed with a read pair costs the pair; with the pair's median cost
        // subtracted, the typical per-call sample is (close to) zero, not the read cost itself.
        var sorted = m.PerCall.OrderBy(x => x).ToArray();
        Assert.True(Tsc.ReadCost > 0, "the read cost was calibrated");
        Assert.True(Stats.Rank(sorted, 0.5) < Tsc.ReadCost / 2, $"median per-call sample {Stats.Rank(sorted, 0.5)} vs read cost {Tsc.ReadCost}");
        Assert.All(m.PerCall, x => Assert.True(x >= 0));
        Assert.Equal(0, m.AllocBytesPerOp);
    }

    [Fact]
    public void CallsSuiteHasEveryRowAndFieldAndNoProxyRowAllocates()
    {
        var result = CallsSuite.Run(quick: true);
        string[] fields = { "median_cycles", "p90_cycles", "p99_cycles", "min_cycles", "samples", "alloc_bytes_per_op" };
        foreach (var name in CallsSuite.RowNames)
        {
            var row = result[name];
            foreach (var f in fields) Assert.Contains(row.Fields, x => x.Key == f);
            Assert.True(row.Samples.Length > 0);
            Assert.True(row.Number("median_cycles") > 0);
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

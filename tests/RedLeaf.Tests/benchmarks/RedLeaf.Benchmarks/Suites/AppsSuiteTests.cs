// tests/benchmarks/RedLeaf.Benchmarks/Suites: `bench apps` rows have what the CLI and the results tables read: the
// name, a positive finite rate, the sink's counts with `sink_clean` true, every flow tracked, and 0 bytes
// allocated per frame on the domain path (GC.GetAllocatedBytesForCurrentThread around the timed chunks); the store's
// rows likewise, every reply checked by the model and the GET share the mix's; the crashing row crashes the driver and
// the store serves on, every reply still checked, the clients' lost requests sent again and each answered once
// (without sending again, its lost requests are the wire's lost frames: ClientsThatNeverSendAgain... in KvRunTests
// shows one crash losing some deterministically). Shapes,
// never speeds: the timings are cut to a tenth of a second.
using RedLeaf.Benchmarks.Apps;
using RedLeaf.Benchmarks.Suites;
using RedLeaf.Measure;
using Xunit;

namespace RedLeaf.Tests.Apps;

[Trait("suite", "apps")]
public class AppsSuiteTests
{
    private static readonly TimeSpan Warmup = TimeSpan.FromMilliseconds(100), Measure = TimeSpan.FromMilliseconds(150);

    [Theory]
    [InlineData("c", 1)]
    [InlineData("c", 32)]
    [InlineData("domain", 32)]
    [InlineData("shadow", 1)]
    public void ARowHasItsRateItsCleanSinkAndItsFlows(string config, int batch)
    {
        var row = config == "c" ? AppsSuite.MeasureMaglevC(batch, Warmup, Measure) : AppsSuite.MeasureMaglev(config, batch, Warmup, Measure);
        Assert.Equal($"maglev-{config}-b{batch}", row.Name);
        foreach (var field in new[] { "mpps", "min_mpps", "max_mpps", "packets", "sink_received" })
        {
            double v = row.Number(field);
            Assert.True(double.IsFinite(v) && v > 0, $"{field} = {v}");
        }
        Assert.True(row.Fields.First(f => f.Key == "sink_clean").Value!.GetValue<bool>(), Describe(row));
        Assert.Equal(0, row.Number("sink_misrouted"));
        Assert.Equal(MaglevRun.Flows, row.Number("connections"));
        Assert.True(row.Number("sink_received") >= row.Number("packets"));
    }

    [Fact]
    public void TheDomainPathAllocatesNothingPerFrame()
    {
        var row = AppsSuite.MeasureMaglev("domain", 32, TimeSpan.FromMilliseconds(300), Measure);
        Assert.True(row.Number("alloc_b_per_op") == 0, Describe(row));
    }

    [Theory]
    [InlineData("c", "get50", 0.50, 32)]
    [InlineData("driver", "get95", 0.95, 32)]
    [InlineData("domain", "get50", 0.50, 1)]
    [InlineData("shadow", "get95", 0.95, 32)]
    public void AKvRowHasItsRateItsCheckedRepliesAndItsMix(string config, string mix, double getShare, int batch)
    {
        var row = config == "c" ? AppsSuite.MeasureKvC(mix, getShare, batch, Warmup, Measure) : AppsSuite.MeasureKv(config, mix, getShare, batch, Warmup, Measure);
        Assert.Equal($"kv-{config}-{mix}-b{batch}", row.Name);
        foreach (var field in new[] { "mpps", "min_mpps", "max_mpps", "requests", "sink_received", "gets", "sets", "get_hits", "stored" })
        {
            double v = row.Number(field);
            Assert.True(double.IsFinite(v) && v > 0, $"{field} = {v}");
        }
        Assert.True(row.Fields.First(f => f.Key == "sink_clean").Value!.GetValue<bool>(), Describe(row));
        Assert.Equal(0, row.Number("sink_wrong_replies"));
        Assert.Equal(row.Number("sink_received"), row.Number("gets") + row.Number("sets")); // every reply checked
        Assert.InRange(row.Number("gets") / row.Number("sink_received"), getShare - 0.03, getShare + 0.03);
    }

    [Fact]
    public void TheKvDomainPathAllocatesNothingPerRequest()
    {
        var row = AppsSuite.MeasureKv("domain", "get95", 0.95, 32, TimeSpan.FromMilliseconds(300), Measure);
        Assert.True(row.Number("alloc_b_per_op") == 0, Describe(row));
    }

    [Fact]
    public void TheCrashingRowCrashesTheDriverAndTheClientsSeeEveryRequestAnsweredOnce()
    {
        var row = AppsSuite.MeasureKvCrashing(32, Warmup, TimeSpan.FromMilliseconds(700), TimeSpan.FromMilliseconds(100));
        Assert.Equal("kv-shadow-crashing-b32", row.Name);
        Assert.True(row.Number("crashes") >= 1, Describe(row));
        // Served on: requests, not the rounded rate (a loaded machine restarting the driver every 100 ms once served
        // 50,016 requests in over 6 s of 66 crashes, 0.00 Mpps at two decimals).
        Assert.True(row.Number("requests") > 0 && row.Number("mpps") >= 0, Describe(row));
        Assert.Equal(0, row.Number("sink_wrong_replies"));
        // The wire lost and repeated frames; the clients sent the lost requests again and had every one answered once.
        Assert.Equal(row.Number("sink_lost"), row.Number("wire_lost"));
        Assert.Equal(row.Number("sink_duplicated"), row.Number("wire_repeated"));
        Assert.True(row.Number("retransmitted") >= row.Number("wire_lost"), Describe(row));
        Assert.Equal(0, row.Number("lost"));
        Assert.Equal(0, row.Number("repeated"));
        Assert.True(row.Number("sink_corrupted") == 0 && row.Number("sink_misrouted") == 0, Describe(row));
        Assert.Equal(row.Number("sink_received"), row.Number("gets") + row.Number("sets") + row.Number("wire_repeated")); // every reply checked once
    }

    [Fact]
    public void WithoutRetransmitsTheCrashingRowsLostRequestsAreTheWiresLostFrames()
    {
        var row = AppsSuite.MeasureKvCrashing(32, Warmup, TimeSpan.FromMilliseconds(700), TimeSpan.FromMilliseconds(100), retransmit: false);
        Assert.True(row.Number("crashes") >= 1, Describe(row));
        Assert.Equal(row.Number("wire_lost"), row.Number("lost"));
        Assert.Equal(0, row.Number("retransmitted"));
    }

    private static string Describe(BenchRow row) => string.Join(", ", row.Fields.Select(f => $"{f.Key} = {f.Value}"));
}

// tests/benchmarks/RedLeaf.Benchmarks/Suites: the calls suite's `proxy-crash` row (CrashCall) times what it says: every
// timed call crashes a fresh instance of crash_domain and comes back as CalleeCrashed, each crash leaves a crash record
// of the domain's exception and each timed kill a kill of another instance, every instance is collected before the next
// is timed, and the row has the calls suite's fields, positive and finite. Shapes, never speeds.
using RedLeaf.Benchmarks.Suites;
using RedLeaf.Measure;
using RedLeaf.Os.Domains;
using Xunit;

namespace RedLeaf.Tests.Bench;

[Trait("suite", "bench")]
public class CrashCallTests
{
    private static readonly SamplerSettings Tiny = new(20, 5, 20, TimeSpan.FromMilliseconds(10)) { MaxAttempts = 1 };

    [Fact]
    public void EveryTimedCallCrashesAFreshInstanceAndTheRowHasTheCallsFields()
    {
        using var crash = new CrashCall();
        var row = crash.Measure(crashes: 6, Tiny);

        Assert.Equal(CrashCall.RowName, row.Name);
        Assert.Equal(2 * (6 + CrashCall.Discarded), crash.Crashes.Count);
        Assert.Equal(6, row.Samples.Length);
        foreach (var field in new[] { "median_cycles", "median_ns", "p90_cycles", "p99_cycles", "min_cycles", "restart_median_cycles",
                     "restart_median_us", "kill_median_cycles", "kill_median_ns", "throw_catch_median_cycles", "throw_catch_median_ns", "alloc_bytes_per_op", "throw_catch_alloc_bytes_per_op" })
        {
            double v = row.Number(field);
            Assert.True(double.IsFinite(v) && v > 0, $"{field} = {v}");
        }
        Assert.True(row.Number("p90_cycles") >= row.Number("median_cycles") && row.Number("median_cycles") >= row.Number("min_cycles"));
        Assert.Equal(6, row.Number("crashes"));
        Assert.True(double.IsFinite(row.Number("collected_wait_median_ms")) && row.Number("collected_wait_median_ms") >= 0);
        Assert.True(double.IsFinite(row.Number("thirds_ratio")) && row.Number("thirds_ratio") > 0);
    }

    [Fact]
    public void EachTimedCrashIsTheDomainsOwnExceptionAndEachKillAnotherInstance()
    {
        using var crash = new CrashCall();
        crash.Measure(crashes: 3, Tiny);
        var records = crash.Crashes;
        Assert.Equal(2 * (3 + CrashCall.Discarded), records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            var r = records[i];
            if (i % 2 == 0)
            {
                Assert.Equal(CrashKind.Exception, r.Kind);
                Assert.Contains("InvalidOperationException: crash_domain crashed on purpose", r.Reason);
            }
            else Assert.Equal(CrashKind.Kill, r.Kind);
        }
        Assert.Equal(records.Count, records.Select(r => r.InstanceId).Distinct().Count());
        Assert.All(records, r => Assert.True(r.Collection.IsCompleted && r.Collection.Result.Collected, $"instance {r.InstanceId} not confirmed collected"));
    }
}

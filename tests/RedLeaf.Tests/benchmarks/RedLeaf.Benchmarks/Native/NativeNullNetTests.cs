// tests/benchmarks/RedLeaf.Benchmarks/Native: the C nullnet loop behind `bench net`'s nullnet-c rows (nullnet.c) does the
// work its rows claim: every packet it reports sent was counted by its driver, the application's batch comes back whole
// after every chunk (nullnet completes every packet), and a batch goes out whole as NetApp.Transmit sends it. The rows
// have the driver rows' fields, positive and finite. Shapes, never speeds.
using RedLeaf.Benchmarks.Native;
using RedLeaf.Benchmarks.Suites;
using Xunit;

namespace RedLeaf.Tests.Bench;

[Trait("suite", "bench")]
public class NativeNullNetTests
{
    [Theory]
    [InlineData(1, 100, 100)]
    [InlineData(32, 100, 128)]
    [InlineData(32, 64, 64)]
    public void EveryPacketSentIsCountedByTheDriverAndTheBatchComesBackWhole(int batch, long asked, long sent)
    {
        using var net = new NativeNullNet(batch);
        Assert.Equal(batch, net.BatchCount);
        Assert.Equal(sent, net.Transmit(asked));
        Assert.Equal(sent, net.Transmitted);
        Assert.Equal(batch, net.BatchCount);
        Assert.Equal(2 * sent, sent + net.Transmit(asked));
        Assert.Equal(2 * sent, net.Transmitted);
        Assert.Equal(batch, net.BatchCount);
    }

    [Fact]
    public void AnEmptyBatchIsRefusedAndADisposedLoopSaysSo()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NativeNullNet(0));
        var net = new NativeNullNet(4);
        net.Dispose();
        Assert.Throws<ObjectDisposedException>(() => net.Transmit(1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    public void TheRowHasTheDriverRowsFields(int batch)
    {
        var row = NetSuite.MeasureC(batch, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100));
        Assert.Equal($"nullnet-c-b{batch}", row.Name);
        foreach (var field in new[] { "mpps", "min_mpps", "max_mpps", "packets" })
        {
            double v = row.Number(field);
            Assert.True(double.IsFinite(v) && v > 0, $"{field} = {v}");
        }
        Assert.True(row.Number("min_mpps") <= row.Number("mpps") && row.Number("mpps") <= row.Number("max_mpps"));
        Assert.Equal(0, row.Number("alloc_bytes_per_packet"));
    }
}

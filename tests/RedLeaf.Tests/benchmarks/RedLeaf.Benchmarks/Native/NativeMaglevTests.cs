// tests/benchmarks/RedLeaf.Benchmarks/Native: the C Maglev balancer behind `bench apps`' maglev-c rows (maglev.c)
// does the work its rows claim, on the same device model as the domain rows: every frame reaches the sink at
// the backend its flow hashes to (the sink checks each one against the host's MaglevTable and MaglevFrame, so
// the C code's hash, table lookup, rewrite and checksum must agree with the domain's byte for byte), nothing
// is lost or duplicated, every flow ends up in its connection table, and every frame forwarded was sent.
using RedLeaf.Benchmarks.Apps;
using RedLeaf.Benchmarks.Native;
using Xunit;

namespace RedLeaf.Tests.Apps;

[Trait("suite", "apps")]
public class NativeMaglevTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    public void EveryFrameReachesItsFlowsBackend(int batch)
    {
        using var c = new NativeMaglev(batch);
        long forwarded = c.Forward(MaglevRun.Flows + MaglevRun.Flows / 16);
        var sink = c.Device.Sink;
        Assert.True(forwarded >= MaglevRun.Flows + MaglevRun.Flows / 16);
        Assert.True(sink.Clean, sink.ToString());
        Assert.True(sink.Received >= forwarded, $"{forwarded} forwarded, the sink received {sink.Received}");
        Assert.Equal(sink.Received, c.Transmitted);
        Assert.Equal(MaglevRun.Flows, c.Connections);
    }

    [Fact]
    public void AFrameSentToTheWrongBackendIsCaught()
    {
        using var c = new NativeMaglev(32);
        var wrong = new MaglevFlows(MaglevRun.Flows, MaglevRun.PacketBytes, MaglevRun.DefaultBackends);
        for (int f = 0; f < wrong.BackendOf.Length; f++) wrong.BackendOf[f] = (wrong.BackendOf[f] + 3) % MaglevRun.DefaultBackends;
        c.Device.Sink.ExpectFlowHeaders(wrong);
        c.Forward(1000);
        Assert.True(c.Device.Sink.Misrouted >= 1000, c.Device.Sink.ToString());
    }

    [Fact]
    public void AnEmptyBatchIsRefusedAndADisposedBalancerSaysSo()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NativeMaglev(0));
        var c = new NativeMaglev(4);
        c.Dispose();
        Assert.Throws<ObjectDisposedException>(() => c.Forward(1));
    }
}

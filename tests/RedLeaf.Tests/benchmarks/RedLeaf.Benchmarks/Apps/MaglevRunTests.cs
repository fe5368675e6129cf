// tests/benchmarks/RedLeaf.Benchmarks/Apps: the Maglev balancer as a domain over the NIC model, in each of the
// driver stacks' configurations: every frame the sink receives reached the backend its flow hashes to (the
// sink is told the rewritten header per flow, computed on the host; a frame sent elsewhere counts as
// misrouted), nothing is lost or duplicated, the balancer's loop allocates nothing per frame, and after a
// backend removal only that backend's flows move (the connection table keeps the others where they were). All
// over the suite's 1,048,576 flows: every flow is sent at least once, so the connection table holds them all.
using RedLeaf.Benchmarks.Apps;
using Xunit;
using Xunit.Abstractions;

namespace RedLeaf.Tests.Apps;

[Trait("suite", "apps")]
public class MaglevRunTests(ITestOutputHelper output)
{
    /// <summary>Every flow once, and the first sixteenth again (found in the connection table this time).</summary>
    private const long EveryFlow = MaglevRun.Flows + MaglevRun.Flows / 16;

    [Theory]
    [InlineData("driver", 32)]
    [InlineData("domain", 1)]
    [InlineData("domain", 32)]
    [InlineData("shadow", 32)]
    public void EveryFrameReachesItsFlowsBackend(string config, int batch)
    {
        using var run = new MaglevRun(config, batch);
        long forwarded = run.Forward(EveryFlow);
        var sink = run.Device.Sink;
        Assert.True(sink.Clean, sink.ToString());
        Assert.True(sink.Received >= forwarded, $"{forwarded} forwarded, the sink received {sink.Received}");
        Assert.Equal(MaglevRun.Flows, run.Connections); // every flow seen, every one tracked
    }

    [Fact]
    public void AFrameSentToTheWrongBackendIsCaught()
    {
        // The sink's check can fail: expect every flow one backend further on and the same balancer is misrouting.
        using var run = new MaglevRun("domain", 32);
        var wrong = new MaglevFlows(MaglevRun.Flows, MaglevRun.PacketBytes, MaglevRun.DefaultBackends);
        for (int f = 0; f < wrong.BackendOf.Length; f++) wrong.BackendOf[f] = (wrong.BackendOf[f] + 1) % MaglevRun.DefaultBackends;
        run.Device.Sink.ExpectFlowHeaders(wrong);
        run.Forward(1000);
        var sink = run.Device.Sink;
        Assert.False(sink.Clean);
        Assert.True(sink.Misrouted >= 1000 && sink.Corrupted == 0 && sink.Lost == 0, sink.ToString());
    }

    [Fact]
    public void TheDomainPathAllocatesNothingPerFrame()
    {
        using var run = new MaglevRun("domain", 32);
        using var _ = run.Kernel.Enter(); // the calls on this thread: the path's own allocation is what is counted
        run.Forward(EveryFlow); // every flow in the connection table, the JIT done
        long before = GC.GetAllocatedBytesForCurrentThread();
        long forwarded = run.Forward(200_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(forwarded >= 200_000);
        Assert.True(allocated < forwarded / 100, $"{allocated} bytes allocated forwarding {forwarded} frames");
    }

    [Fact]
    public void ABackendRemovalMovesOnlyItsOwnFlows()
    {
        using var run = new MaglevRun("domain", 32);
        run.Forward(EveryFlow);
        var (moved, movedByTable) = run.RemoveBackend(7);
        output.WriteLine($"backend 7 of {MaglevRun.DefaultBackends} removed over {MaglevRun.Flows} flows: {moved:P3} moved, {movedByTable:P3} by the table alone");
        run.Forward(EveryFlow);
        var sink = run.Device.Sink;
        Assert.True(sink.Clean, sink.ToString());
        // The removed backend's flows, about 1/N of them, moved; the table alone would have moved those and more.
        double share = 1.0 / MaglevRun.DefaultBackends;
        Assert.InRange(moved, share / 2, share * 2);
        Assert.True(movedByTable > moved, $"the table alone moved {movedByTable:P2} of flows, the balancer {moved:P2}");
        Assert.True(run.Connections > 0 && run.Connections <= MaglevRun.Flows);
    }
}

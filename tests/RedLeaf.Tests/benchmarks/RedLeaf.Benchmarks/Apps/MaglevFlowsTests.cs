// tests/benchmarks/RedLeaf.Benchmarks/Apps: what the sink expects of the balancer over 1,048,576 flows (Apps/
// MaglevFlows.cs): every flow is a distinct connection, the header computed per frame for a flow is the
// generator's byte-by-byte header (PacketFormat.Header) rewritten for the backend the Maglev table gives that
// flow's 5-tuple, and taking a backend out moves its own flows, about 1/N of them (MaglevRunTests checks the
// domain balancer against all of this frame by frame).
using Domains.Workloads.Maglev;
using RedLeaf.Benchmarks.Apps;
using RedLeaf.Hardware.Devices;
using Xunit;
using Xunit.Abstractions;

namespace RedLeaf.Tests.Apps;

[Trait("suite", "apps")]
public class MaglevFlowsTests(ITestOutputHelper output)
{
    private static readonly MaglevFlows Flows = new(MaglevRun.Flows, MaglevRun.PacketBytes, MaglevRun.DefaultBackends);

    [Fact]
    public void AMillionFlowsAreAMillionConnections()
    {
        Assert.Equal(1 << 20, Flows.Keys.Length);
        Assert.Equal(Flows.Keys.Length, Flows.Keys.Distinct().Count());
        // Every backend serves flows, about 1/N of them each.
        var perBackend = Flows.BackendOf.GroupBy(b => b).Select(g => g.Count()).ToArray();
        Assert.Equal(MaglevRun.DefaultBackends, perBackend.Length);
        Assert.InRange(perBackend.Min(), MaglevRun.Flows / MaglevRun.DefaultBackends * 0.8, double.MaxValue);
        Assert.InRange(perBackend.Max(), 0, MaglevRun.Flows / MaglevRun.DefaultBackends * 1.2);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(1_000_000)]
    [InlineData((1 << 20) - 1)]
    public void AFlowsExpectedHeaderIsItsFrameRewrittenForItsTablesBackend(int flow)
    {
        var header = PacketFormat.Header(flow, MaglevRun.PacketBytes);
        MaglevFrame.Key(header, out ulong addresses, out ulong ports);
        int backend = Flows.Table.Lookup(MaglevFrame.Hash(addresses, ports));
        Assert.Equal(backend, Flows.BackendOf[flow]);
        MaglevFrame.Rewrite(header, backend);
        Assert.Equal(header, Flows.HeaderOf(flow).ToArray());
        Assert.Equal(new byte[] { 10, 2, (byte)(backend >> 8), (byte)backend }, header[30..34]);
    }

    [Fact]
    public void RemovingABackendMovesItsOwnFlowsAboutOneInN()
    {
        var flows = new MaglevFlows(MaglevRun.Flows, MaglevRun.PacketBytes, MaglevRun.DefaultBackends);
        var before = flows.BackendOf;
        int own = before.Count(b => b == 42);
        var (moved, movedByTable) = flows.Remove(42);
        output.WriteLine($"backend 42 of {MaglevRun.DefaultBackends} removed over {MaglevRun.Flows} flows: {moved:P3} moved ({own} flows), {movedByTable:P3} by the table alone");
        Assert.Equal((double)own / MaglevRun.Flows, moved);
        Assert.InRange(moved, 0.5 / MaglevRun.DefaultBackends, 2.0 / MaglevRun.DefaultBackends);
        Assert.True(movedByTable >= moved);
        Assert.DoesNotContain(42, flows.BackendOf);
        for (int f = 0; f < before.Length; f++)
            if (before[f] != 42) Assert.Equal(before[f], flows.BackendOf[f]);
    }
}

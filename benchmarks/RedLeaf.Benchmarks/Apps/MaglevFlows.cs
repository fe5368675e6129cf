// benchmarks/RedLeaf.Benchmarks/Apps: what the apps suite's sink expects of the Maglev balancer, computed on
// the host from the same table and rewrite the domain runs (domains/workloads/maglev, compiled in here):
// each flow of the NIC model's generator, its backend, and the header its frames must reach the sink with
// (computed per frame, IFlowHeaders: a million flows' headers are not stored). Also how many flows a backend
// removal moves, with and without the balancer's connection table.
using Domains.Workloads.Maglev;
using RedLeaf.Hardware.Devices;

namespace RedLeaf.Benchmarks.Apps;

public sealed class MaglevFlows : IFlowHeaders
{
    private readonly FlowHeaders _sent; // the generator's header of each flow

    /// <summary>The generator's <paramref name="flows"/> flows of <paramref name="packetBytes"/>-byte frames, balanced over
    /// backends 0..<paramref name="backends"/>-1 by a fresh Maglev table (empty connection table).</summary>
    public MaglevFlows(int flows, int packetBytes, int backends)
    {
        _sent = new FlowHeaders(packetBytes);
        Keys = new (ulong, ulong)[flows];
        Span<byte> header = stackalloc byte[PacketFormat.HeaderBytes];
        for (int f = 0; f < flows; f++)
        {
            _sent.Of(f).CopyTo(header);
            MaglevFrame.Key(header, out ulong a, out ulong p);
            Keys[f] = (a, p);
        }
        Backends = Enumerable.Range(0, backends).ToArray();
        Table = MaglevTable.ForBackends(Backends);
        BackendOf = ByTable();
    }

    public (ulong, ulong)[] Keys { get; }
    public int[] Backends { get; private set; }
    public MaglevTable Table { get; private set; }
    /// <summary>Per flow, the backend its frames must reach.</summary>
    public int[] BackendOf { get; private set; }

    /// <summary>The header frames of flow <paramref name="flow"/> must reach the sink with: the generator's, rewritten
    /// for the flow's backend (for PacketSink.ExpectFlowHeaders; nothing allocated).</summary>
    public FlowHeader HeaderOf(int flow)
    {
        Span<byte> header = stackalloc byte[PacketFormat.HeaderBytes];
        _sent.Of(flow).CopyTo(header);
        MaglevFrame.Rewrite(header, BackendOf[flow]);
        return new FlowHeader(header);
    }

    /// <summary>Takes <paramref name="backend"/> out, as the balancer does when it tracks every flow: a flow keeps its
    /// backend unless that was the one removed, then follows the new table. Returns the share of flows that moved,
    /// and the share that would have moved with the table alone (no connection table).</summary>
    public (double Moved, double MovedByTable) Remove(int backend)
    {
        Backends = Backends.Where(b => b != backend).ToArray();
        Table = MaglevTable.ForBackends(Backends);
        var byTable = ByTable();
        var kept = BackendOf;
        int moved = 0, movedByTable = 0;
        for (int f = 0; f < kept.Length; f++)
        {
            if (byTable[f] != kept[f]) movedByTable++;
            if (kept[f] == backend) moved++;
            else byTable[f] = kept[f];
        }
        BackendOf = byTable;
        return ((double)moved / Keys.Length, (double)movedByTable / Keys.Length);
    }

    private int[] ByTable()
    {
        var backendOf = new int[Keys.Length];
        for (int f = 0; f < Keys.Length; f++) backendOf[f] = Table.Lookup(MaglevFrame.Hash(Keys[f].Item1, Keys[f].Item2));
        return backendOf;
    }
}

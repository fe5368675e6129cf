// benchmarks/RedLeaf.Benchmarks/Apps: what the apps suite's sink expects of the Maglev balancer, computed on
// the host from the same table and rewrite the domain runs (domains/workloads/maglev, compiled in here):
// each flow of the NIC model's generator, its backend, and the header its frames must reach the sink with.
// Also how many flows a backend removal moves, with and without the balancer's connection table.
using Domains.Workloads.Maglev;
using RedLeaf.Hardware.Devices;

namespace RedLeaf.Benchmarks.Apps;

public sealed class MaglevFlows
{
    private readonly int _packetBytes;

    /// <summary>The generator's <paramref name="flows"/> flows of <paramref name="packetBytes"/>-byte frames, balanced over
    /// backends 0..<paramref name="backends"/>-1 by a fresh Maglev table (empty connection table).</summary>
    public MaglevFlows(int flows, int packetBytes, int backends)
    {
        _packetBytes = packetBytes;
        Keys = new (ulong, ulong)[flows];
        for (int f = 0; f < flows; f++)
        {
            MaglevFrame.Key(PacketFormat.Header(f, packetBytes), out ulong a, out ulong p);
            Keys[f] = (a, p);
        }
        Backends = Enumerable.Range(0, backends).ToArray();
        Table = MaglevTable.ForBackends(Backends);
        BackendOf = Keys.Select(k => Table.Lookup(MaglevFrame.Hash(k.Item1, k.Item2))).ToArray();
    }

    public (ulong, ulong)[] Keys { get; }
    public int[] Backends { get; private set; }
    public MaglevTable Table { get; private set; }
    /// <summary>Per flow, the backend its frames must reach.</summary>
    public int[] BackendOf { get; private set; }

    /// <summary>Per flow, the header its frames must reach the sink with (for PacketSink.ExpectHeaders).</summary>
    public byte[][] Headers() => BackendOf.Select((b, f) =>
    {
        var h = PacketFormat.Header(f, _packetBytes);
        MaglevFrame.Rewrite(h, b);
        return h;
    }).ToArray();

    /// <summary>Takes <paramref name="backend"/> out, as the balancer does when it tracks every flow: a flow keeps its
    /// backend unless that was the one removed, then follows the new table. Returns the share of flows that moved,
    /// and the share that would have moved with the table alone (no connection table).</summary>
    public (double Moved, double MovedByTable) Remove(int backend)
    {
        Backends = Backends.Where(b => b != backend).ToArray();
        Table = MaglevTable.ForBackends(Backends);
        var byTable = Keys.Select(k => Table.Lookup(MaglevFrame.Hash(k.Item1, k.Item2))).ToArray();
        int moved = BackendOf.Count(b => b == backend);
        int movedByTable = byTable.Where((b, f) => b != BackendOf[f]).Count();
        BackendOf = BackendOf.Select((b, f) => b == backend ? byTable[f] : b).ToArray();
        return ((double)moved / Keys.Length, (double)movedByTable / Keys.Length);
    }
}

// benchmarks/RedLeaf.Benchmarks/Gc: one stop-the-world pause of the runtime, as its own events report it: from
// GCSuspendEEBegin (the collector starts stopping every managed thread) to GCRestartEEEnd (all running
// again). A background gen2 collection runs mostly beside the program and stops it only briefly, at its
// start and end: those stops are pauses here, the concurrent marking between them is not.
namespace RedLeaf.Benchmarks.Gc;

/// <param name="Start">When the suspension began (UTC, from the event's timestamp).</param>
/// <param name="Microseconds">How long every managed thread was stopped.</param>
/// <param name="Generation">The generation collected (the GCStart inside the pause), or -1 when no
/// collection started in it (the closing stop of a background collection).</param>
/// <param name="Background">The pause belongs to a background (concurrent) gen2 collection.</param>
/// <param name="Induced">The collection was asked for (GC.Collect), not triggered by allocation.</param>
/// <param name="ForGc">The runtime stopped the threads for a collection. Otherwise for something else (the
/// suspension's reason, e.g. the tiered JIT installing or removing call counters): recorded, since it stalls
/// every thread just the same, but not counted as a GC pause.</param>
public sealed record GcPause(DateTime Start, double Microseconds, int Generation, bool Background, bool Induced, bool ForGc = true, uint Reason = 1)
{
    public string Kind => !ForGc ? $"not GC (suspension reason {Reason})"
        : Generation < 0 ? (Background ? "gen2 background (stop)" : "GC (no collection started)")
        : $"gen{Generation}{(Background ? " background" : "")}{(Induced ? " induced" : "")}";
}

// benchmarks/RedLeaf.Benchmarks/Suites: the fields every row over the NIC model carries (`bench net`'s nic rows, `bench
// apps`), built in one place so the suites and the README's tables (ResultsTable.SinkChecks) read the same names: the
// throughput of the timed chunks and what the checking sink saw.
using RedLeaf.Hardware.Devices;
using RedLeaf.Measure;

namespace RedLeaf.Benchmarks.Suites;

internal static class NicRows
{
    /// <summary>A row named <paramref name="name"/> with mpps (the median chunk's), min_mpps and max_mpps, from per-chunk
    /// rates in packets (or requests) per second.</summary>
    public static BenchRow Rates(string name, double[] rates)
    {
        var stats = Stats.Of(rates);
        return new BenchRow(name)
            .Set("mpps", BenchRow.Round(stats.Median / 1e6))
            .Set("min_mpps", BenchRow.Round(stats.Min / 1e6))
            .Set("max_mpps", BenchRow.Round(stats.Max / 1e6));
    }

    /// <summary>The sink's counts: received, lost, duplicated, corrupted (with malformed), misrouted if it checks routes
    /// (Maglev, the store's reply headers), wrong replies if it checks replies (the store), and sink_clean.</summary>
    public static BenchRow SetSink(this BenchRow row, PacketSink sink, bool routes = false, bool replies = false)
    {
        row.Set("sink_received", sink.Received)
           .Set("sink_lost", sink.Lost)
           .Set("sink_duplicated", sink.Duplicated)
           .Set("sink_corrupted", sink.Corrupted + sink.Malformed);
        if (routes) row.Set("sink_misrouted", sink.Misrouted);
        if (replies) row.Set("sink_wrong_replies", sink.WrongReplies);
        return row.Set("sink_clean", sink.Clean);
    }
}

// benchmarks/RedLeaf.Benchmarks/Gc: what one measured window saw, and the row it becomes. Latencies are TSC ticks
// per batch (fields *_cycles, with *_ns beside, as in every suite); the series `max_us` is the slowest batch
// of each window (WindowMs), `batches` how many batches ended in it; `pauses` lists every stop-the-world
// pause that began in the window (at_ms from the window's start, us, the generation and kind; the runtime's
// suspensions for anything else are listed too, kind "not GC", and counted apart). A batch of
// at least StallMicroseconds is a stall (`stalls`, `stall_ms`), one of a millisecond or more a long stall
// (`long_stalls`, `long_stall_ms`); `*_windows_in_pause_pct` ties them to the collector: of the windows
// holding one, the share that a GC pause overlapped. The rest are the machine: the allocating thread and
// the collector's own threads competing for two CPUs with the forwarding thread and with other processes.
using System.Text.Json.Nodes;
using RedLeaf.Measure;

namespace RedLeaf.Benchmarks.Gc;

public sealed record LatencyWindow(float[] Latencies, float[] WindowMax, int[] WindowCount, double Seconds, long Packets,
    long Allocated, long ForwarderAllocated, long[] Collections, double RuntimePauseMs, GcPause[] Suspensions, DateTime Start,
    bool EventsComplete, string? ChurnFailure)
{
    /// <summary>When the allocating domain was killed, ms from the window's start (crash windows only).</summary>
    public double? KillAtMs { get; init; }

    /// <summary>The suspensions that were for a collection.</summary>
    public GcPause[] Pauses => Suspensions.Where(p => p.ForGc).ToArray();

    /// <summary>The runtime's other suspensions (the tiered JIT's, mostly).</summary>
    public GcPause[] Others => Suspensions.Where(p => !p.ForGc).ToArray();

    public BenchRow ToRow(string name, GcSettings s)
    {
        var pauses = Pauses;
        var others = Others;
        var sorted = Latencies.Select(x => (double)x).ToArray();
        Array.Sort(sorted);
        double Q(double q) => Stats.Rank(sorted, q);
        double median = Q(0.5), p99 = Q(0.99), p999 = Q(0.999), max = sorted[^1];
        // Pause time inside the window (a pause may run on past its end).
        double pauseTotalUs = pauses.Sum(p => Math.Max(0, Math.Min(At(p) + p.Microseconds / 1000, Seconds * 1000) - Math.Max(At(p), 0)) * 1000);
        int windows = (int)Math.Min(WindowMax.Length, Math.Ceiling(Seconds * 1000 / s.WindowMs));

        // Stalls: batches of at least StallMicroseconds (and long ones, of a millisecond or more). Their windows, and
        // how many of those a GC pause overlapped (the window itself or the one before: a batch is counted where it ends).
        (int Count, double Ticks, int Windows, int WindowsInPause) Stalls(double microseconds)
        {
            double threshold = microseconds * 1e-6 * RedLeaf.Hardware.Tsc.Hz;
            int count = 0, inWindows = 0, inPause = 0;
            double ticks = 0;
            foreach (float t in Latencies)
                if (t >= threshold) { count++; ticks += t; }
            for (int w = 0; w < windows; w++)
            {
                if (WindowMax[w] < threshold) continue;
                inWindows++;
                double from = w * s.WindowMs, to = from + s.WindowMs;
                if (pauses.Any(p => At(p) < to && At(p) + p.Microseconds / 1000 > from - s.WindowMs)) inPause++;
            }
            return (count, ticks, inWindows, inPause);
        }
        var stalls = Stalls(s.StallMicroseconds);
        var longStalls = Stalls(1000);
        static double Pct(int part, int whole) => BenchRow.Round(whole == 0 ? 0 : 100.0 * part / whole);

        return new BenchRow(name)
            .Set("mpps", BenchRow.Round(Packets / Seconds / 1e6))
            .Set("batches", Latencies.Length)
            .Set("median_cycles", BenchRow.Round(median))
            .Set("median_ns", BenchRow.Round(BenchRow.Nanoseconds(median)))
            .Set("p99_cycles", BenchRow.Round(p99))
            .Set("p99_ns", BenchRow.Round(BenchRow.Nanoseconds(p99)))
            .Set("p999_cycles", BenchRow.Round(p999))
            .Set("p999_ns", BenchRow.Round(BenchRow.Nanoseconds(p999)))
            .Set("max_ns", BenchRow.Round(BenchRow.Nanoseconds(max)))
            .Set("alloc_mb_per_s", BenchRow.Round(Allocated / Seconds / 1e6))
            .Set("alloc_bytes_per_batch", BenchRow.Round(Latencies.Length == 0 ? 0 : (double)ForwarderAllocated / Latencies.Length))
            .Set("gen0_gcs", Collections[0] - Collections[1])
            .Set("gen1_gcs", Collections[1] - Collections[2])
            .Set("gen2_gcs", Collections[2])
            .Set("gc_pauses", pauses.Length)
            .Set("pause_total_ms", BenchRow.Round(pauseTotalUs / 1000))
            .Set("pause_max_us", BenchRow.Round(pauses.Length == 0 ? 0 : pauses.Max(p => p.Microseconds)))
            .Set("pause_share_pct", BenchRow.Round(pauseTotalUs / 1e4 / Seconds))
            .Set("runtime_pause_ms", BenchRow.Round(RuntimePauseMs))
            .Set("other_suspensions", others.Length)
            .Set("other_suspension_max_us", BenchRow.Round(others.Length == 0 ? 0 : others.Max(p => p.Microseconds)))
            .Set("events_complete", EventsComplete)
            .Set("stalls", stalls.Count)
            .Set("stall_ms", BenchRow.Round(BenchRow.Nanoseconds(stalls.Ticks) / 1e6))
            .Set("stall_windows", stalls.Windows)
            .Set("stall_windows_in_pause_pct", Pct(stalls.WindowsInPause, stalls.Windows))
            .Set("long_stalls", longStalls.Count)
            .Set("long_stall_ms", BenchRow.Round(BenchRow.Nanoseconds(longStalls.Ticks) / 1e6))
            .Set("long_stall_windows_in_pause_pct", Pct(longStalls.WindowsInPause, longStalls.Windows))
            .Set("seconds", BenchRow.Round(Seconds))
            .Set("churn_failure", ChurnFailure)
            .Set("kill_at_ms", KillAtMs is { } kill ? Math.Round(kill, 3) : null)
            .Set("max_us", new JsonArray(WindowMax.Take(windows).Select(t => (JsonNode?)Math.Round(BenchRow.Nanoseconds(t) / 1000, 1)).ToArray()))
            .Set("batches_per_window", new JsonArray(WindowCount.Take(windows).Select(c => (JsonNode?)c).ToArray()))
            .Set("pauses", new JsonArray(Suspensions.Select(p => (JsonNode?)new JsonObject
            {
                ["at_ms"] = Math.Round(At(p), 3),
                ["us"] = Math.Round(p.Microseconds, 1),
                ["gen"] = p.Generation,
                ["kind"] = p.Kind,
            }).ToArray()));
    }

    /// <summary>When a pause began, in ms from the window's start.</summary>
    private double At(GcPause p) => (p.Start - Start).TotalMilliseconds;
}

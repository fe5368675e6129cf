// benchmarks/RedLeaf.Benchmarks/Gc: the measurement itself, in this process and whatever collector it was started
// with. One kernel: nullnet's driver in a domain, the network application in another (the "domain"
// configuration of Figures 6-7), and a third domain (workloads/gc_churn) that allocates managed objects at
// a chosen rate from a thread of its own. This thread times every batch the application sends (one
// call, Batch packets; TSC ticks from the previous batch's completion to this one's) while the runtime's events (GcPauseListener) say when
// every managed thread was stopped. Per rate, a row `<mode>-<rate>mb`; then `<mode>-crash-cleanup`: the
// allocating domain killed mid-window, its cleanup's full collections (the kernel confirms a dead domain's
// code is gone by collecting until its load context is) timed beside the batches they stalled. Each rate's row also
// carries the collector's memory after its window (committed, heap size, fragmentation) and, measured once after all
// rates by a full collection, the bytes alive (live_after_full_gc_mb): the collector's memory cost.
using System.Runtime;
using System.Text.Json.Nodes;
using RedLeaf.Abi;
using RedLeaf.Hardware;
using RedLeaf.Interfaces.Test;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Measure;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Systems.Drivers;

namespace RedLeaf.Benchmarks.Gc;

public static class GcUnderLoad
{
    /// <summary>The mode this process runs in.</summary>
    public static GcMode CurrentMode => GcMode.All.First(m => m.Server == GCSettings.IsServerGC && m.Concurrent == (GCSettings.LatencyMode != GCLatencyMode.Batch));

    public static SuiteResult Run(GcSettings s, bool quick, Action<string>? progress = null)
    {
        progress ??= _ => { };
        var mode = CurrentMode;
        using var listener = new GcPauseListener();
        long collectionsAtStart = GC.CollectionCount(0);
        var k = DriverStacks.Boot();
        var rows = new List<BenchRow>();
        try
        {
            var app = DriverStacks.Load(k, "domain", null, "drivers/nullnet", "workloads/net_app", "workloads/net_app_nullnet", "shadow/net");
            var bench = app.Get<INetBench>();
            Check(bench.Setup(s.Batch, 0), "the application's setup");
            var churnDomain = k.Load(DriverStacks.Image("workloads/gc_churn"));
            var churn = churnDomain.Get<IHostile>();
            // This thread calls as the kernel: its calls run here, allocation-free, as the call benchmarks' do
            // (a plain host thread's calls are handed to a host-call worker: HostCall).
            using var scope = k.Enter();
            if (!listener.Enabled) throw new InvalidOperationException("the runtime's GC events could not be enabled (EventSource support off in this build?)");
            // One warm-up for the whole run, long enough for the tiered JIT to finish with both loops (its
            // suspensions would otherwise land in the first rate's window), then a short one per rate.
            Window(k, bench, s with { Seconds = 0.05, WarmupSeconds = s.InitialWarmupSeconds }, s.Rates.Max(), churn, kill: null, listener, collectionsAtStart);

            foreach (double rate in s.Rates)
            {
                var w = Window(k, bench, s, rate, churn, kill: null, listener, collectionsAtStart);
                var row = w.ToRow($"{mode.Name}-{RateName(rate)}", s)
                    .Set("alloc_mb_per_s_target", rate)
                    .Set("shared_heap_kb", BenchRow.Round(k.Heap.LiveBytes / 1024.0));
                SetMemory(row);
                progress($"gc: {row.Name}: {row.Number("mpps"):F2} Mpps, median {row.Number("median_ns"):F0} ns, p99.9 {row.Number("p999_ns"):F0} ns, max {row.Number("max_ns") / 1000:F0} us, " +
                    $"{row.Number("gc_pauses")} pauses (max {row.Number("pause_max_us"):F0} us), allocating {row.Number("alloc_mb_per_s"):F0} MB/s");
                rows.Add(row);
            }

            // What the objects alive need, against what the collector held for them (SetMemory): one full, blocking
            // collection, between the rates' windows and the crash's.
            Check(churn.Run(1 << 16), "the allocating domain");
            double liveMb = GC.GetTotalMemory(forceFullCollection: true) / 1e6;
            foreach (var row in rows) row.Set("live_after_full_gc_mb", BenchRow.Round(liveMb));

            // Crash cleanup: the allocating domain (its ring full of live objects) is killed a third of the way in.
            CrashRecord? crash = null;
            var cw = Window(k, bench, s, s.Rates.Max(), churn, kill: () =>
            {
                k.Kill(churnDomain, "bench gc: the allocating domain killed to time its cleanup");
                crash = churnDomain.LastCrash;
                return crash?.Collection ?? Task.CompletedTask;
            }, listener, collectionsAtStart);
            var collection = crash?.Collection.Wait(TimeSpan.FromSeconds(30)) == true ? crash.Collection.Result : null;
            var induced = cw.Pauses.Where(p => p.Induced).ToArray();
            var crashRow = cw.ToRow($"{mode.Name}-crash-cleanup", s)
                .Set("alloc_mb_per_s_target", s.Rates.Max())
                .Set("collected", collection?.Collected ?? false)
                .Set("full_collections", collection?.FullCollections ?? 0)
                .Set("cleanup_ms", BenchRow.Round(collection?.Milliseconds ?? 0))
                .Set("induced_pauses", induced.Length)
                .Set("induced_pause_max_us", BenchRow.Round(induced.Length == 0 ? 0 : induced.Max(p => p.Microseconds)))
                .Set("induced_pause_total_ms", BenchRow.Round(induced.Sum(p => p.Microseconds) / 1000))
                .Set("freed_shared_objects", crash?.FreedObjects ?? 0);
            progress($"gc: {crashRow.Name}: collected {crashRow.Fields.First(f => f.Key == "collected").Value} after {crashRow.Number("full_collections")} full collections in {crashRow.Number("cleanup_ms"):F1} ms; " +
                $"{induced.Length} induced pauses, longest {crashRow.Number("induced_pause_max_us"):F0} us; slowest batch {crashRow.Number("max_ns") / 1000:F0} us");
            rows.Add(crashRow);
        }
        finally { DriverStacks.ShutDown(k); }

        return new SuiteResult(GcSuiteName, quick, rows)
        {
            Details = new JsonObject
            {
                ["mode"] = mode.Name,
                ["mode_description"] = mode.Description,
                ["rates_mb_per_s"] = new JsonArray(s.Rates.Select(r => (JsonNode?)r).ToArray()),
                ["seconds_per_rate"] = s.Seconds,
                ["window_ms"] = s.WindowMs,
                ["batch"] = s.Batch,
                ["stall_us"] = s.StallMicroseconds,
                ["processors"] = Environment.ProcessorCount,
            },
        };
    }

    private const string GcSuiteName = "gc";

    /// <summary>The collector's memory as its last collection left it: what it had committed from the OS (the
    /// memory cost of collecting: room for young objects to pile up in, survivors, fragmentation) and the
    /// heap's size then.</summary>
    private static void SetMemory(BenchRow row)
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        row.Set("gc_committed_mb", BenchRow.Round(info.TotalCommittedBytes / 1e6))
           .Set("gc_heap_mb", BenchRow.Round(info.HeapSizeBytes / 1e6))
           .Set("gc_fragmented_mb", BenchRow.Round(info.FragmentedBytes / 1e6));
    }

    public static string RateName(double rate) => $"{rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}mb";

    /// <summary>How long a crash window may run on past its length, waiting for the cleanup to finish.</summary>
    private const double CleanupSeconds = 1;

    /// <summary>One measured window: forwarding timed batch by batch while the domain allocates at
    /// <paramref name="rate"/> MB/s. <paramref name="kill"/>, if given, runs on another thread a third of the way
    /// in and returns the cleanup's collection; the window then lasts until that has finished too (at most
    /// CleanupSeconds more), so the cleanup's collections are inside it however late they come.</summary>
    private static LatencyWindow Window(Microkernel k, INetBench bench, GcSettings s, double rate, IHostile churn, Func<Task>? kill, GcPauseListener listener, long collectionsAtStart)
    {
        double longest = s.Seconds + (kill is null ? 0 : CleanupSeconds);
        int capacity = (int)Math.Min(longest * 3e6, 30e6); // batches take 300 ns or more: 3 M a second is room enough
        int windows = (int)Math.Ceiling(longest * 1000 / s.WindowMs) + 1;
        var latencies = new float[capacity];
        var windowMax = new float[windows];
        var windowCount = new int[windows];
        using var churner = new PacedChurn(k, churn, rate);
        var warm = System.Diagnostics.Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < s.WarmupSeconds) Check(bench.Transmit(s.Batch), "forwarding");

        long[] counts0 = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var pause0 = GC.GetTotalPauseDuration();
        long alloc0 = churner.Allocated;
        long own0 = GC.GetAllocatedBytesForCurrentThread();
        Thread? killer = null;
        DateTime utc0 = DateTime.UtcNow;
        ulong t0 = Tsc.Read();
        ulong limit = (ulong)(s.Seconds * Tsc.Hz);
        double ticksPerWindow = Tsc.Hz * s.WindowMs / 1000;
        Task? cleanup = kill is null ? Task.CompletedTask : null;
        long killedAt = -1;
        ulong hardLimit = (ulong)(longest * Tsc.Hz);
        if (kill is not null)
        {
            killer = new Thread(() =>
            {
                Thread.Sleep(TimeSpan.FromSeconds(s.Seconds / 3));
                Volatile.Write(ref killedAt, (long)(Tsc.Read() - t0));
                Volatile.Write(ref cleanup, kill());
            })
            { IsBackground = true, Name = "gc-crash" };
            killer.Start();
        }
        int n = 0;
        long packets = 0;
        ulong previous = t0;
        while (n < capacity)
        {
            // A batch's time runs from the previous batch's completion to its own: the call and the loop's few
            // nanoseconds of bookkeeping. Timing the call alone would miss a pause that stops this thread
            // between two calls (at the loop's back edge, say), and the stream of packets would not.
            var r = bench.Transmit(s.Batch);
            ulong b = Tsc.Read();
            if (!r.IsOk) Check(r, "forwarding");
            packets += r.Value;
            float ticks = b - previous;
            previous = b;
            latencies[n++] = ticks;
            int w = (int)((b - t0) / ticksPerWindow);
            if (w < windows)
            {
                if (ticks > windowMax[w]) windowMax[w] = ticks;
                windowCount[w]++;
            }
            if (b - t0 >= limit && (Volatile.Read(ref cleanup) is { IsCompleted: true } || b - t0 >= hardLimit)) break;
        }
        ulong t1 = Tsc.Read();
        long ownAllocated = GC.GetAllocatedBytesForCurrentThread() - own0;
        long allocated = churner.Allocated - alloc0;
        killer?.Join();
        churner.Dispose();
        double seconds = (t1 - t0) / Tsc.Hz;
        var utc1 = utc0 + TimeSpan.FromSeconds(seconds);
        long[] counts = [GC.CollectionCount(0) - counts0[0], GC.CollectionCount(1) - counts0[1], GC.CollectionCount(2) - counts0[2]];
        double runtimePauseMs = (GC.GetTotalPauseDuration() - pause0).TotalMilliseconds;
        bool eventsComplete = listener.WaitFor(GC.CollectionCount(0) - collectionsAtStart, TimeSpan.FromSeconds(3));
        var pauses = listener.PausesBetween(utc0, utc1);
        Array.Resize(ref latencies, n);
        return new LatencyWindow(latencies, windowMax, windowCount, seconds, packets, allocated, ownAllocated, counts, runtimePauseMs, pauses, utc0, eventsComplete, churner.Failure)
        {
            KillAtMs = killedAt < 0 ? null : killedAt / Tsc.Hz * 1000,
        };
    }

    private static void Check(RpcResult r, string what)
    {
        if (!r.IsOk) throw new InvalidOperationException($"bench gc: {what} failed: {r.Error}");
    }

    private static void Check<T>(RpcResult<T> r, string what)
    {
        if (!r.IsOk) throw new InvalidOperationException($"bench gc: {what} failed: {r.Error}");
    }
}

// benchmarks/RedLeaf.Benchmarks/Suites: the paper's applications on this machine (its Maglev row, datasets/reference/
// applications.json): the Maglev balancer (domains/workloads/maglev) on the ixgbe-like NIC model, batch 1 and 32,
// configurations driver / domain / shadow as in `bench net`, beside the same balancer and driver in C on the same
// device model (Native/maglev.c), measured in the same run. The generator is unpaced (a paced 10 GbE wire would
// make every ratio 1.0 by construction) over 1,048,576 flows, as in the paper, each sent once before the timing
// starts (the connection table then holds every flow, as a balancer's does in steady state); the sink checks every
// frame, none sampled, against the backend its flow hashes to. Rows `maglev-<c|driver|domain|shadow>-b<batch>`
// with `mpps` (median over chunks), `sink_clean`, `alloc_b_per_op` (bytes the measuring thread allocated per
// frame) and `of_c` (the row's rate over the C row's at the same batch). In the same run, the key-value store
// (domains/workloads/kv) on the same NIC model, configurations driver / domain / shadow, GET shares 95% and 50%
// over 65,536 Zipf-distributed keys, batch 1 and 32: rows `kv-<driver|domain|shadow>-<get95|get50>-b<batch>` with
// `mpps` (requests per second), `sink_clean` (every reply checked against the host's model, none sampled) and
// `alloc_b_per_op`, and `of_c` over `kv-c-<mix>-b<batch>`, the same store and driver in C (Native/kv.c). Last,
// `kv-shadow-crashing-b32`: the shadow row with the NIC driver crashed every 200 ms (Crasher) while it is measured,
// the clients sending again each request whose reply never came, with `crashes`, `lost` and `repeated` at the clients
// (requests never answered / answered twice, after a drain), the wire's `wire_lost`, `wire_repeated` and the copies
// sent, `retransmitted` (Details says exactly how), and `of_no_crash` over `kv-shadow-get95-b32`.
using System.Text.Json.Nodes;
using RedLeaf.Benchmarks.Apps;
using RedLeaf.Benchmarks.Native;
using RedLeaf.Hardware;
using RedLeaf.Hardware.Devices;
using RedLeaf.Measure;
using RedLeaf.Systems.Drivers;

namespace RedLeaf.Benchmarks.Suites;

public static class AppsSuite
{
    public const string Name = "apps";
    public static readonly int[] Batches = { 1, 32 };
    /// <summary>The store's mixes: row suffix and share of GETs.</summary>
    public static readonly (string Name, double GetShare)[] KvMixes = { ("get95", 0.95), ("get50", 0.50) };

    public static SuiteResult Run(bool quick, Action<string>? progress = null)
    {
        progress ??= _ => { };
        var warmup = TimeSpan.FromMilliseconds(quick ? 300 : 1000);
        var measure = TimeSpan.FromMilliseconds(quick ? 1000 : 3000);
        var rows = new List<BenchRow>();
        foreach (var batch in Batches)
        {
            var c = MeasureMaglevC(batch, warmup, measure);
            progress($"apps: {c.Name} {c.Number("mpps"):F2} Mpps");
            rows.Add(c);
            foreach (var config in DriverStacks.Configs)
            {
                var row = MeasureMaglev(config, batch, warmup, measure);
                row.Set("of_c", BenchRow.Round(row.Number("mpps") / c.Number("mpps")));
                progress($"apps: {row.Name} {row.Number("mpps"):F2} Mpps ({row.Number("of_c"):F2} of C)");
                rows.Add(row);
            }
        }
        // The store's rows are shorter in quick mode: twelve of them.
        var kvWarmup = TimeSpan.FromMilliseconds(quick ? 200 : 1000);
        var kvMeasure = TimeSpan.FromMilliseconds(quick ? 600 : 3000);
        foreach (var batch in Batches)
            foreach (var (mix, getShare) in KvMixes)
            {
                var c = MeasureKvC(mix, getShare, batch, kvWarmup, kvMeasure);
                progress($"apps: {c.Name} {c.Number("mpps"):F2} Mpps");
                rows.Add(c);
                foreach (var config in DriverStacks.Configs)
                {
                    var row = MeasureKv(config, mix, getShare, batch, kvWarmup, kvMeasure);
                    row.Set("of_c", BenchRow.Round(row.Number("mpps") / c.Number("mpps")));
                    progress($"apps: {row.Name} {row.Number("mpps"):F2} Mpps ({row.Number("of_c"):F2} of C)");
                    rows.Add(row);
                }
            }
        // The store under crashes: its NIC driver crashed every 200 ms through the shadow, set beside the calm shadow row.
        var crashing = MeasureKvCrashing(32, kvWarmup, TimeSpan.FromMilliseconds(quick ? 1000 : 3000), CrashEvery);
        var calm = rows.First(r => r.Name == "kv-shadow-get95-b32");
        crashing.Set("of_no_crash", BenchRow.Round(crashing.Number("mpps") / calm.Number("mpps")));
        progress($"apps: {crashing.Name} {crashing.Number("mpps"):F2} Mpps, {crashing.Number("crashes")} crashes, {crashing.Number("lost")} lost, {crashing.Number("repeated")} repeated");
        rows.Add(crashing);
        return new SuiteResult(Name, quick, rows) { Details = Details() };
    }

    /// <summary>What the rows are, so a reader of the JSON need not read the sources.</summary>
    private static JsonObject Details() => new()
    {
        ["flows"] = MaglevRun.Flows,
        ["flows_before_timing"] = "every flow sent once (its connection established) before the warm-up and the measured chunks",
        ["backends"] = MaglevRun.DefaultBackends,
        ["maglev_table_size"] = Domains.Workloads.Maglev.MaglevTable.DefaultSize,
        ["packet_bytes"] = MaglevRun.PacketBytes,
        ["generator"] = "unpaced (no line rate)",
        ["sink"] = "checks every frame: sequence, body, and the header rewritten for its flow's backend (misrouted otherwise)",
        ["rows"] = new JsonObject
        {
            ["maglev-c-b<batch>"] = "the balancer and the NIC driver in C (Native/maglev.c, gcc " + NativeBenchLibrary.CFlags + ", " + NativeBenchLibrary.Compiler
                + ") on the same NIC model, generator and sink; registers through function pointers into the managed device (a native-to-managed "
                + "transition per doorbell or head read); no shared heap, ownership, ring capability, domains or stop checks. The nearest thing here to "
                + "the paper's C-on-DPDK row, which drove a real 82599 with DPDK's driver",
            ["maglev-driver-b<batch>"] = "the balancer with the NIC driver linked into its domain (workloads/maglev_nic): no crossing",
            ["maglev-domain-b<batch>"] = "the balancer in its domain, the NIC driver in another, two proxy calls per batch",
            ["maglev-shadow-b<batch>"] = "as domain, through the net shadow (domains/shadow/net)",
            ["of_c"] = "mpps over the C row's at the same batch; the device model's own work (generator, sink) is in every row, C's too",
            ["kv-<driver|domain|shadow>-<get95|get50>-b<batch>"] = "the key-value store (workloads/kv; linked with the NIC driver in workloads/kv_nic for driver) "
                + "serving GET/SET requests (95% or 50% GETs) over Zipf-distributed keys, one request per frame, the reply in the same frame; "
                + "mpps are requests per second; the sink checks every reply against the host's model of the store (a GET returns the last value SET); "
                + "shadow: through the net shadow with its transmit replay on (domains/shadow/net_replay: a copy of each reply kept until it is reported sent)",
            ["kv-shadow-crashing-b<batch>"] = "kv-shadow-get95 with the NIC driver crashed every " + CrashEvery.TotalMilliseconds + " ms (a host thread injects "
                + "a fault; the driver unwinds at its next check and the net shadow restarts it, the kernel resetting the NIC) during the measured time only; "
                + "mpps: requests served over the whole measured time, restarts included. The clients send a request again when the sink skips its frame "
                + "(its own client, in its next frame: Apps/RetransmitQueue.cs), and the reply to a copy is checked where it comes. After the measured time "
                + "the crashes stop and the store serves on, untimed, until every frame sent in it has come back or been skipped and every copy is answered "
                + "(drain_ms; at most " + DrainLimit.TotalSeconds + " s). crashes: the driver's crash records from the start of the measured time to the end "
                + "of the drain (each one a restart); lost: requests the clients never got an answer to (what is still unanswered after the drain); "
                + "repeated: requests the clients got two answers to (a copy answered although the first frame's reply had come); wire_lost: frames the "
                + "sink's numbers skipped (requests that died in the driver or its receive ring, or replies that died in it and were not replayed); "
                + "wire_repeated: frames that came twice (the shadow's transmit replay is at least once: the clients drop a number they have passed); "
                + "retransmitted: copies the clients sent (a copy lost again is sent again); of_no_crash: mpps over kv-shadow-get95-b<batch>'s in "
                + "the same run. The model accepts either outcome of a lost SET (applied or not) until its copy comes, and flags any other value "
                + "(get_uncertain, lost_sets)",
            ["kv-c-<get95|get50>-b<batch>"] = "the store and the NIC driver in C (Native/kv.c) on the same NIC model, clients and checking sink; "
                + "as maglev-c: no shared heap, ownership, ring capability, domains or stop checks, the frame answered in place; the kv rows' of_c is over it",
        },
        ["kv"] = new JsonObject
        {
            ["keys"] = KvRun.Keys,
            ["zipf_skew"] = 0.99,
            ["clients"] = KvRun.Clients,
            ["packet_bytes"] = KvRun.PacketBytes,
            ["value_bytes"] = "1..64 (a SET's length derived from its request number)",
            ["table"] = $"{KvRun.Partitions} partitions x {KvRun.SlotsPerPartition} slots, open addressing (linear probing)",
            ["format"] = "domains/workloads/kv/KvFrame.cs",
        },
    };

    /// <summary>The C balancer: chunks of frames timed like the domain rows', one call into C each.</summary>
    public static BenchRow MeasureMaglevC(int batch, TimeSpan warmup, TimeSpan measure)
    {
        using var c = new NativeMaglev(batch);
        c.Forward(MaglevRun.Flows); // every flow's connection established
        var (rates, alloc, ops) = Throughput.Time(() => c.Forward(Chunk(batch)), warmup, measure);
        return Row($"maglev-c-b{batch}", rates, alloc, ops, c.Device.Sink, c.Connections);
    }

    /// <summary>The balancer as a domain in configuration <paramref name="config"/> (driver, domain, shadow).</summary>
    public static BenchRow MeasureMaglev(string config, int batch, TimeSpan warmup, TimeSpan measure)
    {
        using var run = new MaglevRun(config, batch);
        run.Forward(MaglevRun.Flows); // every flow's connection established
        var (rates, alloc, ops) = Throughput.Time(() => run.Forward(Chunk(batch)), warmup, measure);
        return Row($"maglev-{config}-b{batch}", rates, alloc, ops, run.Device.Sink, run.Connections);
    }

    /// <summary>The C store (Native/kv.c): chunks of requests timed like the domain rows', one call into C each.</summary>
    public static BenchRow MeasureKvC(string mix, double getShare, int batch, TimeSpan warmup, TimeSpan measure)
    {
        using var c = new NativeKv(batch, getShare);
        var (rates, alloc, ops) = Throughput.Time(() => c.Serve(Chunk(batch)), warmup, measure);
        return KvRow($"kv-c-{mix}-b{batch}", rates, alloc, ops, c.Stored, c.Model, c.Device.Sink);
    }

    /// <summary>The key-value store as a domain in configuration <paramref name="config"/>, <paramref name="getShare"/> of its requests GETs.</summary>
    public static BenchRow MeasureKv(string config, string mix, double getShare, int batch, TimeSpan warmup, TimeSpan measure)
    {
        using var run = new KvRun(config, batch, getShare);
        var (rates, alloc, ops) = Throughput.Time(() => run.Serve(Chunk(batch)), warmup, measure);
        return KvRow($"kv-{config}-{mix}-b{batch}", rates, alloc, ops, run.Stored, run.Model, run.Device.Sink);
    }

    /// <summary>How often the crashing row crashes the NIC driver.</summary>
    public static readonly TimeSpan CrashEvery = TimeSpan.FromMilliseconds(200);

    /// <summary>The store through the net shadow (95% GETs), its NIC driver crashed every <paramref name="every"/> during the
    /// measured time only. Its rate is the requests served over the whole measured time (restarts included), not a median
    /// of chunks, which would leave the crashes out. After it, the crashes stop and the store serves on (not timed) until
    /// the sink has passed every frame sent in the measured time and every request sent again is answered, or
    /// DrainLimit passes: what is still unanswered then is lost. <paramref name="retransmit"/> false: the clients never
    /// send a request again (every request the wire lost stays lost).</summary>
    public static BenchRow MeasureKvCrashing(int batch, TimeSpan warmup, TimeSpan measure, TimeSpan every, bool retransmit = true)
    {
        using var run = new KvRun("shadow", batch, 0.95, retransmit);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < warmup) run.Serve(CrashingChunk);
        var sink = run.Device.Sink;
        long lost0 = sink.Lost, repeated0 = sink.Duplicated, unanswered0 = run.Model.Unanswered, twice0 = run.Model.AnsweredTwice, requests = 0;
        long resent0 = run.Workload.Retransmits?.Sent ?? 0;
        var driver = run.Driver!;
        int crashes0 = driver.Crashes.Count;
        var chunks = new List<double>();
        long alloc0 = GC.GetAllocatedBytesForCurrentThread();
        ulong start = Tsc.Read();
        using (new Crasher(run.Kernel, driver, every))
            while (Tsc.ToSeconds(Tsc.Read() - start) < measure.TotalSeconds)
            {
                ulong t0 = Tsc.Read();
                long n = run.Serve(CrashingChunk);
                chunks.Add(n / Tsc.ToSeconds(Tsc.Read() - t0));
                requests += n;
            }
        double seconds = Tsc.ToSeconds(Tsc.Read() - start);
        double alloc = (GC.GetAllocatedBytesForCurrentThread() - alloc0) / (double)Math.Max(requests, 1);
        long sentInMeasure = run.Device.Generator.Generated;
        sw.Restart();
        while ((sink.Expected < sentInMeasure || run.Model.Unanswered > unanswered0) && sw.Elapsed < DrainLimit) run.Serve(DrainChunk);
        var row = KvRow($"kv-shadow-crashing-b{batch}", chunks.ToArray(), alloc, requests, run.Stored, run.Model, sink);
        return row
            .Set("mpps", BenchRow.Round(requests / seconds / 1e6))
            .Set("crashes", driver.Crashes.Count - crashes0) // a fault injected just before the end lands in the drain
            .Set("lost", run.Model.Unanswered - unanswered0)
            .Set("repeated", run.Model.AnsweredTwice - twice0)
            .Set("wire_lost", sink.Lost - lost0)
            .Set("wire_repeated", sink.Duplicated - repeated0)
            .Set("retransmitted", (run.Workload.Retransmits?.Sent ?? 0) - resent0)
            .Set("drain_ms", BenchRow.Round(sw.Elapsed.TotalMilliseconds));
    }

    /// <summary>How long the crashing row's store may serve on after its measured time for the requests sent again to be answered.</summary>
    public static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(3);
    private const long DrainChunk = 5_000;

    private const long CrashingChunk = 50_000;

    private static BenchRow KvRow(string name, double[] rates, double alloc, long ops, long stored, KvModel model, PacketSink sink) =>
        NicRows.Rates(name, rates)
            .Set("requests", ops)
            .Set("alloc_b_per_op", BenchRow.Round(alloc))
            .Set("stored", stored)
            .Set("gets", model.Gets)
            .Set("sets", model.Sets)
            .Set("get_hits", model.Hits)
            .Set("get_never_set", model.Misses)
            .Set("get_uncertain", model.Uncertain)
            .Set("lost_sets", model.LostSets)
            .SetSink(sink, routes: true, replies: true);

    private static long Chunk(int batch) => batch == 1 ? 100_000 : 400_000;

    private static BenchRow Row(string name, double[] rates, double alloc, long ops, PacketSink sink, long connections) =>
        NicRows.Rates(name, rates)
            .Set("packets", ops)
            .Set("alloc_b_per_op", BenchRow.Round(alloc))
            .Set("connections", connections)
            .SetSink(sink, routes: true);
}

// benchmarks/RedLeaf.Benchmarks/Suites: Figures 6-7 on this machine: packets per second through a network driver, 64-byte
// frames, batch 1 and 32, configurations driver / domain / shadow, on the ixgbe-like NIC (frames from
// its generator forwarded back out to its checking sink, at most at 10 GbE line rate, 14.88 Mpps) and
// on nullnet (no device limit: transmit batches complete at once). Rows `<nic|nullnet>-<config>-b<batch>`
// with `mpps` (median over chunks); NIC rows say whether the sink's checks stayed clean.
// In the same run, rows `nullnet-c-b<batch>`: the nullnet transmit loop written in C (Native/nullnet.c, gcc -O2 at build
// time) over the same ring layout, the nearest thing here to the paper's DPDK row; `of_driver` is its rate over
// nullnet-driver's at the same batch. And rows `nullnet-driver-uninstrumented-b<batch>`: nullnet-driver's domain built without the
// instrumentation (measurement only), so the per-packet cost splits into the C loop's ring work, what ownership checks and
// the C# code add, what the stop checks add, and what the crossing adds (notebooks/05-drivers-and-batching).
using System.Text.Json.Nodes;
using RedLeaf.Benchmarks.Native;
using RedLeaf.Hardware;
using RedLeaf.Hardware.Devices;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Measure;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Systems.Drivers;

namespace RedLeaf.Benchmarks.Suites;

public static class NetSuite
{
    public const string Name = "net";

    public static SuiteResult Run(bool quick, Action<string>? progress = null)
    {
        progress ??= _ => { };
        var warmup = TimeSpan.FromMilliseconds(quick ? 300 : 1000);
        var measure = TimeSpan.FromMilliseconds(quick ? 1000 : 3000);
        var rows = new List<BenchRow>();
        foreach (var nic in new[] { "nic", "nullnet" })
            foreach (var config in DriverStacks.Configs)
                foreach (var batch in new[] { 1, 32 })
                {
                    var row = Measure(nic, config, batch, warmup, measure);
                    progress($"net: {row.Name} {row.Number("mpps"):F2} Mpps");
                    rows.Add(row);
                }
        foreach (var batch in new[] { 1, 32 })
        {
            var row = MeasureUninstrumented(batch, warmup, measure, quick);
            progress($"net: {row.Name} {row.Number("mpps"):F2} Mpps");
            rows.Add(row);
        }
        foreach (var batch in new[] { 1, 32 })
        {
            var row = MeasureC(batch, warmup, measure);
            progress($"net: {row.Name} {row.Number("mpps"):F2} Mpps");
            rows.Add(row);
        }
        foreach (var b in new[] { 1, 32 })
        {
            var u = rows.First(r => r.Name == $"nullnet-driver-uninstrumented-b{b}");
            u.Set("of_driver", BenchRow.Round(u.Number("mpps") / rows.First(r => r.Name == $"nullnet-driver-b{b}").Number("mpps")));
            var c = rows.First(r => r.Name == $"nullnet-c-b{b}");
            c.Set("of_driver", BenchRow.Round(c.Number("mpps") / rows.First(r => r.Name == $"nullnet-driver-b{b}").Number("mpps")));
        }
        foreach (var nic in new[] { "nic", "nullnet" })
            foreach (var b in new[] { 1, 32 })
            {
                double driver = rows.First(r => r.Name == $"{nic}-driver-b{b}").Number("mpps");
                foreach (var c in new[] { "domain", "shadow" })
                {
                    var r = rows.First(x => x.Name == $"{nic}-{c}-b{b}");
                    r.Set("of_driver", BenchRow.Round(r.Number("mpps") / driver));
                }
            }
        return new SuiteResult(Name, quick, rows) { Details = Details() };
    }

    /// <summary>What the C rows are, so a reader of the JSON need not read nullnet.c.</summary>
    private static JsonObject Details() => new()
    {
        ["rows"] = new JsonObject
        {
            ["nullnet-c-b<batch>"] = "the nullnet transmit loop of the driver configuration (net_app_nullnet: NetApp.Transmit calling NullNetDriver.SubmitAndPoll) "
                + "in C (Native/nullnet.c, gcc " + NativeBenchLibrary.CFlags + ", " + NativeBenchLibrary.Compiler + "): per packet, pop it from the submitted ring and "
                + "push it on the completed one with the C# rings' range checks, over the same layout (16-byte header {head, count}, 16-byte Packet elements, "
                + "2048-byte buffers); per batch, a call through a function pointer and the count. Not done: ownership checks and RRef owner rewrites, "
                + "domains and stop checks, RpcResult. One call into C per chunk; the nearest thing here to the paper's DPDK row (which ran on an 82599)",
            ["nullnet-driver-uninstrumented-b<batch>"] = "nullnet-driver's domain (net_app_nullnet) built by the same pipeline without the instrumentation "
                + "(TrustedCompiler.CompileUninstrumentedForMeasurement, a kernel booted with AllowUninstrumented; never for real use): the same code with no "
                + "stop checks at loop back-edges and calls, no allocation metering. Against nullnet-driver it measures what the checks cost per packet; "
                + "against nullnet-c, what the ownership checks, RRef owner rewrites and the C# code of the same ring work cost. stop_checks_ticks_per_packet: "
                + "the instrumented and this application, each in its own kernel, time one chunk each in turn (order alternating); the median over "
                + "paired_rounds of the difference in TSC ticks per packet (the checks' cost is smaller than the drift between two separate measurements)",
        },
    };

    /// <summary>The C loop: chunks of packets timed like the driver rows' (Throughput.Time), one call into C each.</summary>
    public static BenchRow MeasureC(int batch, TimeSpan warmup, TimeSpan measure)
    {
        using var net = new NativeNullNet(batch);
        long chunk = batch == 1 ? 4_000_000 : 16_000_000;
        var (rates, alloc, ops) = Throughput.Time(() => net.Transmit(chunk), warmup, measure);
        if (net.Transmitted < ops) // warm-up and timed chunks
            throw new InvalidOperationException($"nullnet-c-b{batch}: the C driver counted {net.Transmitted} packets transmitted, fewer than the {ops} timed");
        if (net.BatchCount != batch)
            throw new InvalidOperationException($"nullnet-c-b{batch}: the application's batch holds {net.BatchCount} packets after the run, not {batch}");
        var stats = Stats.Of(rates);
        return new BenchRow($"nullnet-c-b{batch}")
            .Set("mpps", BenchRow.Round(stats.Median / 1e6))
            .Set("min_mpps", BenchRow.Round(stats.Min / 1e6))
            .Set("max_mpps", BenchRow.Round(stats.Max / 1e6))
            .Set("packets", ops)
            .Set("alloc_bytes_per_packet", BenchRow.Round(alloc));
    }

    /// <summary>nullnet-driver with its domain built without the instrumentation (stop checks). What the checks cost a packet
    /// is a few ticks at most, smaller than what two measurements seconds apart drift on a shared machine, so it is also
    /// measured paired: the instrumented and the uninstrumented application, each in its own kernel, time one chunk each in
    /// turn, and `stop_checks_ticks_per_packet` is the median over rounds of the difference within a round.</summary>
    private static BenchRow MeasureUninstrumented(int batch, TimeSpan warmup, TimeSpan measure, bool quick)
    {
        var plain = Microkernel.Boot(new MachineConfig { Cpus = 1, MemoryBytes = 256L << 20 }, new KernelOptions { AllowUninstrumented = true });
        var checkedKernel = DriverStacks.Boot();
        try
        {
            var app = plain.Load(TrustedCompiler.Default.CompileUninstrumentedForMeasurement(DomainTree.Folder("workloads/net_app_nullnet")));
            var row = MeasureApp(app, $"nullnet-driver-uninstrumented-b{batch}", batch, warmup, measure, dev: null);
            var instrumented = DriverStacks.Load(checkedKernel, "driver", null, "drivers/nullnet", "workloads/net_app", "workloads/net_app_nullnet", "shadow/net");
            var a = instrumented.Get<INetBench>();
            var b = app.Get<INetBench>();
            Check(a.Setup(batch, 0), instrumented);
            long chunk = batch == 1 ? 500_000 : 2_000_000;
            for (int i = 0; i < 3; i++) { Check(a.Transmit(chunk), instrumented); Check(b.Transmit(chunk), app); } // warm
            int rounds = quick ? 12 : 40;
            var diffs = new double[rounds];
            for (int r = 0; r < rounds; r++)
            {
                // Alternate which goes first, so a drift within a round favours neither.
                double ta = r % 2 == 0 ? TicksPerPacket(() => Check(a.Transmit(chunk), instrumented)) : 0;
                double tb = TicksPerPacket(() => Check(b.Transmit(chunk), app));
                if (r % 2 != 0) ta = TicksPerPacket(() => Check(a.Transmit(chunk), instrumented));
                diffs[r] = ta - tb;
            }
            Array.Sort(diffs);
            return row.Set("paired_rounds", rounds)
                .Set("stop_checks_ticks_per_packet", BenchRow.Round(diffs[rounds / 2]))
                .Set("stop_checks_ticks_per_packet_iqr", BenchRow.Round(diffs[rounds * 3 / 4] - diffs[rounds / 4]));
        }
        finally
        {
            DriverStacks.ShutDown(plain);
            DriverStacks.ShutDown(checkedKernel);
        }
    }

    private static double TicksPerPacket(Func<long> chunk)
    {
        ulong t0 = Tsc.Read();
        long n = chunk();
        ulong t1 = Tsc.Read();
        return (double)(t1 - t0) / n;
    }

    private static BenchRow Measure(string nic, string config, int batch, TimeSpan warmup, TimeSpan measure)
    {
        var k = DriverStacks.Boot();
        try { return MeasureOn(k, nic, config, batch, warmup, measure); }
        finally { DriverStacks.ShutDown(k); }
    }

    private static BenchRow MeasureOn(Microkernel k, string nic, string config, int batch, TimeSpan warmup, TimeSpan measure)
    {
        IxgbeDevice? dev = null;
        if (nic == "nic") dev = k.Machine.Attach(new IxgbeDevice("nic0", new TrafficGenerator(packetBytes: 64, flows: 16, lineRate: true), ringEntries: 512));
        var app = nic == "nic"
            ? DriverStacks.Load(k, config, dev, "drivers/nic", "workloads/net_app", "workloads/net_app_nic", "shadow/net")
            : DriverStacks.Load(k, config, null, "drivers/nullnet", "workloads/net_app", "workloads/net_app_nullnet", "shadow/net");
        return MeasureApp(app, $"{nic}-{config}-b{batch}", batch, warmup, measure, dev);
    }

    /// <summary>Times the application's loop: Forward through the NIC model if <paramref name="dev"/> is set, else Transmit on nullnet.</summary>
    private static BenchRow MeasureApp(Domain app, string name, int batch, TimeSpan warmup, TimeSpan measure, IxgbeDevice? dev)
    {
        var bench = app.Get<INetBench>();
        Check(bench.Setup(batch, dev is not null ? 1024 : 0), app);
        long chunk = dev is not null ? 200_000 : (batch == 1 ? 1_000_000 : 4_000_000);
        Func<long> run = dev is not null
            ? () => Check(bench.Forward(chunk), app)
            : () => Check(bench.Transmit(chunk), app);
        var (rates, alloc, ops) = Throughput.Time(run, warmup, measure);
        var row = NicRows.Rates(name, rates)
            .Set("packets", ops)
            .Set("alloc_bytes_per_packet", BenchRow.Round(alloc));
        if (dev is not null)
            row.Set("line_rate_mpps", BenchRow.Round(dev.Generator.Pacer.PacketsPerSecond / 1e6)).SetSink(dev.Sink);
        return row;
    }

    private static long Check(RedLeaf.Abi.RpcResult<long> r, RedLeaf.Os.Domains.Domain app) =>
        r.IsOk ? r.Value : throw new InvalidOperationException($"the benchmark application failed: {r.Error} ({app.Kernel.Domains.Select(d => d.LastCrash).LastOrDefault(c => c is not null)})");

    private static void Check(RedLeaf.Abi.RpcResult r, RedLeaf.Os.Domains.Domain app)
    {
        if (!r.IsOk) throw new InvalidOperationException($"the benchmark application failed to set up: {r.Error} ({app.Kernel.Domains.Select(d => d.LastCrash).LastOrDefault(c => c is not null)})");
    }
}

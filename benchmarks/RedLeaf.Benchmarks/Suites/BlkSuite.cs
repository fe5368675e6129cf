// benchmarks/RedLeaf.Benchmarks/Suites: Figure 8 on this machine: 4 KiB sequential reads and writes through the block driver,
// batch 1 and 32, configurations driver / domain / shadow. The NVMe-like device works from memory
// with no modelled latency, so what bounds it is the host CPU (the 4 KiB copies, the driver, the
// crossings), not a device: the ratio domain/driver is the crossing's cost. Rows
// `<read|write>-<config>-b<batch>` with `iops`.
using RedLeaf.Hardware.Devices;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Measure;
using RedLeaf.Systems.Drivers;

namespace RedLeaf.Benchmarks.Suites;

public static class BlkSuite
{
    public const string Name = "blk";
    private const long Blocks = 16384; // 64 MiB

    public static SuiteResult Run(bool quick, Action<string>? progress = null)
    {
        progress ??= _ => { };
        var warmup = TimeSpan.FromMilliseconds(quick ? 300 : 1000);
        var measure = TimeSpan.FromMilliseconds(quick ? 1000 : 3000);
        var rows = new List<BenchRow>();
        foreach (var op in new[] { "read", "write" })
            foreach (var config in DriverStacks.Configs)
                foreach (var batch in new[] { 1, 32 })
                {
                    var row = Measure(op == "write", config, batch, warmup, measure);
                    progress($"blk: {row.Name} {row.Number("iops") / 1e3:F0}K IOPS");
                    rows.Add(row);
                }
        foreach (var op in new[] { "read", "write" })
            foreach (var b in new[] { 1, 32 })
            {
                double driver = rows.First(r => r.Name == $"{op}-driver-b{b}").Number("iops");
                foreach (var c in new[] { "domain", "shadow" })
                {
                    var r = rows.First(x => x.Name == $"{op}-{c}-b{b}");
                    r.Set("of_driver", BenchRow.Round(r.Number("iops") / driver));
                }
            }
        return new SuiteResult(Name, quick, rows);
    }

    private static BenchRow Measure(bool write, string config, int batch, TimeSpan warmup, TimeSpan measure)
    {
        var k = DriverStacks.Boot();
        try { return MeasureOn(k, write, config, batch, warmup, measure); }
        finally { DriverStacks.ShutDown(k); }
    }

    private static BenchRow MeasureOn(RedLeaf.Os.Microkernel k, bool write, string config, int batch, TimeSpan warmup, TimeSpan measure)
    {
        var dev = k.Machine.Attach(new NvmeDevice("nvme0", new MemoryBlockStore(4096, Blocks), queueEntries: 256));
        var app = DriverStacks.Load(k, config, dev, "drivers/blk", "workloads/blk_app", "workloads/blk_app_linked", "shadow/blk");
        var bench = app.Get<IBlkBench>();
        var setup = bench.Setup(batch);
        if (!setup.IsOk) throw new InvalidOperationException($"blk benchmark setup failed: {setup.Error}");
        long chunk = batch == 1 ? 20_000 : 40_000;
        var (rates, alloc, ops) = Throughput.Time(() =>
        {
            var r = bench.Run(chunk, write);
            return r.IsOk ? r.Value : throw new InvalidOperationException($"blk benchmark failed: {r.Error}");
        }, warmup, measure);
        var stats = Stats.Of(rates);
        return new BenchRow($"{(write ? "write" : "read")}-{config}-b{batch}")
            .Set("iops", Math.Round(stats.Median))
            .Set("min_iops", Math.Round(stats.Min))
            .Set("max_iops", Math.Round(stats.Max))
            .Set("requests", ops)
            .Set("device_commands", dev.Reads + dev.Writes)
            .Set("alloc_bytes_per_request", BenchRow.Round(alloc));
    }
}

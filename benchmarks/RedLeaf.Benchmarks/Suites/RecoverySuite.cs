// benchmarks/RedLeaf.Benchmarks/Suites: Figure 11 on this machine, twice.
// 1. As the paper ran it: rv6's benchfs (domains/rv6/user/benchfs: 4 KiB sequential writes, or reads
//    checking every byte, of a 256 KiB file) through rv6's file system domain, whose block driver sits
//    behind its shadow; once with no crashes and once while the driver is crashed at a fixed rate (a
//    fault injected by the kernel, once a second; in quick mode every 200 ms so a short run still sees
//    ten); the runs without crashes last as long, after an untimed pass of each. Rows read-no-crash, read-crashing, write-no-crash, write-crashing (mb_per_s as benchfs timed
//    it, MB = 10^6 bytes; benchfs_status 0 means every byte read back right; the crashing rows carry the
//    disk's throughput every 10 ms, reads plus writes as the device counted them, log writes included)
//    and restart (median_us, p99_us, count: crash detected by the shadow to the replayed call completed;
//    from_standby: how many of the restarts found the instance the kernel prepares ahead ready; the
//    crashing rows carry their own restarts and from_standby).
// 2. The driver alone: an application (host code running as the kernel's domain) reads, then writes,
//    4 KiB blocks in order straight through the shadow, with the same crashes: rows blk-read-no-crash,
//    blk-read-crashing, blk-write-no-crash, blk-write-crashing (series of the application's MB/s every
//    10 ms) and blk-restart. Reads move their buffer (the shadow allocates a new one after a crash),
//    writes lend theirs (replayed as they are); every block's stamp is checked.
using System.Buffers.Binary;
using System.Text.Json.Nodes;
using RedLeaf.Abi;
using RedLeaf.Hardware;
using RedLeaf.Hardware.Devices;
using RedLeaf.Interfaces.Block;
using RedLeaf.Measure;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Systems.Drivers;

namespace RedLeaf.Benchmarks.Suites;

public static class RecoverySuite
{
    public const string Name = "recovery";
    private const int BlockBytes = 4096;

    public static SuiteResult Run(bool quick, Action<string>? progress = null) =>
        Run(quick, quick ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(1), progress);

    public static SuiteResult Run(bool quick, TimeSpan crashEvery, Action<string>? progress = null)
    {
        progress ??= _ => { };
        var rows = new List<BenchRow>();
        rows.AddRange(Rv6Recovery.Run(quick, crashEvery, progress));
        rows.AddRange(DriverAlone(quick, crashEvery, progress));
        return new SuiteResult(Name, quick, rows) { Details = new() { ["crash_every_ms"] = crashEvery.TotalMilliseconds, ["confirm_collection"] = true } };
    }

    private static List<BenchRow> DriverAlone(bool quick, TimeSpan crashEvery, Action<string> progress)
    {
        long fileBlocks = quick ? 8192 : 32768;
        // At least 10 crashes in each crashing run, quick mode included; the runs without crashes last as long.
        var crashing = TimeSpan.FromTicks(Math.Max(crashEvery.Ticks * 10 + crashEvery.Ticks / 2, TimeSpan.FromSeconds(quick ? 0 : 30).Ticks));
        var calm = crashing;

        using var k = DriverStacks.Boot();
        var store = new MemoryBlockStore(BlockBytes, fileBlocks);
        var stamp = new byte[16];
        for (long b = 0; b < fileBlocks; b++) { Stamp(stamp, b, 0); store.Write(b, stamp); }
        var dev = k.Machine.Attach(new NvmeDevice("nvme0", store, queueEntries: 64));
        var driver = k.Load(DriverStacks.Image("drivers/blk"), dev);
        var right = k.GrantRestart(driver);
        var blk = k.Load(DriverStacks.Image("shadow/blk"), driver.Export!, right).Get<IBlockDevice>();
        using var scope = k.Enter();

        var rows = new List<BenchRow>();
        BenchRow Pass(string name, bool write, TimeSpan length, bool crash, int runId)
        {
            progress($"recovery: {name} (driver alone) for {length.TotalSeconds:F1} s{(crash ? $", crashing the driver every {crashEvery.TotalMilliseconds:F0} ms" : "")} ...");
            long restarts0 = right.Restarts, standby0 = driver.StandbyRestarts;
            var run = Loop(k, blk, driver, fileBlocks, write, length, crash ? crashEvery : null, runId);
            var row = new BenchRow(name)
                .Set("mb_per_s", BenchRow.Round(run.Bytes / run.Seconds / 1e6))
                .Set("seconds", BenchRow.Round(run.Seconds))
                .Set("blocks", run.Bytes / BlockBytes)
                .Set("errors", run.Errors)
                .Set("wrong_data", run.WrongData);
            if (crash)
            {
                row.Set("crashes_injected", run.Injected)
                   .Set("restarts", right.Restarts - restarts0)
                   .Set("from_standby", driver.StandbyRestarts - standby0);
            }
            row.Set("series_mb_per_s_10ms", new JsonArray(run.Series.Select(v => (JsonNode)BenchRow.Round(v)).ToArray()));
            progress($"recovery: {name} {row.Number("mb_per_s"):F0} MB/s");
            rows.Add(row);
            return row;
        }

        // Untimed passes first (as in Rv6Recovery): code compiled, caches warm, before either timed run.
        progress("recovery: warming up the driver alone (untimed) ...");
        Loop(k, blk, driver, fileBlocks, write: true, TimeSpan.FromMilliseconds(300), null, runId: 0);
        Loop(k, blk, driver, fileBlocks, write: false, TimeSpan.FromMilliseconds(300), null, runId: 0);
        var readCalm = Pass("blk-read-no-crash", false, calm, false, 0);
        var readCrash = Pass("blk-read-crashing", false, crashing, true, 0);
        var writeCalm = Pass("blk-write-no-crash", true, calm, false, 1);
        var writeCrash = Pass("blk-write-crashing", true, crashing, true, 2);
        long lostWrites = 0;
        for (long b = 0; b < fileBlocks; b++)
        {
            store.Read(b, stamp);
            if (BinaryPrimitives.ReadInt64LittleEndian(stamp) != b || BinaryPrimitives.ReadInt64LittleEndian(stamp.AsSpan(8)) != 2) lostWrites++;
        }
        writeCrash.Set("blocks_not_written_at_end", lostWrites);
        readCrash.Set("of_no_crash", BenchRow.Round(readCrash.Number("mb_per_s") / readCalm.Number("mb_per_s")));
        writeCrash.Set("of_no_crash", BenchRow.Round(writeCrash.Number("mb_per_s") / writeCalm.Number("mb_per_s")));

        var latencies = right.LatenciesMicroseconds();
        var restart = new BenchRow("blk-restart").Set("count", latencies.Length).Set("from_standby", driver.StandbyRestarts);
        if (latencies.Length > 0)
        {
            var s = Stats.Of(latencies);
            restart.Set("median_us", BenchRow.Round(s.Median)).Set("p99_us", BenchRow.Round(s.P99)).Set("max_us", BenchRow.Round(s.Max));
        }
        rows.Add(restart);
        return rows;
    }

    private static void Stamp(Span<byte> s, long block, long run)
    {
        BinaryPrimitives.WriteInt64LittleEndian(s, block);
        BinaryPrimitives.WriteInt64LittleEndian(s[8..], run);
    }

    private sealed record RunResult(long Bytes, double Seconds, long Errors, long WrongData, long Injected, double[] Series);

    private static RunResult Loop(Microkernel k, IBlockDevice blk, Domain driver, long fileBlocks, bool write, TimeSpan length, TimeSpan? crashEvery, long runId)
    {
        var buffer = RRefArray<byte>.New(BlockBytes);
        Span<byte> stamp = stackalloc byte[16];
        ulong bucket = (ulong)(0.010 * Tsc.Hz);
        ulong total = (ulong)(length.TotalSeconds * Tsc.Hz);
        var series = new double[(int)(length.TotalMilliseconds / 10) + 2];
        long bytes = 0, errors = 0, wrong = 0, bucketBytes = 0;
        int buckets = 0;
        var crasher = new Crasher(k, driver, crashEvery);
        ulong start = Tsc.Read(), next = start + bucket, end = start + total;
        long block = 0;
        while (true)
        {
            for (int i = 0; i < 64; i++)
            {
                if (write)
                {
                    Stamp(stamp, block, runId);
                    buffer.CopyFrom(stamp);
                    var w = blk.Write(block, in buffer);
                    if (!w.IsOk || w.Value != 0) errors++;
                }
                else
                {
                    var r = blk.Read(block, buffer);
                    if (r.IsOk) buffer = r.Value;
                    else { errors++; buffer = RRefArray<byte>.New(BlockBytes); }
                    buffer.CopyTo(stamp[..8]);
                    if (r.IsOk && BinaryPrimitives.ReadInt64LittleEndian(stamp) != block) wrong++;
                }
                bytes += BlockBytes;
                bucketBytes += BlockBytes;
                block = block + 1 == fileBlocks ? 0 : block + 1;
            }
            ulong now = Tsc.Read();
            if (now >= next)
            {
                if (buckets < series.Length) series[buckets++] = bucketBytes / 0.010 / 1e6;
                bucketBytes = 0;
                next += bucket;
            }
            if (now >= end) break;
        }
        double seconds = Tsc.ToSeconds(Tsc.Read() - start);
        crasher.Dispose();
        // A fault injected after the last call is still pending: let the shadow clear it now, off the clock.
        if (driver.Status != DomainStatus.Running) blk.BlockSize();
        return new RunResult(bytes, seconds, errors, wrong, crasher.Injected, series[..buckets]);
    }
}

// benchmarks/RedLeaf.Benchmarks/Suites: the rv6 half of Figure 11 (see RecoverySuite): boots rv6 with its block driver behind
// the shadow, runs benchfs for a fixed time with and without a crash of the driver injected at a fixed
// rate, and samples the disk's byte counters every 10 ms on a sleeping host thread for the series.
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RedLeaf.Hardware.Devices;
using RedLeaf.Measure;
using RedLeaf.Os.Domains;
using RedLeaf.Systems.Rv6;

namespace RedLeaf.Benchmarks.Suites;

internal static partial class Rv6Recovery
{
    private const int FileKiB = 256;

    public static List<BenchRow> Run(bool quick, TimeSpan crashEvery, Action<string> progress)
    {
        // At least 10 crashes in each crashing run; the runs without crashes last as long, so the two are alike
        // but for the crashes.
        int crashing = (int)Math.Ceiling(Math.Max(crashEvery.TotalSeconds * 10.5, quick ? 0 : 30));
        int calm = crashing;
        var image = Rv6System.FreshImage(4000);
        var store = new MemoryBlockStore(Rv6System.BlockSize, image.Length / Rv6System.BlockSize);
        for (long b = 0; b < store.BlockCount; b++) store.Write(b, image.AsSpan((int)(b * Rv6System.BlockSize), Rv6System.BlockSize));
        // Collection confirmed, the kernel's default: every restart's crash cleanup waits (in the background) for the dead
        // driver's code to be collected before its quarantined memory is reused, as a real deployment would run.
        using var rv6 = Rv6System.Boot(new Rv6Options { Store = store, BlockShadow = true, ConfirmCollection = true });
        var right = rv6.BlkRestart!;
        var rows = new List<BenchRow>();

        BenchRow Pass(string name, string mode, int seconds, bool crash)
        {
            progress($"recovery: {name}: rv6 `benchfs {mode} -t {seconds} {FileKiB}`{(crash ? $", crashing the block driver every {crashEvery.TotalMilliseconds:F0} ms" : "")} ...");
            long restarts0 = right.Restarts, standby0 = rv6.Blk.StandbyRestarts;
            var (run, series, injected) = Watch(rv6, $"benchfs {mode} -t {seconds} {FileKiB}", crash ? crashEvery : null);
            var m = Report().Match(run.Text);
            double mbps = m.Success ? double.Parse(m.Groups["mbps"].Value, CultureInfo.InvariantCulture) : 0;
            var row = new BenchRow(name)
                .Set("through", "rv6: benchfs -> fs domain -> blk shadow -> blk driver")
                .Set("mb_per_s", mbps)
                .Set("seconds", m.Success ? double.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) : 0)
                .Set("benchfs_status", run.Status)
                .Set("rounds", m.Success ? int.Parse(m.Groups["rounds"].Value, CultureInfo.InvariantCulture) : 0);
            if (!m.Success || run.Status != 0) row.Set("benchfs_output", run.Text.Trim());
            if (crash)
            {
                row.Set("crashes_injected", injected)
                   .Set("restarts", right.Restarts - restarts0)
                   .Set("from_standby", rv6.Blk.StandbyRestarts - standby0)
                   .Set("series_disk_mb_per_s_10ms", new JsonArray(series.Select(v => (JsonNode)BenchRow.Round(v)).ToArray()));
            }
            progress($"recovery: {name} {mbps:F1} MB/s (benchfs exit {run.Status})");
            rows.Add(row);
            return row;
        }

        // An untimed pass of each first: the runs compared start with the code compiled and the caches warm, so the
        // first timed run does not pay for everyone's warm-up (it made the crashing runs look faster than the calm).
        progress("recovery: warming up rv6 (benchfs -w, then -r, 1 s each, untimed) ...");
        foreach (var mode in new[] { "-w", "-r" })
            if (rv6.Run($"benchfs {mode} -t 1 {FileKiB}") is { Status: not 0 } warm)
                throw new InvalidOperationException($"recovery: the warm-up `benchfs {mode}` failed (exit {warm.Status}): {warm.Text.Trim()}");
        var readCalm = Pass("read-no-crash", "-r", calm, false);
        var readCrash = Pass("read-crashing", "-r", crashing, true);
        var writeCalm = Pass("write-no-crash", "-w", calm, false);
        var writeCrash = Pass("write-crashing", "-w", crashing, true);
        if (readCalm.Number("mb_per_s") > 0) readCrash.Set("of_no_crash", BenchRow.Round(readCrash.Number("mb_per_s") / readCalm.Number("mb_per_s")));
        if (writeCalm.Number("mb_per_s") > 0) writeCrash.Set("of_no_crash", BenchRow.Round(writeCrash.Number("mb_per_s") / writeCalm.Number("mb_per_s")));
        var fsck = RedLeaf.Xv6.Fsck.Check(rv6.DiskImage(), "rv6 after bench recovery");
        writeCrash.Set("fsck_clean_after", fsck.Clean);

        var latencies = right.LatenciesMicroseconds();
        var restart = new BenchRow("restart").Set("count", latencies.Length).Set("from_standby", rv6.Blk.StandbyRestarts).Set("through", "rv6 (blk shadow restarting the blk driver)");
        if (latencies.Length > 0)
        {
            var s = Stats.Of(latencies);
            restart.Set("median_us", BenchRow.Round(s.Median)).Set("p99_us", BenchRow.Round(s.P99)).Set("max_us", BenchRow.Round(s.Max));
        }
        rows.Add(restart);
        return rows;
    }

    [GeneratedRegex(@"benchfs: (read|write) \d+ KiB x (?<rounds>\d+) in (?<s>[\d.]+) s: (?<mbps>[\d.]+) MB/s")]
    private static partial Regex Report();

    /// <summary>Runs the command while a sleeping thread samples the disk every 10 ms and, if asked, a Crasher injects crashes.</summary>
    private static (Rv6Run Run, double[] Series, long Injected) Watch(Rv6System rv6, string command, TimeSpan? crashEvery)
    {
        var disk = rv6.Disk;
        var series = new List<double>();
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            long last = (disk.Reads + disk.Writes) * disk.BlockSize;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            double lastAt = 0;
            while (!stop.Token.WaitHandle.WaitOne(10))
            {
                long now = (disk.Reads + disk.Writes) * disk.BlockSize;
                double at = sw.Elapsed.TotalSeconds;
                series.Add((now - last) / Math.Max(at - lastAt, 1e-6) / 1e6);
                last = now;
                lastAt = at;
            }
        })
        { IsBackground = true, Name = "recovery-sampler" };
        var crasher = new Crasher(rv6.Kernel, rv6.Blk, crashEvery);
        sampler.Start();
        var run = rv6.Run(command);
        stop.Cancel();
        sampler.Join();
        crasher.Dispose();
        return (run, series.ToArray(), crasher.Injected);
    }
}

// benchmarks/RedLeaf.Benchmarks/Results: the driver and recovery tables (Figures 6-8 and 11) of the README, from the recorded
// runs of `bench net`, `bench blk` and `bench recovery`: every run's figure side by side, the ratio
// the issue's targets are stated in (domain or shadow over driver; crashing over crash-free), and the
// paper's figure for the same configuration from datasets/reference/.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RedLeaf.Benchmarks.Suites;
using RedLeaf.Measure.Results;
using static RedLeaf.Measure.Results.Markdown;

namespace RedLeaf.Benchmarks.Results;

public sealed partial class ResultsTable
{
    static readonly string[] DriverSuites = [NetSuite.Name, BlkSuite.Name, RecoverySuite.Name];

    static string Ratio(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    static string Count(double v) => v.ToString("0", CultureInfo.InvariantCulture);

    void Drivers(StringBuilder sb, IReadOnlyCollection<string> suites)
    {
        if (suites.Contains(NetSuite.Name)) Net(sb, _results.Runs(NetSuite.Name));
        if (suites.Contains(BlkSuite.Name)) Blk(sb, _results.Runs(BlkSuite.Name));
        if (suites.Contains(RecoverySuite.Name)) Recovery(sb, _results.Runs(RecoverySuite.Name));
    }

    /// <summary>The paper's cell of a reference table: the row matching <paramref name="match"/>, column <paramref name="column"/>.</summary>
    string Paper(string figure, Func<JsonObject, bool> match, string column, string unit = "")
    {
        var row = (_reference.Load(figure)?["rows"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(match);
        return Field(row, column) is { } v ? $"{Number(v)}{unit}" : "";
    }

    void Net(StringBuilder sb, IReadOnlyList<JsonObject> runs)
    {
        sb.AppendLine().AppendLine($"Figures 6-7, 64-byte packets ({RunCount(runs)}, {Dates(runs)}; NIC model paced at 10 GbE line rate, 14.88 Mpps; {Settings(runs)}):").AppendLine();
        sb.AppendLine(Line($"row ({Commands(runs)})", "Mpps, per run", "of `driver`, per run", "checks", "paper (Mpps)"));
        sb.AppendLine(Rule(5));
        foreach (string name in RowNames(runs))
        {
            var parts = name.Split('-'); // nic|nullnet, driver|domain|shadow, b1|b32
            if (parts.Length != 3) continue;
            string checks = parts[0] == "nic" ? SinkChecks(runs, name) : "";
            string device = parts[0] == "nic" ? "ixgbe" : "nullnet";
            // The paper ran nullnet only as redleaf-driver and through rv6 (rv6-domain, rv6-shadow), which also crosses rv6's core:
            // our nullnet domain and shadow rows have no counterpart there, so their paper cell stays empty (see the note below).
            string config = $"redleaf-{parts[1]}";
            string paper = Paper("figures6-7-network", r => (string?)r["configuration"] == config && (string?)r["device"] == device, parts[2] == "b1" ? "batch_1" : "batch_32");
            sb.AppendLine(Line($"`{name}`", PerRun(runs.Select(r => Field(Row(r, name), "mpps"))),
                parts[1] == "driver" ? "" : PerRun(runs.Select(r => Field(Row(r, name), "of_driver")), Ratio), checks, paper));
        }
        if (RowNames(runs).Any(n => n.StartsWith("nullnet-c-", StringComparison.Ordinal)))
            sb.AppendLine().AppendLine("`nullnet-c-b1`, `nullnet-c-b32`: the nullnet transmit loop of `nullnet-driver` written in C (gcc -O2) over the same ring layout, " +
                "measured in the same run: the same per-packet ring work with none of the ownership checks, RRef owner rewrites, domains or stop checks " +
                "(`of driver` is C over our driver). The nearest thing here to the paper's DPDK row " +
                $"({Paper("figures6-7-network", r => (string?)r["configuration"] == "DPDK", "batch_1")} / {Paper("figures6-7-network", r => (string?)r["configuration"] == "DPDK", "batch_32")} Mpps " +
                "at batch 1 / 32), which drove a real 82599 and is bound by it at batch 32 (line rate): there is no nullnet DPDK in the paper.");
        string Rv6(string config) => $"{Paper("figures6-7-network", r => (string?)r["configuration"] == config && (string?)r["device"] == "nullnet", "batch_1")} / " +
            Paper("figures6-7-network", r => (string?)r["configuration"] == config && (string?)r["device"] == "nullnet", "batch_32");
        if (RowNames(runs).Any(n => n.StartsWith("nullnet-domain", StringComparison.Ordinal)))
            sb.AppendLine().AppendLine("The paper measured nullnet only with the driver linked into the application (redleaf-driver) and from an application " +
                $"in rv6 (rv6-domain {Rv6("rv6-domain")}, rv6-shadow {Rv6("rv6-shadow")} Mpps at batch 1 / 32), which also crosses rv6's core and its " +
                "network stack; our `nullnet-domain` and `nullnet-shadow` rows call the driver domain straight from the host, so the paper has no row for them.");
    }

    void Blk(StringBuilder sb, IReadOnlyList<JsonObject> runs)
    {
        sb.AppendLine().AppendLine($"Figure 8, 4 KiB sequential block I/O ({RunCount(runs)}, {Dates(runs)}; in-memory device, so CPU-bound, not device-bound; {Settings(runs)}):").AppendLine();
        sb.AppendLine(Line($"row ({Commands(runs)})", "K IOPS, per run", "of `driver`, per run", "paper, RedLeaf on a P3700 (K IOPS)"));
        sb.AppendLine(Rule(4));
        foreach (string name in RowNames(runs))
        {
            var parts = name.Split('-'); // read|write, driver|domain|shadow, b1|b32
            if (parts.Length != 3) continue;
            string paper = Paper("figure8-nvme", r => (string?)r["system"] == "RedLeaf" && (string?)r["op"] == parts[0], parts[2] == "b1" ? "batch_1" : "batch_32");
            if (double.TryParse(paper.Replace(",", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out double p)) paper = Number(p / 1000);
            sb.AppendLine(Line($"`{name}`", PerRun(runs.Select(r => Field(Row(r, name), "iops") / 1000)),
                parts[1] == "driver" ? "" : PerRun(runs.Select(r => Field(Row(r, name), "of_driver")), Ratio), paper));
        }
    }

    void Recovery(StringBuilder sb, IReadOnlyList<JsonObject> runs)
    {
        var crashEvery = runs.Select(r => r["details"]?["crash_every_ms"]?.ToString()).Distinct();
        sb.AppendLine().AppendLine($"Figure 11, recovery: 4 KiB sequential file I/O while the block driver is crashed every {string.Join("/", crashEvery)} ms ({RunCount(runs)}, {Dates(runs)}; {Settings(runs)}):").AppendLine();
        sb.AppendLine(Line($"row ({Commands(runs)})", "per run", "of crash-free, per run", "restarts, per run", "paper"));
        sb.AppendLine(Rule(5));
        foreach (string name in RowNames(runs))
        {
            if (name.EndsWith("restart", StringComparison.Ordinal))
            {
                sb.AppendLine(Line($"`{name}` median / p99 (ms)",
                    $"{PerRun(runs.Select(r => Field(Row(r, name), "median_us") / 1000), v => v.ToString("0.00", CultureInfo.InvariantCulture))} / {PerRun(runs.Select(r => Field(Row(r, name), "p99_us") / 1000))}",
                    "", PerRun(runs.Select(r => Field(Row(r, name), "count")), Count), ""));
                continue;
            }
            bool crashing = name.EndsWith("-crashing", StringComparison.Ordinal);
            string op = name.StartsWith("blk-", StringComparison.Ordinal) ? name.Split('-')[1] : name.Split('-')[0];
            string paper = name.StartsWith("blk-", StringComparison.Ordinal) ? ""
                : Paper("figure11-recovery", r => (string?)r["op"] == op, crashing ? "with_restarts" : "without_restarts", " MB/s");
            sb.AppendLine(Line($"`{name}` (MB/s)", PerRun(runs.Select(r => Field(Row(r, name), "mb_per_s"))),
                crashing ? PerRun(runs.Select(r => Field(Row(r, name), "of_no_crash")), Ratio) : "",
                crashing ? PerRun(runs.Select(r => Field(Row(r, name), "restarts")), Count) : "", paper));
        }
        if (RowNames(runs).Contains("read-no-crash"))
            sb.AppendLine().AppendLine("Why rv6's reads run below the paper's while the block layer alone (`blk-*`) does not: until 2026-12-07 half the reading " +
                "thread's time went to a process-wide memory barrier every RRef move out of a domain entered by several threads paid (227-256 MB/s); " +
                "with that barrier paid once per domain, a profile now puts almost all of it in handing locks to and fro (the heap's ownership lock " +
                "and rv6's WaitLocks, shared with the block device's thread), and under 2% in copying data (benchmarks/README.md, `recovery`).");
    }
}

// benchmarks/RedLeaf.Benchmarks/Results: the applications table of the README (issue 22), from the recorded runs of `bench
// apps`: Maglev and the key-value store per configuration, every run's rate and its ratio to the C row measured in
// the same run, whether the sink found every frame right, the crashing row's counts, and the paper's figures beside
// them as ratios to its own C row (its C ran on DPDK and a real 82599, ours over the same NIC model as our domains).
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RedLeaf.Benchmarks.Suites;
using static RedLeaf.Measure.Results.Markdown;

namespace RedLeaf.Benchmarks.Results;

public sealed partial class ResultsTable
{
    void Apps(StringBuilder sb, IReadOnlyList<JsonObject> runs)
    {
        // A suite's results file holds one mode's runs (ResultsStore.Save keeps the newest of the mode saved last).
        string mode = runs.All(r => r["quick"] is JsonValue q && q.GetValueKind() == JsonValueKind.True) ? "quick runs, about 1 s a row" : "full runs, 3 s a row";
        var names = RowNames(runs);
        var flows = runs.Select(r => Field(r["details"] as JsonObject, "flows") is double f ? Number(f) : "?").Distinct();
        sb.AppendLine().AppendLine($"Applications on the NIC model ({RunCount(runs)}, {mode}, {Dates(runs)}; generator unpaced; Maglev over {string.Join("/", flows)} flows; " +
            $"the sink checks every frame; {Settings(runs)}):").AppendLine();
        sb.AppendLine(Line($"row ({Commands(runs)})", "Mpps, per run", "of the C row, per run", "checks", "paper, of its C on DPDK"));
        sb.AppendLine(Rule(5));
        var maglev = _reference.Load("applications")?["maglev"]?["rows"] as JsonArray;
        double? Paper(string system) => maglev?.OfType<JsonObject>().FirstOrDefault(r => (string?)r["system"] == system) is { } r ? Field(r, "mpps") : null;
        string paperDriver = Paper("redleaf-driver") is double d && Paper("C on DPDK") is double c ? Ratio(d / c) : "";
        var kv = _reference.Load("applications")?["kv_store"];
        string paperKv = kv is null ? "" : $"{Ratio((double)kv["relative_to_c_on_dpdk_low"]!)}–{Ratio((double)kv["relative_to_c_on_dpdk_high"]!)}";
        foreach (string name in names.Where(n => !n.EndsWith("-crashing-b32", StringComparison.Ordinal)))
        {
            var parts = name.Split('-'); // maglev-<config>-b<n> or kv-<config>-<mix>-b<n>
            string config = parts[1];
            string paper = config == "c" ? "1 (its own row)" : parts[0] == "maglev" ? (config == "driver" ? paperDriver : "") : $"{paperKv} (its range)";
            sb.AppendLine(Line($"`{name}`", PerRun(runs.Select(r => Field(Row(r, name), "mpps"))),
                config == "c" ? "" : PerRun(runs.Select(r => Field(Row(r, name), "of_c")), Ratio), SinkChecks(runs, name), paper));
        }
        foreach (string name in names.Where(n => n.EndsWith("-crashing-b32", StringComparison.Ordinal)))
        {
            string Counts(params string[] fields) => string.Join("; ", runs.Select(r => string.Join(" / ", fields.Select(f => Count(Field(Row(r, name), f) ?? double.NaN)))));
            sb.AppendLine(Line($"`{name}` (crashes / lost / repeated at the clients, per run: {Counts("crashes", "lost", "repeated")}; " +
                    $"on the wire, lost / repeated frames / requests sent again: {Counts("wire_lost", "wire_repeated", "retransmitted")})",
                PerRun(runs.Select(r => Field(Row(r, name), "mpps"))), $"of no crash: {PerRun(runs.Select(r => Field(Row(r, name), "of_no_crash")), Ratio)}",
                "", "goal: 0 lost, 0 repeated"));
        }

        var pairs = new[] { ("maglev-domain-b32", "maglev-driver-b32"), ("kv-domain-get95-b32", "kv-driver-get95-b32") }
            .Where(p => names.Contains(p.Item1) && names.Contains(p.Item2)).ToList();
        if (pairs.Count > 0)
            sb.AppendLine().AppendLine("Domain over driver at batch 32, per run (the issue's target: at least 0.85): " + string.Join("; ", pairs.Select(p =>
                $"`{p.Item1}` / `{p.Item2}` {PerRun(runs.Select(r => Field(Row(r, p.Item1), "mpps") / Field(Row(r, p.Item2), "mpps")), Ratio)}")) + ".");
        if (maglev is not null)
            sb.AppendLine().AppendLine("The paper's Maglev (Mpps): " + string.Join(", ", maglev.OfType<JsonObject>().Select(r => $"{r["system"]} {Number(Field(r, "mpps") ?? double.NaN)}")) +
                "; its rv6 rows cross rv6's core and network stack, which ours do not, so they have no row here. The C rows here are C over this " +
                "device model (the nearest thing to the paper's C on DPDK, which drove a real 82599): `of the C row` compares like with like, " +
                "the paper's column is its own RedLeaf over its own C. Between runs the C rows alone move by up to a factor of two on this " +
                "shared machine (benchmarks/README.md, `apps`); the full runs time three times as many chunks a row.");
    }

    static string SinkChecks(IReadOnlyList<JsonObject> runs, string name)
    {
        var dirty = runs.Select((r, i) => (Clean: Row(r, name)?["sink_clean"] is JsonValue v && v.GetValueKind() == JsonValueKind.True, Run: i + 1))
            .Where(x => !x.Clean).Select(x => x.Run.ToString(CultureInfo.InvariantCulture)).ToList();
        return dirty.Count == 0 ? "sink clean" : $"sink NOT clean in run {string.Join(", ", dirty)}";
    }
}

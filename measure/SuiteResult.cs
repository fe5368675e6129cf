// measure: a suite's results with the clock and machine they were measured on, in the JSON
// shape every `./redleaf bench` suite shares: {"suite", "clock", "runtime", "machine", "details", "rows": [...]}.
// "cycles" in rows are TSC ticks (clock.hz per second), not core cycles: clock.core_cycles_per_tick says
// how the two relate on the machine that ran (measured, CoreClock), and rows carry nanoseconds beside.
using System.Text.Json;
using System.Text.Json.Nodes;
using RedLeaf.Hardware;

namespace RedLeaf.Measure;

public sealed class SuiteResult
{
    public SuiteResult(string suite, bool quick, IReadOnlyList<BenchRow> rows)
    {
        Suite = suite;
        Quick = quick;
        Rows = rows;
    }

    public string Suite { get; }
    public bool Quick { get; }
    public IReadOnlyList<BenchRow> Rows { get; }
    public ClockInfo Clock => Tsc.Info;
    public MachineDescription Machine => MachineDescription.Current;
    public DateTimeOffset Measured { get; } = DateTimeOffset.UtcNow;
    /// <summary>Suite-specific facts (what a baseline timed, the C compiler and flags, ...), as "details".</summary>
    public JsonObject Details { get; init; } = new();

    public BenchRow this[string name] => Rows.FirstOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"suite {Suite} has no row {name}");

    public JsonObject ToJson() => new()
    {
        ["suite"] = Suite,
        ["quick"] = Quick,
        ["measured_utc"] = Measured.ToString("O"),
        ["clock"] = new JsonObject
        {
            ["source"] = Clock.Source,
            ["hz"] = Math.Round(Clock.Hz),
            ["read_cost_cycles"] = Clock.ReadCostCycles,
            ["note"] = Clock.Note,
            ["units"] = "fields named *_cycles / cycles_per_op are TSC ticks at hz; *_ns are nanoseconds (ticks / hz)",
            ["core_cycles_per_tick"] = CoreClock.Optimised ? Math.Round(CoreClock.CyclesPerTick, 3) : null,
            ["core_hz"] = CoreClock.Optimised ? Math.Round(CoreClock.CoreHz) : null,
            ["core_cycles_method"] = CoreClock.Optimised ? CoreClock.Method : "not measured: a Debug build of RedLeaf.Measure (the chain needs optimised code)",
        },
        ["runtime"] = RuntimeSettings.Current.ToJson(),
        ["machine"] = Machine.ToJsonObject(),
        ["details"] = Details.DeepClone(),
        ["rows"] = new JsonArray(Rows.Select(r => (JsonNode)r.ToJson()).ToArray()),
    };

    public string ToJsonText() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>A fixed-width table for terminals and plain-text notebook output.</summary>
    public string ToTable()
    {
        string title = $"{Suite} ({Clock.Source}, {Clock.Hz / 1e9:F3} GHz{(Quick ? ", quick" : "")})";
        var fields = Rows.SelectMany(r => r.Fields.Select(f => f.Key)).Distinct().ToList();
        if (Rows.Any(r => r.Fields.Count != fields.Count)) // rows of different shapes: one line each
            return string.Join(Environment.NewLine, Rows.Select(r => $"{r.Name}: {string.Join(", ", r.Fields.Select(f => $"{f.Key}={Cell(f.Value)}"))}").Prepend(title));
        var header = new[] { "name" }.Concat(fields).ToList();
        var lines = Rows.Select(r => new[] { r.Name }.Concat(fields.Select(f => Cell(r.Fields.FirstOrDefault(x => x.Key == f).Value))).ToList()).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, lines.Count == 0 ? 0 : lines.Max(l => l[i].Length))).ToList();
        string Fmt(IList<string> cells) => string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
        return string.Join(Environment.NewLine, new[] { title, Fmt(header) }.Concat(lines.Select(Fmt)));
    }

    /// <summary>A field as a table shows it: series (arrays) by their length, not every value.</summary>
    private static string Cell(JsonNode? v) => v is JsonArray a ? $"[{a.Count} values]" : v?.ToJsonString() ?? "";
}

// measure/Results: formatting helpers for the generated tables: numbers at a readable precision
// (invariant culture, so a table does not change with the machine's locale) and table lines.
using System.Globalization;
using System.Text.Json.Nodes;

namespace RedLeaf.Measure.Results;

public static class Markdown
{
    /// <summary>One decimal below 100 (0 is "0"), whole numbers with thousands separators above.</summary>
    public static string Number(double v) =>
        Math.Abs(v) >= 100 ? v.ToString("#,0", CultureInfo.InvariantCulture)
        : v == 0 ? "0"
        : v.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>A numeric field of a JSON row, or null.</summary>
    public static double? Field(JsonObject? row, string field) =>
        row?[field] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : null;

    /// <summary>Values of one run each, "a, b, c"; a missing one shows as "–".</summary>
    public static string PerRun(IEnumerable<double?> values, Func<double, string>? format = null) =>
        string.Join(", ", values.Select(v => v is { } d ? (format ?? Number)(d) : "–"));

    /// <summary>The run-to-run spread, "min–max" of the values present ("a" when they are all equal or
    /// only one is there, "" when none is).</summary>
    public static string Spread(IEnumerable<double?> values, Func<double, string>? format = null)
    {
        var present = values.OfType<double>().ToList();
        if (present.Count == 0) return "";
        var f = format ?? Number;
        string lo = f(present.Min()), hi = f(present.Max());
        return lo == hi ? lo : $"{lo}–{hi}";
    }

    /// <summary>The median of the runs (the lower one of an even count) with their spread: "52.5 (50.1–55.0)";
    /// one run, or runs that agree at this precision, as the value alone.</summary>
    public static string MedianAndSpread(IEnumerable<double?> values, Func<double, string>? format = null)
    {
        var present = values.OfType<double>().Order().ToList();
        if (present.Count == 0) return "–";
        var f = format ?? Number;
        string median = f(present[(present.Count - 1) / 2]), spread = Spread(values, format);
        return spread == median ? median : $"{median} ({spread})";
    }

    public static string Line(params string[] cells) => "| " + string.Join(" | ", cells) + " |";

    public static string Rule(int columns) => "|" + string.Concat(Enumerable.Repeat("---|", columns));
}

// measure: one row of a suite's results: a stable name (scripts compare rows across runs by
// it) and its fields, in order. Per-call samples ride along for histograms but stay out of JSON.
using System.Text.Json.Nodes;
using RedLeaf.Hardware;

namespace RedLeaf.Measure;

public sealed class BenchRow
{
    public BenchRow(string name) => Name = name;

    public string Name { get; }
    public List<KeyValuePair<string, JsonNode?>> Fields { get; } = new();
    /// <summary>Per-operation cycle samples (timer cost subtracted), for histograms; may be empty.</summary>
    public double[] Samples { get; init; } = Array.Empty<double>();

    public BenchRow Set(string field, JsonNode? value)
    {
        Fields.RemoveAll(f => f.Key == field);
        Fields.Add(new(field, value));
        return this;
    }

    /// <summary>A numeric field as a double, whatever number type it was stored as.</summary>
    public double Number(string field)
    {
        var v = Fields.FirstOrDefault(f => f.Key == field).Value as JsonValue
            ?? throw new KeyNotFoundException($"row {Name} has no numeric field {field}");
        return double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Per-call cost of each timed batch (its mean), for histograms of operations cheaper than
    /// the timer's resolution (a ~20-cycle read cannot resolve a 12-cycle call alone); may be empty.</summary>
    public double[] BatchSamples { get; init; } = Array.Empty<double>();

    /// <summary>A row with the standard fields of a measurement: *_cycles are TSC ticks (not core
    /// cycles; the suite's clock says how they relate), median_ns the same median in nanoseconds, and
    /// how the sampler checked that it timed settled code (attempts, thirds_ratio).</summary>
    public static BenchRow FromMeasurement(string name, Measurement m) => new BenchRow(name) { Samples = m.PerCall, BatchSamples = m.BatchSamples }
        .Set("median_cycles", Round(m.Batch.Median))
        .Set("median_ns", Round(Nanoseconds(m.Batch.Median)))
        .Set("p90_cycles", Round(m.Batch.P90))
        .Set("p99_cycles", Round(m.Batch.P99))
        .Set("min_cycles", Round(m.Batch.Min))
        .Set("samples", m.Batch.Count)
        .Set("alloc_bytes_per_op", Round(m.AllocBytesPerOp))
        .Set("attempts", m.Attempts)
        .Set("thirds_ratio", Math.Round(m.ThirdsRatio, 3))
        .Set("settled", m.Settled);

    public static double Round(double v) => Math.Round(v, 2);

    /// <summary>TSC ticks as nanoseconds, at the clock's calibrated rate.</summary>
    public static double Nanoseconds(double ticks) => ticks / Tsc.Hz * 1e9;

    public JsonObject ToJson()
    {
        var o = new JsonObject { ["name"] = Name };
        foreach (var (k, v) in Fields) o[k] = v?.DeepClone();
        return o;
    }
}

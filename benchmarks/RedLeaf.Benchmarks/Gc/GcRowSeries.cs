// benchmarks/RedLeaf.Benchmarks/Gc: a `bench gc` row's series read back as numbers, for charts (the notebook
// 07-gc-cost.ipynb) and checks: the slowest batch of each window (`max_us`), batches per window, and the GC
// pauses that began in the window (`pauses`). The rows carry them as JSON arrays because each mode's row
// was measured in a child process and reached the parent as JSON.
using System.Text.Json.Nodes;
using RedLeaf.Measure;

namespace RedLeaf.Benchmarks.Gc;

/// <summary>A pause as a row lists it: when (ms from the window's start), how long (µs), which generation, what kind.</summary>
public sealed record PauseMark(double AtMs, double Microseconds, int Generation, string Kind)
{
    public bool ForGc => !Kind.StartsWith("not GC", StringComparison.Ordinal);
}

public static class GcRowSeries
{
    /// <summary>The slowest batch of each window, µs.</summary>
    public static double[] MaxMicroseconds(BenchRow row) => Array(row, "max_us").Select(v => (double)v!).ToArray();

    /// <summary>Batches completed in each window.</summary>
    public static int[] BatchesPerWindow(BenchRow row) => Array(row, "batches_per_window").Select(v => (int)v!).ToArray();

    /// <summary>Every stop-the-world suspension that began in the measured window (GC pauses, and the runtime's
    /// others, whose Kind starts "not GC").</summary>
    public static PauseMark[] Pauses(BenchRow row) => Array(row, "pauses")
        .Select(p => new PauseMark((double)p!["at_ms"]!, (double)p["us"]!, (int)p["gen"]!, (string)p["kind"]!)).ToArray();

    private static JsonArray Array(BenchRow row, string field) =>
        row.Fields.FirstOrDefault(f => f.Key == field).Value as JsonArray ?? throw new KeyNotFoundException($"row {row.Name} has no series {field}");
}

// measure: order statistics over cycle samples (median, tails, minimum), nearest-rank.
namespace RedLeaf.Measure;

public readonly record struct Stats(double Median, double P90, double P99, double Min, double Max, int Count)
{
    public static Stats Of(ReadOnlySpan<double> samples)
    {
        if (samples.IsEmpty) throw new ArgumentException("no samples", nameof(samples));
        var sorted = samples.ToArray();
        Array.Sort(sorted);
        return new Stats(Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[0], sorted[^1], sorted.Length);
    }

    /// <summary>Nearest-rank percentile of sorted data.</summary>
    public static double Rank(double[] sorted, double q)
    {
        int i = (int)Math.Ceiling(q * sorted.Length) - 1;
        return sorted[Math.Clamp(i, 0, sorted.Length - 1)];
    }
}

// kernel-ext/RedLeaf.Notebook/Charts: what one kind of operation cost, call by call, in TSC cycles
// (the timer's own calibrated cost already subtracted), with its order statistics. Shown as a
// histogram with the median and tail percentiles marked (a CycleHistogram of one series, page and PNG).
using RedLeaf.Measure;
using RedLeaf.Notebook.Html;

namespace RedLeaf.Notebook.Charts;

public sealed class CycleSamples : IPngView
{
    private Lazy<CycleHistogram>? _histogram;

    public CycleSamples(string label, double[] cycles)
    {
        if (cycles.Length == 0) throw new ArgumentException($"'{label}': no samples", nameof(cycles));
        Label = label;
        Cycles = cycles;
        Stats = Stats.Of(cycles);
    }

    public string Label { get; }
    /// <summary>One sample per call: cycles, timer cost subtracted.</summary>
    public double[] Cycles { get; }
    public Stats Stats { get; }
    public double Median => Stats.Median;
    public double P90 => Stats.P90;
    public double P99 => Stats.P99;
    public double Min => Stats.Min;

    /// <summary>The per-call samples of a benchmark row (each call timed alone).</summary>
    public static CycleSamples Of(BenchRow row) => new(row.Name, row.Samples);

    /// <summary>The batch samples of a benchmark row: each the mean cost of one batch of calls. Use these
    /// for calls cheaper than the timer can resolve one at a time.</summary>
    public static CycleSamples OfBatches(BenchRow row) => new(row.Name, row.BatchSamples);

    /// <summary>Why these numbers may not mean what they seem (set by Measure when a domain crashed meanwhile).</summary>
    public string? Warning { get; init; }

    /// <summary>The histogram these samples are shown as (one series).</summary>
    private CycleHistogram Histogram => LazyInitializer.EnsureInitialized(ref _histogram, () => new(() => new CycleHistogram(new[] { this }, Label))).Value;

    public int Width => Histogram.Width;
    public int Height => Histogram.Height;

    public string ToHtml() =>
        (Warning is null ? "" : $"<div class=\"redleaf warning\" style=\"color:#b71c1c\">warning: {Html.Markup.Escape(Warning)}</div>")
        + Histogram.ToHtml();

    public byte[] ToPng() => Histogram.ToPng();

    public override string ToString() =>
        $"{Label}: median {Median:F1}, p90 {P90:F1}, p99 {P99:F1}, min {Min:F1} cycles ({Cycles.Length} calls)"
        + (Warning is null ? "" : $"{Environment.NewLine}warning: {Warning}");
}

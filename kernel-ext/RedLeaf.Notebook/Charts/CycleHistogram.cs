// kernel-ext/RedLeaf.Notebook/Charts: cycle histograms with Plotly.NET: one bar series per kind of
// call, binned here (so the chart holds counts, not every sample), with the median, p90 and p99 of
// each drawn as vertical lines. The far tail (timer interrupts, migrations) is cut from the axis a
// quarter beyond the largest 99th percentile and counted in the title. Rendered offline (see PlotlyPage).
using System.Globalization;
using Plotly.NET;
using Plotly.NET.CSharp;
using RedLeaf.Notebook.Html;
using Chart = Plotly.NET.CSharp.Chart;

namespace RedLeaf.Notebook.Charts;

public sealed class CycleHistogram : IRichView
{
    public CycleHistogram(IReadOnlyList<CycleSamples> series, string title = "Cycles per call", int bins = 60)
    {
        if (series.Count == 0) throw new ArgumentException("a histogram needs at least one series", nameof(series));
        Series = series;
        Title = title;
        Bins = bins;
    }

    public IReadOnlyList<CycleSamples> Series { get; }
    public string Title { get; }
    public int Bins { get; }

    /// <summary>Bin edges shared by all series: from the smallest sample to a quarter beyond the largest
    /// 99th percentile (rarer outliers, such as timer interrupts, are counted, not drawn).</summary>
    public (double Low, double Width, int Hidden) Range()
    {
        double low = Series.Min(s => s.Min);
        double high = Math.Max(Series.Max(s => s.P99) * 1.25, low + 1);
        double width = Math.Max((high - low) / Bins, 0.5);
        int hidden = Series.Sum(s => s.Cycles.Count(c => c >= low + width * Bins));
        return (low, width, hidden);
    }

    /// <summary>Counts per bin for one series (same edges as <see cref="Range"/>).</summary>
    public int[] Counts(CycleSamples s)
    {
        var (low, width, _) = Range();
        var counts = new int[Bins];
        foreach (var c in s.Cycles)
        {
            int i = (int)((c - low) / width);
            if (i >= 0 && i < Bins) counts[i]++;
        }
        return counts;
    }

    public GenericChart ToChart()
    {
        var (low, width, hidden) = Range();
        var centers = Enumerable.Range(0, Bins).Select(i => low + (i + 0.5) * width).ToArray();
        var charts = new List<GenericChart>();
        int top = 1;
        foreach (var s in Series)
        {
            var counts = Counts(s);
            top = Math.Max(top, counts.Max());
            charts.Add(Chart.Column<int, double, string>(values: counts, Keys: centers, Name: s.Label));
        }
        foreach (var s in Series)
            foreach (var (name, v, dash) in new[] { ("median", s.Median, StyleParam.DrawingStyle.Solid), ("p90", s.P90, StyleParam.DrawingStyle.Dash), ("p99", s.P99, StyleParam.DrawingStyle.Dot) })
                charts.Add(Chart.Line<double, int, string>(x: new[] { v, v }, y: new[] { 0, top }, Name: $"{s.Label} {name} {v.ToString("F1", CultureInfo.InvariantCulture)}",
                    LineDash: dash));
        return Chart.Combine(charts)
            .WithXAxisStyle<double, double, string>(TitleText: "cycles (TSC, timer cost subtracted)")
            .WithYAxisStyle<double, double, string>(TitleText: "calls")
            .WithSize(820, 420);
    }

    /// <summary>The title with a note of the samples cut from the axis, if any.</summary>
    public string Caption
    {
        get
        {
            var (low, width, hidden) = Range();
            return hidden > 0 ? $"{Title} ({hidden} samples above {(low + width * Bins).ToString("F0", CultureInfo.InvariantCulture)} cycles not shown)" : Title;
        }
    }

    public string ToHtml() => PlotlyPage.ScriptOnce() + Html.Markup.Block("cycle-histogram", Caption, ChartHtml.Contain(GenericChart.toChartHTML(ToChart())));

    public override string ToString() => $"{Title}:" + Environment.NewLine + string.Join(Environment.NewLine, Series.Select(s => "  " + s));
}

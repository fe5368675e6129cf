// kernel-ext/RedLeaf.Notebook/Charts: cycle histograms: one bar series per kind of call, binned here (so
// the chart holds counts, not every sample), the median (solid) and p99 (dotted) of each drawn as
// vertical lines in the series' own colour. The legend names the series only; every statistic is in
// the hover text, in TSC ticks and nanoseconds. On the default linear scale the far tail (timer
// interrupts, migrations) is cut from the axis a quarter beyond the largest 99th percentile and counted
// under the title; logScale: true bins on a log scale from the smallest sample to the largest and puts
// the counts on a log axis too, so a long tail is drawn whole and its rare samples stay visible.
// Drawn by plotly.js on the page and as a PNG (PngChart), from the same figure (ChartStyle).
using System.Globalization;
using System.Text.Json.Nodes;
using RedLeaf.Measure;
using RedLeaf.Notebook.Html;

namespace RedLeaf.Notebook.Charts;

public sealed class CycleHistogram : IPngView
{
    private readonly Lazy<PlotlyFigure> _figure;

    public CycleHistogram(IReadOnlyList<CycleSamples> series, string title = "Cycles per call", int bins = 60, bool logScale = false)
    {
        if (series.Count == 0) throw new ArgumentException("a histogram needs at least one series", nameof(series));
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "a histogram needs at least one bin");
        Series = series;
        Title = title;
        Bins = bins;
        LogScale = logScale;
        _figure = new(() => Figure(statLines: true, hint: true));
    }

    public IReadOnlyList<CycleSamples> Series { get; }
    public string Title { get; }
    public int Bins { get; }
    /// <summary>Log-spaced bins over every sample, counts on a log axis (for long tails).</summary>
    public bool LogScale { get; }
    public int Width => _figure.Value.Width;
    public int Height => _figure.Value.Height;

    /// <summary>Bin edges shared by all series. Linear: from the smallest sample to a quarter beyond the
    /// largest 99th percentile in steps of Width (rarer outliers, such as timer interrupts, are counted in
    /// Hidden, not drawn). Log scale: from the smallest positive sample (at least 1 tick) to the largest,
    /// Width being the step in log10; nothing is hidden (smaller samples fall in the first bin).</summary>
    public (double Low, double Width, int Hidden) Range()
    {
        if (LogScale)
        {
            double lo = Math.Max(1, Series.SelectMany(s => s.Cycles).Where(c => c > 0).DefaultIfEmpty(1).Min());
            double hi = Math.Max(Series.Max(s => s.Stats.Max), lo * 1.01);
            return (lo, (Math.Log10(hi) - Math.Log10(lo)) / Bins, 0);
        }
        double low = Series.Min(s => s.Min);
        double high = Math.Max(Series.Max(s => s.P99) * 1.25, low + 1);
        double width = Math.Max((high - low) / Bins, 0.5);
        int hidden = Series.Sum(s => s.Cycles.Count(c => c >= low + width * Bins));
        return (low, width, hidden);
    }

    /// <summary>The Bins + 1 bin edges, in ticks.</summary>
    public double[] Edges()
    {
        var (low, width, _) = Range();
        return Enumerable.Range(0, Bins + 1).Select(i => LogScale ? low * Math.Pow(10, i * width) : low + i * width).ToArray();
    }

    /// <summary>Counts per bin for one series (same edges as <see cref="Edges"/>).</summary>
    public int[] Counts(CycleSamples s)
    {
        var edges = Edges();
        var counts = new int[Bins];
        foreach (var c in s.Cycles)
        {
            if (c >= edges[^1]) { if (LogScale) counts[^1]++; continue; }
            int i = Array.BinarySearch(edges, c);
            i = i >= 0 ? i : ~i - 1;
            counts[Math.Clamp(i, 0, Bins - 1)]++;
        }
        return counts;
    }

    /// <summary>The figure both renderings draw; <paramref name="statLines"/> adds the median and p99 lines.</summary>
    internal PlotlyFigure Figure(bool statLines, bool hint)
    {
        var edges = Edges();
        var data = new JsonArray();
        var tops = new List<int>();
        for (int k = 0; k < Series.Count; k++)
        {
            var s = Series[k];
            string color = ChartStyle.Palette[k % ChartStyle.Palette.Count];
            var counts = Counts(s);
            tops.Add(counts.Max());
            string stats = $"median {Ticks(s.Median)} · p90 {Ticks(s.P90)} · p99 {Ticks(s.P99)} · {s.Cycles.Length:N0} calls";
            data.Add(new JsonObject
            {
                ["type"] = "bar",
                ["name"] = s.Label,
                ["legendgroup"] = s.Label,
                ["x"] = Numbers(Enumerable.Range(0, Bins).Select(i => (edges[i] + edges[i + 1]) / 2)),
                ["y"] = Numbers(counts.Select(c => (double)c)),
                ["width"] = Numbers(Enumerable.Range(0, Bins).Select(i => edges[i + 1] - edges[i])),
                ["opacity"] = Series.Count > 1 ? 0.6 : 0.85,
                ["marker"] = new JsonObject { ["color"] = color, ["line"] = new JsonObject { ["width"] = 0 } },
                // One template per series (not a text per bin): the bin's centre and count, then the series' statistics.
                ["hovertemplate"] = $"{Escape(s.Label)}<br>around %{{x:,.1f}} ticks: %{{y:,}} calls<br>{stats}<extra></extra>",
            });
        }
        int top = Math.Max(1, tops.Max());
        if (statLines)
            for (int k = 0; k < Series.Count; k++)
            {
                var s = Series[k];
                foreach (var (name, value, dash) in new[] { ("median", s.Median, "solid"), ("p99", s.P99, "dot") })
                {
                    if (LogScale && value <= 0) continue;
                    data.Add(new JsonObject
                    {
                        ["type"] = "scatter",
                        ["mode"] = "lines",
                        ["name"] = $"{s.Label} {name}",
                        ["legendgroup"] = s.Label,
                        ["showlegend"] = false,
                        ["x"] = Numbers(new[] { value, value }),
                        ["y"] = Numbers(new[] { LogScale ? 0.7 : 0, top * (LogScale ? 1.5 : 1.05) }),
                        ["line"] = new JsonObject { ["color"] = ChartStyle.Palette[k % ChartStyle.Palette.Count], ["dash"] = dash, ["width"] = 2 },
                        ["hoverinfo"] = "text",
                        ["hovertext"] = $"{s.Label}: {name} {Ticks(value)}",
                    });
                }
            }
        var layout = new JsonObject
        {
            ["barmode"] = "overlay",
            ["bargap"] = 0,
            ["xaxis"] = new JsonObject { ["title"] = $"TSC ticks per call, timer cost subtracted (1 tick = {BenchRow.Nanoseconds(1).ToString("0.###", CultureInfo.InvariantCulture)} ns)" },
            ["yaxis"] = new JsonObject { ["title"] = LogScale ? "calls (log scale)" : "calls" },
        };
        // The x range is the bins' (empty bins at the ends included), in both renderings alike.
        layout["xaxis"]!["range"] = LogScale ? Numbers(new[] { Math.Log10(edges[0]), Math.Log10(edges[^1]) }) : Numbers(new[] { edges[0], edges[^1] });
        if (LogScale)
        {
            layout["xaxis"]!["type"] = "log";
            layout["yaxis"]!["type"] = "log";
        }
        var figure = new PlotlyFigure(data, layout);
        ChartStyle.Apply(figure, Title, hint ? Note : Hidden);
        return figure;
    }

    /// <summary>How many samples the linear axis leaves out, if any, and how to see them.</summary>
    public string? Note => Hidden is { } h ? h + " (logScale: true draws the whole tail)" : null;

    /// <summary>How many samples the linear axis leaves out, if any.</summary>
    internal string? Hidden
    {
        get
        {
            var (low, width, hidden) = Range();
            return hidden > 0 ? $"{hidden:N0} sample{(hidden == 1 ? "" : "s")} above {Num(low + width * Bins)} ticks not drawn" : null;
        }
    }

    /// <summary>The title with a note of the samples cut from the axis, if any.</summary>
    public string Caption => Note is { } n ? $"{Title} ({n})" : Title;

    public string ToHtml() => PlotlyPage.ScriptOnce() + _figure.Value.ToHtml("cycle-histogram", ToPng());

    public byte[] ToPng() => _png ??= PngChart.Render(_figure.Value);

    private byte[]? _png; // drawn once: the image/png output and the picture inside the HTML

    public override string ToString() => $"{Caption}:" + Environment.NewLine + string.Join(Environment.NewLine, Series.Select(s => "  " + s));

    private static string Ticks(double ticks) => $"{Num(ticks)} ticks ({Num(BenchRow.Nanoseconds(ticks))} ns)";

    /// <summary>A label inside plotly's hover template: its markup and template characters made literal.</summary>
    private static string Escape(string text) => ChartStyle.Escape(text).Replace("%{", "%\u200b{", StringComparison.Ordinal);

    private static string Num(double v) => v.ToString(Math.Abs(v) >= 100 ? "N0" : "0.#", CultureInfo.InvariantCulture);

    private static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode)JsonValue.Create(Math.Round(v, 4))).ToArray());
}

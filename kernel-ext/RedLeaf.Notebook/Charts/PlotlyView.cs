// kernel-ext/RedLeaf.Notebook/Charts: any Plotly.NET chart, shown offline and in the house style: its
// figure JSON is restyled (ChartStyle: full width, title inside, legend below, palette colours given
// to every trace) and drawn by the page's one copy of plotly.js (PlotlyPage) and as a PNG (PngChart).
// The notebooks' own charts (recovery's time series, Figure 5, the driver bars, gc-cost) come this way.
// Its text names the series and their ranges, so a plain-text output still says what was drawn.
using System.Globalization;
using Plotly.NET;
using RedLeaf.Notebook.Html;

namespace RedLeaf.Notebook.Charts;

public sealed class PlotlyView : IPngView
{
    private readonly Lazy<PlotlyFigure> _figure;

    public PlotlyView(GenericChart chart, string title)
    {
        Chart = chart;
        Title = title;
        _figure = new(() =>
        {
            var f = PlotlyFigure.Of(chart);
            ChartStyle.Apply(f, title);
            return f;
        });
    }

    public GenericChart Chart { get; }
    public string Title { get; }
    /// <summary>The chart's nominal size (from WithSize, else ChartStyle's); on a page it takes the column's width.</summary>
    public int Width => _figure.Value.Width;
    public int Height => _figure.Value.Height;

    public string ToHtml() => PlotlyPage.ScriptOnce() + _figure.Value.ToHtml("plotly-chart", ToPng());

    public byte[] ToPng() => _png ??= PngChart.Render(_figure.Value);

    private byte[]? _png; // drawn once: the image/png output and the picture inside the HTML

    public override string ToString()
    {
        var f = _figure.Value;
        string y = f.AxisTitle("yaxis") is { } t ? " " + t : "";
        var lines = f.Series().Where(s => s.InLegend).Select(s =>
        {
            var ys = s.Y.Where(double.IsFinite).ToArray();
            string what = s.Kind switch { SeriesKind.Bars => "bars", SeriesKind.Markers => "points", SeriesKind.Other => s.Type, _ => "points on a line" };
            return ys.Length == 0 ? $"  {s.Name}: no values" : $"  {s.Name}: {ys.Length} {what},{y} {N(ys.Min())} to {N(ys.Max())}";
        });
        return $"{Title} (a chart; its page and the notebook show it drawn):" + Environment.NewLine + string.Join(Environment.NewLine, lines);
    }

    private static string N(double v) => v.ToString(Math.Abs(v) >= 100 ? "N0" : "0.###", CultureInfo.InvariantCulture);
}

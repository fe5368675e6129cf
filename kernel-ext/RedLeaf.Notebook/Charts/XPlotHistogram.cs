// kernel-ext/RedLeaf.Notebook/Charts: the same cycle samples drawn with XPlot.Plotly, the second
// renderer. XPlot's inline HTML expects a global Plotly: it gets Plotly.NET's copy (PlotlyPage), so
// this works offline too.
using RedLeaf.Notebook.Html;
using XPlot.Plotly;

namespace RedLeaf.Notebook.Charts;

public sealed class XPlotHistogram : IRichView
{
    public XPlotHistogram(IReadOnlyList<CycleSamples> series, string title = "Cycles per call (XPlot.Plotly)")
    {
        Series = series;
        Title = title;
    }

    public IReadOnlyList<CycleSamples> Series { get; }
    public string Title { get; }

    public PlotlyChart ToChart()
    {
        var traces = Series.Select(s =>
        {
            var sorted = s.Cycles.ToArray();
            Array.Sort(sorted);
            double cut = RedLeaf.Measure.Stats.Rank(sorted, 0.999);
            return (Trace)new Histogram { x = s.Cycles.Where(c => c <= cut).ToArray(), name = s.Label, opacity = 0.7 };
        });
        var chart = XPlot.Plotly.Chart.Plot(traces);
        chart.WithLayout(new Layout.Layout { title = Title, barmode = "overlay", xaxis = new Xaxis { title = "cycles" }, yaxis = new Yaxis { title = "calls" } });
        chart.Width = 820;
        chart.Height = 420;
        return chart;
    }

    public string ToHtml() => PlotlyPage.ScriptOnce() + "<div class=\"redleaf xplot-histogram\">" + ChartHtml.Contain(ToChart().GetInlineHtml()) + "</div>";

    public override string ToString() => $"{Title}:" + Environment.NewLine + string.Join(Environment.NewLine, Series.Select(s => "  " + s));
}

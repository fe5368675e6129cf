// kernel-ext/RedLeaf.Notebook/Charts: the same cycle samples drawn with XPlot.Plotly, the second
// renderer. XPlot's inline HTML expects a global Plotly: it gets Plotly.NET's copy (PlotlyPage), so
// this works offline too. It bins as CycleHistogram does (the same edges, given to plotly as xbins) and
// takes the house style (full width, legend below, palette colours, axis titles with units), so its PNG
// (CycleHistogram's bars without the statistic lines, PngChart) shows the very bars plotly draws.
using System.Text.RegularExpressions;
using RedLeaf.Notebook.Html;
using XPlot.Plotly;

namespace RedLeaf.Notebook.Charts;

public sealed class XPlotHistogram : IPngView
{
    private readonly CycleHistogram _bins;
    private readonly Lazy<PlotlyFigure> _figure;

    public XPlotHistogram(IReadOnlyList<CycleSamples> series, string title = "Cycles per call (XPlot.Plotly)")
    {
        Series = series;
        Title = title;
        _bins = new CycleHistogram(series, title);
        _figure = new(() => _bins.Figure(statLines: false, hint: false));
    }

    public IReadOnlyList<CycleSamples> Series { get; }
    public string Title { get; }
    public int Width => _figure.Value.Width;
    public int Height => _figure.Value.Height;

    public PlotlyChart ToChart()
    {
        var figure = _figure.Value;
        var frame = ChartStyle.Measure(figure, figure.Series());
        var (low, width, _) = _bins.Range();
        var traces = Series.Select((s, k) => (Trace)new Histogram
        {
            x = s.Cycles,
            name = s.Label,
            opacity = Series.Count > 1 ? 0.6 : 0.85,
            xbins = new Xbins { start = low, end = low + width * _bins.Bins, size = width },
            marker = new Marker { color = ChartStyle.Palette[k % ChartStyle.Palette.Count] },
        });
        var chart = XPlot.Plotly.Chart.Plot(traces);
        chart.WithLayout(new Layout.Layout
        {
            title = ChartStyle.Escape(Title) + (_bins.Hidden is { } n ? $"<br><span style=\"font-size:{ChartStyle.NoteSize}px\">{ChartStyle.Escape(n)}</span>" : ""),
            titlefont = new Font { size = ChartStyle.TitleSize },
            barmode = "overlay",
            bargap = 0,
            showlegend = frame.LegendRows.Count > 0,
            font = new Font { family = ChartFont.Family + ", Verdana, Arial, sans-serif", size = 12 },
            margin = new Margin { l = frame.Left, r = frame.Right, t = frame.Top, b = frame.Bottom, pad = 0 },
            legend = new Legend { orientation = "h", x = 0, y = -(frame.XBand + 8) / (figure.Height - frame.Top - frame.Bottom), yanchor = "top" },
            xaxis = new Xaxis
            {
                title = figure.AxisTitle("xaxis"),
                range = new[] { low, low + width * _bins.Bins },
                gridcolor = ChartStyle.Grid,
                showline = true,
                linecolor = ChartStyle.AxisLine,
                ticks = "outside",
                zeroline = false,
                titlefont = new Font { size = ChartStyle.AxisTitleSize },
                tickfont = new Font { size = ChartStyle.TickSize }
            },
            yaxis = new Yaxis
            {
                title = figure.AxisTitle("yaxis"),
                gridcolor = ChartStyle.Grid,
                showline = true,
                linecolor = ChartStyle.AxisLine,
                ticks = "outside",
                zeroline = false,
                titlefont = new Font { size = ChartStyle.AxisTitleSize },
                tickfont = new Font { size = ChartStyle.TickSize }
            },
        });
        chart.Width = figure.Width;
        chart.Height = figure.Height;
        return chart;
    }

    /// <summary>XPlot writes a fixed-width &lt;div&gt;; the house style is the column's full width.</summary>
    public string ToHtml() => PlotlyPage.ScriptOnce() + "<div class=\"redleaf xplot-histogram\" style=\"width:100%\">" +
        ChartHtml.Contain(FixedWidth.Replace(ToChart().GetInlineHtml(), "width: 100%;", 1)) + "</div>";

    public byte[] ToPng() => PngChart.Render(_figure.Value);

    public override string ToString() => $"{Title}:" + Environment.NewLine + string.Join(Environment.NewLine, Series.Select(s => "  " + s));

    private static readonly Regex FixedWidth = new("width:\\s*\\d+px;");
}

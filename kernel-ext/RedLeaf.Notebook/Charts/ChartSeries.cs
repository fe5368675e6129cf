// kernel-ext/RedLeaf.Notebook/Charts: one trace of a figure as the static renderer (PngChart) reads it
// from plotly's JSON: bars, lines or markers, its points (numbers, or categories on the x axis), its
// colour (always explicit: ChartStyle gives every trace one, so the page and the PNG agree), dash and
// whether the legend lists it, and bar widths when the trace gives them (a histogram's bins). A trace of another type (a pie, a heat map) is kept as Other: the
// PNG names it as not drawn.
namespace RedLeaf.Notebook.Charts;

internal enum SeriesKind { Bars, Lines, Markers, LinesAndMarkers, Other }

internal sealed record ChartSeries(string Type, SeriesKind Kind, string Name, bool InLegend, double[] X, string[]? Categories, double[] Y,
    string Color, string Dash, double Opacity, double[]? Widths = null)
{
    public bool DrawsLine => Kind is SeriesKind.Lines or SeriesKind.LinesAndMarkers;
    public bool DrawsMarkers => Kind is SeriesKind.Markers or SeriesKind.LinesAndMarkers;
}

// kernel-ext/RedLeaf.Notebook/Charts: any Plotly.NET chart, shown offline: the page's one copy of
// plotly.js (PlotlyPage), then the chart. For notebooks that draw their own charts.
using Plotly.NET;
using RedLeaf.Notebook.Html;

namespace RedLeaf.Notebook.Charts;

public sealed class PlotlyView : IRichView
{
    public PlotlyView(GenericChart chart, string title)
    {
        Chart = chart;
        Title = title;
    }

    public GenericChart Chart { get; }
    public string Title { get; }

    public string ToHtml() => PlotlyPage.ScriptOnce() + Markup.Block("plotly-chart", Title, ChartHtml.Contain(GenericChart.toChartHTML(Chart)));

    public override string ToString() => $"{Title} (a Plotly chart; open the notebook or its HTML page to see it)";
}

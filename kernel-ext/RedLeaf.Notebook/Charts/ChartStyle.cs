// kernel-ext/RedLeaf.Notebook/Charts: the one style of every chart the notebooks draw (cycle histograms,
// recovery's time series, Figure 5's lines, the driver bars, gc-cost's timelines), applied to plotly's
// JSON so the page and the PNG agree: full width of the output column (the nominal size is the PNG's),
// the title inside the figure with a small top margin, the legend in rows below the plot listing short
// series names (statistics go in hover text), every trace given its colour explicitly from one palette
// (plotly's own ten), DejaVu Sans in both renderings, light grid, axis lines with outside ticks.
// Margins are computed here from the measured tick labels and legend rows, and both renderers use them.
using System.Text.Json.Nodes;

namespace RedLeaf.Notebook.Charts;

public static class ChartStyle
{
    /// <summary>The nominal size of a chart (the PNG's; on a page the width follows the output column).</summary>
    public const int Width = 960, Height = 420;

    /// <summary>Series colours, in order (plotly's default ten, so colours match what readers know).</summary>
    public static IReadOnlyList<string> Palette { get; } = new[]
    {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    };

    internal const float TitleSize = 15, NoteSize = 11, TickSize = 11, AxisTitleSize = 12, LegendSize = 12;
    internal const float LegendRow = 20, LegendSwatch = 30, LegendGap = 6, LegendSpacing = 22;
    internal const string Ink = "#2a2a2a", Grid = "#e8e8e8", AxisLine = "#888888", Muted = "#666666";

    /// <summary>Where the plot sits inside the figure, and the legend's rows below it (x offsets from the plot's left).</summary>
    internal sealed record Frame(float Left, float Right, float Top, float Bottom, float XBand, IReadOnlyList<IReadOnlyList<(ChartSeries Series, float X)>> LegendRows);

    /// <summary>Gives <paramref name="f"/> the house style and the title (with an optional note under it).</summary>
    internal static void Apply(PlotlyFigure f, string title, string? note = null)
    {
        var layout = f.Layout;
        layout.Remove("template");
        layout.Remove("width");
        layout["height"] = f.Height;
        layout["autosize"] = true;
        for (int i = 0; i < f.Data.Count; i++) Colour(f.Data[i]!.AsObject(), Palette[i % Palette.Count]);
        layout["font"] = new JsonObject { ["family"] = ChartFont.Family + ", Verdana, Arial, sans-serif", ["size"] = 12, ["color"] = Ink };
        layout["paper_bgcolor"] = "#ffffff";
        layout["plot_bgcolor"] = "#ffffff";
        layout["hovermode"] = "closest";
        layout["hoverlabel"] = new JsonObject { ["align"] = "left" };
        foreach (var axis in new[] { "xaxis", "yaxis" })
        {
            var a = layout[axis] as JsonObject ?? new JsonObject();
            layout[axis] = a;
            a["gridcolor"] = Grid;
            a["linecolor"] = AxisLine;
            a["showline"] = true;
            a["ticks"] = "outside";
            a["tickcolor"] = AxisLine;
            a["ticklen"] = 4;
            a["zeroline"] = false;
            a["tickfont"] = new JsonObject { ["size"] = TickSize };
            if (f.AxisTitle(axis) is { } t) a["title"] = new JsonObject { ["text"] = Escape(t), ["font"] = new JsonObject { ["size"] = AxisTitleSize } };
        }
        var series = f.Series();
        if (series.Any(s => s.Categories is not null)) ((JsonObject)layout["xaxis"]!)["type"] = "category";
        f.Title = title;
        f.Note = note;
        var frame = Measure(f, series);
        layout["title"] = new JsonObject
        {
            ["text"] = Escape(title) + (note is null ? "" : $"<br><span style=\"font-size:{NoteSize}px;color:{Muted}\">{Escape(note)}</span>"),
            ["x"] = 0,
            ["xref"] = "paper",
            ["xanchor"] = "left",
            ["font"] = new JsonObject { ["size"] = TitleSize },
        };
        layout["margin"] = new JsonObject { ["l"] = frame.Left, ["r"] = frame.Right, ["t"] = frame.Top, ["b"] = frame.Bottom, ["pad"] = 0 };
        bool legend = frame.LegendRows.Count > 0;
        layout["showlegend"] = legend;
        float plotHeight = f.Height - frame.Top - frame.Bottom;
        layout["legend"] = new JsonObject
        {
            ["orientation"] = "h",
            ["x"] = 0,
            ["xanchor"] = "left",
            ["y"] = -(frame.XBand + 8) / plotHeight,
            ["yanchor"] = "top",
            ["font"] = new JsonObject { ["size"] = LegendSize },
            ["bgcolor"] = "rgba(255,255,255,0)",
        };
    }

    /// <summary>The frame of a styled figure: margins from its tick labels, axis titles and legend rows.</summary>
    internal static Frame Measure(PlotlyFigure f, IReadOnlyList<ChartSeries> series)
    {
        var (x, y) = f.Axes(series);
        float top = f.Title is null ? 16 : f.Note is null ? 44 : 60;
        float yTicks = y.Ticks(Math.Max(2, (f.Height - 160) / 40)).Select(t => ChartFont.Measure(t.Label, TickSize)).DefaultIfEmpty(20).Max();
        float left = 12 + yTicks + 10 + (f.AxisTitle("yaxis") is null ? 0 : AxisTitleSize + 12);
        float right = 24;
        float xBand = 8 + TickSize + 6 + (f.AxisTitle("xaxis") is null ? 0 : AxisTitleSize + 14);
        var entries = series.Where(s => s.InLegend).ToList();
        var rows = new List<IReadOnlyList<(ChartSeries, float)>>();
        if (entries.Count >= 2)
        {
            float room = f.Width - left - right;
            var row = new List<(ChartSeries, float)>();
            float at = 0;
            foreach (var s in entries)
            {
                float w = LegendSwatch + LegendGap + ChartFont.Measure(s.Name, LegendSize) + LegendSpacing;
                if (row.Count > 0 && at + w > room) { rows.Add(row); row = new(); at = 0; }
                row.Add((s, at));
                at += w;
            }
            rows.Add(row);
        }
        float bottom = xBand + (rows.Count == 0 ? 8 : 12 + rows.Count * LegendRow + 4);
        return new Frame(left, right, top, bottom, xBand, rows);
    }

    /// <summary>Gives a trace its palette colour unless it has its own.</summary>
    private static void Colour(JsonObject t, string fallback)
    {
        string type = t["type"]?.GetValue<string>() ?? "scatter";
        var marker = t["marker"] as JsonObject ?? new JsonObject();
        t["marker"] = marker;
        string? own = marker["color"] is JsonValue m && m.TryGetValue<string>(out var mc) ? mc
            : t["line"]?["color"] is JsonValue l && l.TryGetValue<string>(out var lc) ? lc : null;
        string color = own ?? fallback;
        if (marker["color"] is null) marker["color"] = color;
        if (type != "bar")
        {
            var line = t["line"] as JsonObject ?? new JsonObject();
            t["line"] = line;
            line["color"] ??= color;
        }
    }

    /// <summary>Text for plotly's pseudo-HTML labels: its markup characters as entities (others, such as µ, as they are).</summary>
    internal static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}

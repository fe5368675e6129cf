// kernel-ext/RedLeaf.Notebook/Charts: a chart as plotly's own JSON (data, layout), the one source both
// renderings read: the page's <div> and script (plotly.js draws it) and the PNG (PngChart draws the
// same traces with SkiaSharp). Built from any Plotly.NET chart (its figure JSON) or by hand; ChartStyle
// then gives it the house style. System.Text.Json writes '<' as \u003C, so no label can end the script.
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace RedLeaf.Notebook.Charts;

internal sealed class PlotlyFigure
{
    public PlotlyFigure(JsonArray data, JsonObject layout)
    {
        Data = data;
        Layout = layout;
    }

    public JsonArray Data { get; }
    public JsonObject Layout { get; }
    /// <summary>The nominal size: the PNG's, and the page's height (the page's width follows its column).</summary>
    public int Width { get; set; } = ChartStyle.Width;
    public int Height { get; set; } = ChartStyle.Height;
    /// <summary>The title and the note under it, as ChartStyle set them (the PNG draws them too).</summary>
    public string? Title { get; set; }
    public string? Note { get; set; }

    public static PlotlyFigure Of(GenericChart chart)
    {
        var figure = JsonNode.Parse(GenericChart.toFigureJson(chart))!.AsObject();
        var f = new PlotlyFigure(figure["data"]?.AsArray() ?? new JsonArray(), figure["layout"]?.AsObject() ?? new JsonObject());
        // Plotly.NET writes 600 by 600 for a chart not given a size: that one means ours.
        double w = f.Layout["width"] is { } wn ? Number(wn) : 600, h = f.Layout["height"] is { } hn ? Number(hn) : 600;
        if (!(w == 600 && h == 600))
        {
            f.Width = double.IsFinite(w) && w >= 200 ? (int)w : ChartStyle.Width;
            f.Height = double.IsFinite(h) && h >= 150 ? (int)h : ChartStyle.Height;
        }
        return f;
    }

    /// <summary>The traces as the PNG renderer reads them.</summary>
    public IReadOnlyList<ChartSeries> Series()
    {
        var list = new List<ChartSeries>();
        for (int i = 0; i < Data.Count; i++)
        {
            var t = Data[i]!.AsObject();
            string type = t["type"]?.GetValue<string>() ?? "scatter";
            string mode = t["mode"]?.GetValue<string>() ?? "lines+markers";
            var kind = type switch
            {
                "bar" => SeriesKind.Bars,
                "scatter" or "scattergl" => mode.Contains("lines", StringComparison.Ordinal)
                    ? mode.Contains("markers", StringComparison.Ordinal) ? SeriesKind.LinesAndMarkers : SeriesKind.Lines
                    : SeriesKind.Markers,
                _ => SeriesKind.Other,
            };
            var yNode = t["y"] as JsonArray ?? new JsonArray();
            var y = yNode.Select(Number).ToArray();
            string[]? categories = null;
            double[] x;
            if (t["x"] is JsonArray xs && xs.Any(v => v is JsonValue jv && jv.TryGetValue<string>(out _)))
            {
                categories = xs.Select(v => v?.ToString() ?? "").ToArray();
                x = Array.Empty<double>();
            }
            else x = t["x"] is JsonArray xn ? xn.Select(Number).ToArray() : Enumerable.Range(0, y.Length).Select(k => (double)k).ToArray();
            string color = t["marker"]?["color"] is JsonValue mc && mc.TryGetValue<string>(out var m) ? m
                : t["line"]?["color"]?.GetValue<string>() ?? ChartStyle.Palette[i % ChartStyle.Palette.Count];
            if (kind != SeriesKind.Bars && t["line"]?["color"] is JsonValue lc && lc.TryGetValue<string>(out var l)) color = l;
            list.Add(new ChartSeries(type, kind, t["name"]?.GetValue<string>() ?? $"trace {i}", t["showlegend"]?.GetValue<bool>() ?? true,
                x, categories, y, color, t["line"]?["dash"]?.GetValue<string>() ?? "solid", t["opacity"] is { } op ? Number(op) : 1,
                t["width"] is JsonArray w ? w.Select(Number).ToArray() : t["width"] is JsonValue w1 ? Enumerable.Repeat(Number(w1), y.Length).ToArray() : null));
        }
        return list;
    }

    /// <summary>The x and y axes the traces and the layout call for.</summary>
    public (ChartAxis X, ChartAxis Y) Axes(IReadOnlyList<ChartSeries> series)
    {
        var drawn = series.Where(s => s.Kind != SeriesKind.Other).ToList();
        ChartAxis x;
        var categories = drawn.Where(s => s.Categories is not null).SelectMany(s => s.Categories!).Distinct().ToList();
        if (categories.Count > 0 && AxisType("xaxis") is null or "category") x = ChartAxis.ForCategories(categories);
        else
        {
            var xs = new List<double>();
            double slot = BarSlot(drawn);
            foreach (var s in drawn)
                for (int i = 0; i < s.X.Length; i++)
                {
                    double half = s.Kind != SeriesKind.Bars ? 0 : s.Widths is { } w && i < w.Length ? w[i] / 2 : slot / 2;
                    xs.Add(s.X[i] - half);
                    xs.Add(s.X[i] + half);
                }
            bool markersOnly = drawn.Count > 0 && drawn.All(s => s.Kind == SeriesKind.Markers);
            x = ChartAxis.ForValues(xs, AxisType("xaxis") == "log", false, markersOnly, Range("xaxis"));
        }
        bool bars = drawn.Any(s => s.Kind == SeriesKind.Bars);
        var y = ChartAxis.ForValues(drawn.SelectMany(s => s.Y), AxisType("yaxis") == "log", bars, !bars, Range("yaxis"));
        return (x, y);
    }

    /// <summary>The distance between neighbouring bars on a numeric x axis (plotly's default bar slot).</summary>
    public static double BarSlot(IEnumerable<ChartSeries> series)
    {
        var xs = series.Where(s => s.Kind == SeriesKind.Bars).SelectMany(s => s.X).Where(double.IsFinite).Distinct().Order().ToArray();
        double slot = double.MaxValue;
        for (int i = 1; i < xs.Length; i++) slot = Math.Min(slot, xs[i] - xs[i - 1]);
        return slot == double.MaxValue ? 1 : slot;
    }

    public string? AxisType(string axis) => Layout[axis]?["type"]?.GetValue<string>();

    public string? AxisTitle(string axis) => Layout[axis]?["title"] switch
    {
        JsonValue v => WebUtility.HtmlDecode(v.ToString()),
        JsonObject o when o["text"] is JsonValue t => WebUtility.HtmlDecode(t.ToString()),
        _ => null,
    };

    private double[]? Range(string axis) => Layout[axis]?["range"] is JsonArray r && r.Count == 2 ? r.Select(Number).ToArray() : null;

    internal static double Number(JsonNode? n) => n is JsonValue v
        ? v.TryGetValue<double>(out var d) ? d : double.TryParse(v.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d) ? d : double.NaN
        : double.NaN;

    /// <summary>The chart for a page: a full-width &lt;div&gt; of the nominal height and the script that draws it.
    /// With <paramref name="picture"/> (the chart as a PNG), the &lt;div&gt; first holds that picture, and the script
    /// clears it before plotly.js draws: where scripts do not run (GitHub, nbviewer, an untrusted notebook, a
    /// sanitised page), which show a notebook's text/html output rather than its image/png, the picture stays.</summary>
    public string ToHtml(string cssClass, byte[]? picture = null)
    {
        string id = "redleaf-chart-" + Guid.NewGuid().ToString("N");
        var config = new JsonObject { ["responsive"] = true, ["displaylogo"] = false, ["modeBarButtonsToRemove"] = new JsonArray("lasso2d", "select2d") };
        string script = $"(function () {{ var d = document.getElementById('{id}'); if (!window.Plotly || !d) return; d.textContent = ''; " +
                        $"Plotly.newPlot(d, {Data.ToJsonString()}, {Layout.ToJsonString()}, {config.ToJsonString()}); }})();";
        string still = picture is null ? "" :
            $"<img class=\"redleaf-chart-picture\" alt=\"{System.Net.WebUtility.HtmlEncode(Title ?? "chart")} (a picture of the chart; it is drawn interactively where scripts run)\" " +
            $"style=\"max-width:100%;height:auto\" width=\"{Width}\" height=\"{Height}\" src=\"data:image/png;base64,{Convert.ToBase64String(picture)}\">";
        return $"<div class=\"redleaf {cssClass}\" style=\"width:100%;margin:4px 0\"><div id=\"{id}\" style=\"width:100%;min-height:{Height}px\">{still}</div>" +
               ChartHtml.Contain($"<script type=\"text/javascript\">{script}</script>") + "</div>";
    }
}

// kernel-ext/RedLeaf.Notebook/Charts: a styled figure (PlotlyFigure after ChartStyle) drawn as a PNG with
// SkiaSharp, so an executed notebook carries a picture beside plotly's HTML for every place scripts do
// not run (nbconvert's LaTeX/PDF, static viewers). It draws what the notebooks use: bars (grouped or
// overlaid, numeric or category x), lines with dashes and gaps, markers, linear and log axes, the
// title, axis titles, tick labels and the legend, at the figure's nominal size and with the frame
// ChartStyle computed, so it looks like the page. A trace of another type is named as not drawn.
using SkiaSharp;

namespace RedLeaf.Notebook.Charts;

internal static class PngChart
{
    public static byte[] Render(PlotlyFigure f)
    {
        var series = f.Series();
        var (xAxis, yAxis) = f.Axes(series);
        var frame = ChartStyle.Measure(f, series);
        using var surface = SKSurface.Create(new SKImageInfo(f.Width, f.Height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not make a {f.Width}x{f.Height} surface");
        var c = surface.Canvas;
        c.Clear(SKColors.White);
        var plot = new SKRect(frame.Left, frame.Top, f.Width - frame.Right, f.Height - frame.Bottom);
        var ink = Color(ChartStyle.Ink);

        Title(c, f, frame, plot);
        YAxis(c, f, yAxis, plot, ink);
        XAxis(c, f, xAxis, plot, frame, ink);

        c.Save();
        c.ClipRect(plot);
        Bars(c, f, series, xAxis, yAxis, plot);
        foreach (var s in series.Where(s => s.DrawsLine)) Line(c, s, xAxis, yAxis, plot);
        foreach (var s in series.Where(s => s.DrawsMarkers)) Markers(c, s, xAxis, yAxis, plot);
        c.Restore();

        using (var axis = new SKPaint { Color = Color(ChartStyle.AxisLine), StrokeWidth = 1, IsAntialias = false, Style = SKPaintStyle.Stroke })
        {
            c.DrawLine(plot.Left, plot.Bottom + 0.5f, plot.Right, plot.Bottom + 0.5f, axis);
            c.DrawLine(plot.Left - 0.5f, plot.Top, plot.Left - 0.5f, plot.Bottom, axis);
        }
        Legend(c, frame, plot, ink);
        var other = series.Where(s => s.Kind == SeriesKind.Other).Select(s => $"{s.Type} '{s.Name}'").Distinct().ToList();
        if (other.Count > 0)
            Text(c, "not drawn in this picture (open the notebook's page): " + string.Join(", ", other), plot.Left + 6, plot.Top + 14, ChartStyle.TickSize, Color(ChartStyle.Muted));

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void Title(SKCanvas c, PlotlyFigure f, ChartStyle.Frame frame, SKRect plot)
    {
        if (f.Title is null) return;
        float titleY = f.Note is null ? frame.Top / 2 + ChartStyle.TitleSize * 0.35f : frame.Top / 2 - 2;
        Text(c, f.Title, plot.Left, titleY, ChartStyle.TitleSize, Color(ChartStyle.Ink), maxWidth: f.Width - plot.Left - 8);
        if (f.Note is not null) Text(c, f.Note, plot.Left, titleY + ChartStyle.NoteSize + 6, ChartStyle.NoteSize, Color(ChartStyle.Muted), maxWidth: f.Width - plot.Left - 8);
    }

    private static void YAxis(SKCanvas c, PlotlyFigure f, ChartAxis y, SKRect plot, SKColor ink)
    {
        using var grid = new SKPaint { Color = Color(ChartStyle.Grid), StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var tick = new SKPaint { Color = Color(ChartStyle.AxisLine), StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        foreach (var (at, label) in y.Ticks(Math.Max(2, (int)(plot.Height / 40))))
        {
            float py = MathF.Round(y.ToPixel(at, plot.Bottom, plot.Top)) + 0.5f;
            c.DrawLine(plot.Left, py, plot.Right, py, grid);
            c.DrawLine(plot.Left - 4, py, plot.Left, py, tick);
            Text(c, label, plot.Left - 7, py + ChartStyle.TickSize * 0.35f, ChartStyle.TickSize, ink, SKTextAlign.Right);
        }
        if (f.AxisTitle("yaxis") is { } title)
        {
            c.Save();
            c.RotateDegrees(-90, 14, (plot.Top + plot.Bottom) / 2);
            Text(c, title, 14, (plot.Top + plot.Bottom) / 2 + ChartStyle.AxisTitleSize * 0.35f, ChartStyle.AxisTitleSize, ink, SKTextAlign.Center, maxWidth: plot.Height);
            c.Restore();
        }
    }

    private static void XAxis(SKCanvas c, PlotlyFigure f, ChartAxis x, SKRect plot, ChartStyle.Frame frame, SKColor ink)
    {
        using var grid = new SKPaint { Color = Color(ChartStyle.Grid), StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var tick = new SKPaint { Color = Color(ChartStyle.AxisLine), StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        var ticks = x.Ticks(Math.Max(2, (int)(plot.Width / 80)));
        float slot = ticks.Count > 1 ? Math.Abs(x.ToPixel(ticks[1].At, plot.Left, plot.Right) - x.ToPixel(ticks[0].At, plot.Left, plot.Right)) : plot.Width;
        foreach (var (at, label) in ticks)
        {
            float px = MathF.Round(x.ToPixel(at, plot.Left, plot.Right)) + 0.5f;
            if (x.Categories is null) c.DrawLine(px, plot.Top, px, plot.Bottom, grid);
            c.DrawLine(px, plot.Bottom, px, plot.Bottom + 4, tick);
            Text(c, label, px, plot.Bottom + 8 + ChartStyle.TickSize, ChartStyle.TickSize, ink, SKTextAlign.Center, maxWidth: slot - 4);
        }
        if (f.AxisTitle("xaxis") is { } title)
            Text(c, title, (plot.Left + plot.Right) / 2, plot.Bottom + frame.XBand - 4, ChartStyle.AxisTitleSize, ink, SKTextAlign.Center, maxWidth: plot.Width);
    }

    private static void Bars(SKCanvas c, PlotlyFigure f, IReadOnlyList<ChartSeries> series, ChartAxis x, ChartAxis y, SKRect plot)
    {
        var bars = series.Where(s => s.Kind == SeriesKind.Bars).ToList();
        if (bars.Count == 0) return;
        bool overlay = f.Layout["barmode"]?.GetValue<string>() is "overlay" or "stack" or "relative";
        double gap = f.Layout["bargap"] is { } g ? PlotlyFigure.Number(g) : 0.2;
        double slot = x.Categories is null ? PlotlyFigure.BarSlot(bars) : 1;
        double width = slot * (1 - gap) / (overlay ? 1 : bars.Count);
        float baseY = y.Log ? plot.Bottom : y.ToPixel(0, plot.Bottom, plot.Top);
        for (int b = 0; b < bars.Count; b++)
        {
            var s = bars[b];
            using var fill = new SKPaint { Color = Color(s.Color).WithAlpha((byte)(255 * s.Opacity)), Style = SKPaintStyle.Fill, IsAntialias = false };
            double offset = overlay ? -width / 2 : -slot * (1 - gap) / 2 + b * width;
            for (int i = 0; i < s.Y.Length; i++)
            {
                double top = y.ToUnits(s.Y[i]);
                double u0, u1;
                if (s.Widths is { } w && i < w.Length && x.Categories is null)
                {
                    // Explicit widths (a histogram's bins): edges in data units, then onto the axis (a log axis too).
                    u0 = x.ToUnits(s.X[i] - w[i] / 2);
                    u1 = x.ToUnits(s.X[i] + w[i] / 2);
                }
                else
                {
                    double at = Position(s, i, x);
                    u0 = at + offset;
                    u1 = at + offset + width;
                }
                if (!double.IsFinite(u0) || !double.IsFinite(u1) || !double.IsFinite(top)) continue;
                float x0 = x.ToPixel(u0, plot.Left, plot.Right), x1 = x.ToPixel(u1, plot.Left, plot.Right);
                float py = y.ToPixel(top, plot.Bottom, plot.Top);
                c.DrawRect(SKRect.Create(Math.Min(x0, x1), Math.Min(py, baseY), Math.Max(Math.Abs(x1 - x0), 1), Math.Abs(baseY - py)), fill);
            }
        }
    }

    private static void Line(SKCanvas c, ChartSeries s, ChartAxis x, ChartAxis y, SKRect plot)
    {
        using var paint = new SKPaint { Color = Color(s.Color).WithAlpha((byte)(255 * s.Opacity)), StrokeWidth = 2, Style = SKPaintStyle.Stroke, IsAntialias = true, StrokeJoin = SKStrokeJoin.Round };
        using var dash = Dash(s.Dash);
        paint.PathEffect = dash;
        using var path = new SKPath();
        bool open = false;
        for (int i = 0; i < s.Y.Length; i++)
        {
            double px = Position(s, i, x), py = y.ToUnits(s.Y[i]);
            if (!double.IsFinite(px) || !double.IsFinite(py)) { open = false; continue; }
            var p = new SKPoint(x.ToPixel(px, plot.Left, plot.Right), y.ToPixel(py, plot.Bottom, plot.Top));
            if (open) path.LineTo(p); else path.MoveTo(p);
            open = true;
        }
        c.DrawPath(path, paint);
    }

    private static void Markers(SKCanvas c, ChartSeries s, ChartAxis x, ChartAxis y, SKRect plot)
    {
        using var paint = new SKPaint { Color = Color(s.Color).WithAlpha((byte)(255 * s.Opacity)), Style = SKPaintStyle.Fill, IsAntialias = true };
        for (int i = 0; i < s.Y.Length; i++)
        {
            double px = Position(s, i, x), py = y.ToUnits(s.Y[i]);
            if (double.IsFinite(px) && double.IsFinite(py)) c.DrawCircle(x.ToPixel(px, plot.Left, plot.Right), y.ToPixel(py, plot.Bottom, plot.Top), 3.5f, paint);
        }
    }

    private static void Legend(SKCanvas c, ChartStyle.Frame frame, SKRect plot, SKColor ink)
    {
        float top = plot.Bottom + frame.XBand + 12;
        for (int r = 0; r < frame.LegendRows.Count; r++)
        {
            float cy = top + r * ChartStyle.LegendRow + ChartStyle.LegendRow / 2;
            foreach (var (s, at) in frame.LegendRows[r])
            {
                float x = plot.Left + at;
                using var paint = new SKPaint { Color = Color(s.Color).WithAlpha((byte)(255 * Math.Max(s.Opacity, 0.5))), IsAntialias = true };
                if (s.Kind == SeriesKind.Bars) c.DrawRect(SKRect.Create(x + 8, cy - 6, 14, 12), paint);
                else if (s.DrawsLine)
                {
                    paint.Style = SKPaintStyle.Stroke;
                    paint.StrokeWidth = 2;
                    using var dash = Dash(s.Dash);
                    paint.PathEffect = dash;
                    c.DrawLine(x, cy, x + ChartStyle.LegendSwatch, cy, paint);
                }
                else c.DrawCircle(x + ChartStyle.LegendSwatch / 2, cy, 4, paint);
                Text(c, s.Name, x + ChartStyle.LegendSwatch + ChartStyle.LegendGap, cy + ChartStyle.LegendSize * 0.35f, ChartStyle.LegendSize, ink);
            }
        }
    }

    /// <summary>Point <paramref name="i"/>'s x in axis units (its category's index on a category axis).</summary>
    private static double Position(ChartSeries s, int i, ChartAxis x)
    {
        if (x.Categories is not null)
            return s.Categories is not null && i < s.Categories.Length ? IndexOf(x.Categories, s.Categories[i]) : i;
        return i < s.X.Length ? x.ToUnits(s.X[i]) : double.NaN;
    }

    private static double IndexOf(IReadOnlyList<string> list, string item)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == item) return i;
        return double.NaN;
    }

    private static SKPathEffect? Dash(string dash) => dash switch
    {
        "dash" => SKPathEffect.CreateDash(new[] { 7f, 4f }, 0),
        "dot" => SKPathEffect.CreateDash(new[] { 2f, 3f }, 0),
        "dashdot" => SKPathEffect.CreateDash(new[] { 7f, 3f, 2f, 3f }, 0),
        "longdash" => SKPathEffect.CreateDash(new[] { 12f, 4f }, 0),
        _ => null,
    };

    private static void Text(SKCanvas c, string text, float x, float y, float size, SKColor color, SKTextAlign align = SKTextAlign.Left, float maxWidth = float.MaxValue)
    {
        using var font = ChartFont.Font(size);
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        if (font.MeasureText(text) > maxWidth && maxWidth > 20)
        {
            while (text.Length > 1 && font.MeasureText(text + "…") > maxWidth) text = text[..^1];
            text += "…";
        }
        c.DrawText(text, x, y, align, font, paint);
    }

    private static SKColor Color(string css)
    {
        if (SKColor.TryParse(css, out var c)) return c;
        if (css.StartsWith("rgba(", StringComparison.Ordinal) || css.StartsWith("rgb(", StringComparison.Ordinal))
        {
            var parts = css[(css.IndexOf('(') + 1)..css.IndexOf(')')].Split(',').Select(p => double.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return new SKColor((byte)parts[0], (byte)parts[1], (byte)parts[2], parts.Length > 3 ? (byte)(parts[3] * 255) : (byte)255);
        }
        return Color(ChartStyle.Palette[0]);
    }
}

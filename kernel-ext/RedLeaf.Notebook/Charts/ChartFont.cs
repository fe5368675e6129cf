// kernel-ext/RedLeaf.Notebook/Charts: the one typeface of every chart, DejaVu Sans (Debian's
// fonts-dejavu-core), used by plotly.js in the page (first in the font list) and by SkiaSharp in the PNG,
// so both measure text alike. SkiaSharp's NoDependencies build has no fontconfig: it scans
// /usr/share/fonts itself; a machine without the font gets an error naming the package to install
// rather than a picture without text.
using SkiaSharp;

namespace RedLeaf.Notebook.Charts;

internal static class ChartFont
{
    public const string Family = "DejaVu Sans";
    public const string Package = "fonts-dejavu-core";
    private static readonly string[] Files = { "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/local/share/fonts/DejaVuSans.ttf" };
    private static readonly Lazy<SKTypeface> s_regular = new(() => Load(SKFontStyle.Normal, "DejaVuSans.ttf"));
    private static readonly Lazy<SKTypeface> s_bold = new(() => Load(SKFontStyle.Bold, "DejaVuSans-Bold.ttf"));

    public static SKTypeface Regular => s_regular.Value;
    public static SKTypeface Bold => s_bold.Value;

    public static SKFont Font(float size, bool bold = false) => new(bold ? Bold : Regular, size) { Subpixel = true, Edging = SKFontEdging.Antialias };

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="size"/>.</summary>
    public static float Measure(string text, float size, bool bold = false)
    {
        using var font = Font(size, bold);
        return font.MeasureText(text);
    }

    private static SKTypeface Load(SKFontStyle style, string file)
    {
        var byName = SKTypeface.FromFamilyName(Family, style);
        if (byName is not null && byName.FamilyName == Family) return byName;
        foreach (var path in Files.Select(f => Path.Combine(Path.GetDirectoryName(f)!, file)))
            if (File.Exists(path) && SKTypeface.FromFile(path) is { } t) return t;
        throw new InvalidOperationException($"charts draw their PNG with the font {Family}, which is not installed (looked in /usr/share/fonts): install the Debian package {Package}");
    }
}

// kernel-ext/RedLeaf.Notebook/Html: a view that is also a picture. Charts draw with plotly.js, which
// runs only where scripts do; each chart also renders itself as a PNG of its nominal size (Charts/PngChart),
// which the extension puts in the same display as the HTML (image/png beside text/html), so an executed
// notebook shows the figure where scripts do not run (a PDF, a static viewer).
namespace RedLeaf.Notebook.Html;

public interface IPngView : IRichView
{
    /// <summary>The picture's width in pixels (the chart's nominal width).</summary>
    int Width { get; }

    /// <summary>The picture's height in pixels.</summary>
    int Height { get; }

    /// <summary>The view drawn as a PNG of <see cref="Width"/> by <see cref="Height"/> pixels.</summary>
    byte[] ToPng();
}

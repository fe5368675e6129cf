// kernel-ext/RedLeaf.Notebook/Html: what every notebook object is: an HTML rendering for notebooks
// and exported pages, and a plain-text one (ToString) for terminals, logs and text-only front ends.
namespace RedLeaf.Notebook.Html;

public interface IRichView
{
    /// <summary>A self-contained HTML fragment (inline styles and SVG; no external resources).</summary>
    string ToHtml();
}

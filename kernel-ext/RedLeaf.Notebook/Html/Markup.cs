// kernel-ext/RedLeaf.Notebook/Html: small helpers for the views' HTML: escaping, tables, headings
// and a status badge. Styles are inline so fragments render the same in Jupyter, exported pages and
// a bare browser.
using System.Net;
using System.Text;

namespace RedLeaf.Notebook.Html;

internal static class Markup
{
    public static string Escape(object? value) => WebUtility.HtmlEncode(value?.ToString() ?? "");

    public const string Font = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px";
    public const string Mono = "font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:12px";

    /// <summary>A titled block: the outer element of every view.</summary>
    public static string Block(string cssClass, string title, string body) =>
        $"<div class=\"redleaf {cssClass}\" style=\"{Font};margin:4px 0\"><div style=\"font-weight:600;margin-bottom:4px\">{Escape(title)}</div>{body}</div>";

    public static string Table(IEnumerable<string> headers, IEnumerable<IEnumerable<object?>> rows, string? cssClass = null)
    {
        var sb = new StringBuilder();
        sb.Append($"<table{(cssClass is null ? "" : $" class=\"{cssClass}\"")} style=\"border-collapse:collapse;{Font}\"><thead><tr>");
        foreach (var h in headers) sb.Append($"<th style=\"text-align:left;padding:2px 8px;border-bottom:1px solid #999\">{Escape(h)}</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row)
                sb.Append($"<td style=\"text-align:left;padding:2px 8px;border-bottom:1px solid #eee\">{(cell is RawHtml raw ? raw.Html : Escape(cell))}</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }

    /// <summary>Key-value pairs as a two-column table.</summary>
    public static string Facts(params (string Key, object? Value)[] facts) =>
        Table(new[] { "", "" }, facts.Select(f => new object?[] { f.Key, f.Value }));

    public static RawHtml Badge(string text, string color) =>
        new($"<span style=\"background:{color};color:white;border-radius:3px;padding:0 5px\">{Escape(text)}</span>");

    public static RawHtml Pre(string text) => new($"<pre style=\"{Mono};margin:0;white-space:pre-wrap\">{Escape(text)}</pre>");

    /// <summary>A table cell whose content is already HTML.</summary>
    public sealed record RawHtml(string Html);

    /// <summary>Plain-text table with columns padded to width.</summary>
    public static string TextTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
        var widths = Enumerable.Range(0, headers.Count).Select(i => all.Max(r => i < r.Count ? r[i].Length : 0)).ToArray();
        var sb = new StringBuilder();
        foreach (var r in all)
            sb.AppendLine(string.Join("  ", Enumerable.Range(0, headers.Count).Select(i => (i < r.Count ? r[i] : "").PadRight(widths[i]))).TrimEnd());
        return sb.ToString().TrimEnd();
    }
}

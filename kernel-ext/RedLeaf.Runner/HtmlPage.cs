// kernel-ext/RedLeaf.Runner: an executed notebook as one standalone HTML page, safe for a TA to open.
// Markdown is rendered by Markdig with raw HTML turned off, then cleaned by HtmlSanitizer (a markdown
// cell, or a cell whose metadata only claims to be one, cannot bring a script). Outputs: text escaped;
// HTML from the extension's own views (trusted: the runner says which) kept, other HTML sanitised,
// SVG from elsewhere shown as an image. The page's Content-Security-Policy allows exactly the scripts
// the chart code wrote (plotly.js and each chart, by SHA-256: ChartHtml) and nothing else, so a script a
// notebook smuggled into any output is dropped here and would be refused by the browser anyway. No
// external resources, so the page renders offline.
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Ganss.Xss;
using Markdig;
using Microsoft.DotNet.Interactive.Documents;
using RedLeaf.Notebook.Charts;

namespace RedLeaf.Runner;

public static class HtmlPage
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();
    private static readonly Regex Script = new("<script\\b[^>]*>(.*?)</script\\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase);

    /// <summary>The page for <paramref name="doc"/>; <paramref name="trusted"/> says which outputs the
    /// extension's own views produced (their HTML is kept; everything else is sanitised).</summary>
    public static string Render(string title, InteractiveDocument doc, Func<InteractiveDocumentOutputElement, bool>? trusted = null)
    {
        var sanitizer = new HtmlSanitizer();
        var hashes = new List<string>();
        var body = new StringBuilder();
        foreach (var cell in doc.Elements)
        {
            if (cell.KernelName is "markdown" or "md")
            {
                body.Append("<div class=\"cell markdown\">").Append(sanitizer.Sanitize(Markdig.Markdown.ToHtml(cell.Contents, Markdown))).Append("</div>");
                continue;
            }
            body.Append("<div class=\"cell code\"><pre class=\"source\">").Append(WebUtility.HtmlEncode(cell.Contents)).Append("</pre>");
            foreach (var o in cell.Outputs) body.Append(Output(o, trusted?.Invoke(o) == true, sanitizer, hashes));
            body.Append("</div>");
        }
        string scripts = hashes.Count == 0 ? "'none'" : string.Join(' ', hashes.Distinct().Select(h => $"'{h}'"));
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\">");
        sb.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; script-src ")
          .Append(scripts).Append("\">");
        sb.Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>");
        sb.Append("<style>body{font-family:system-ui,sans-serif;max-width:1180px;margin:24px auto;padding:0 16px;color:#222}")
          .Append(".cell{margin:14px 0}.source{background:#f6f8fa;border:1px solid #ddd;border-radius:4px;padding:8px;overflow-x:auto;font-size:12px}")
          .Append(".output{margin:6px 0 0 0;padding-left:8px;border-left:3px solid #e0e0e0}.output pre{margin:0;white-space:pre-wrap;font-size:12px}")
          .Append(".stderr pre,.error pre{color:#b71c1c}</style></head><body>");
        return sb.Append(body).Append("</body></html>").ToString();
    }

    private static string Output(InteractiveDocumentOutputElement o, bool trusted, HtmlSanitizer sanitizer, List<string> hashes) => o switch
    {
        TextElement t => $"<div class=\"output {(t.Name == "stderr" ? "stderr" : "stdout")}\"><pre>{WebUtility.HtmlEncode(t.Text)}</pre></div>",
        ErrorElement e => $"<div class=\"output error\"><pre>{WebUtility.HtmlEncode(e.ErrorName + ": " + e.ErrorValue)}</pre></div>",
        DisplayElement d => Rich(d.Data, trusted, sanitizer, hashes),
        ReturnValueElement r => Rich(r.Data, trusted, sanitizer, hashes),
        _ => "",
    };

    private static string Rich(IDictionary<string, object> data, bool trusted, HtmlSanitizer sanitizer, List<string> hashes)
    {
        if (data.TryGetValue("text/html", out var html) && html?.ToString() is { } h)
            return $"<div class=\"output html\">{(trusted ? OwnScriptsOnly(h, hashes) : sanitizer.Sanitize(h))}</div>";
        if (data.TryGetValue("image/svg+xml", out var svg) && svg?.ToString() is { } s)
            return trusted ? $"<div class=\"output svg\">{OwnScriptsOnly(s, hashes)}</div>"
                : $"<div class=\"output svg\"><img alt=\"an SVG output\" src=\"data:image/svg+xml;base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes(s))}\"></div>";
        if (data.TryGetValue("text/plain", out var text)) return $"<div class=\"output text\"><pre>{WebUtility.HtmlEncode(text?.ToString())}</pre></div>";
        return "";
    }

    /// <summary>A trusted view's HTML, with every script the chart code did not write removed and the
    /// hashes of those it did collected for the page's policy.</summary>
    private static string OwnScriptsOnly(string html, List<string> hashes) =>
        Script.Replace(ChartHtml.Normalize(html), m =>
        {
            string body = m.Groups[1].Value;
            if (!ChartHtml.IsOurs(body)) return "<!-- a script the extension did not write was removed -->";
            hashes.Add(ChartHtml.Hash(body));
            return m.Value;
        });
}

// kernel-ext/RedLeaf.Runner: an executed notebook as one standalone HTML page, safe for a TA to open.
// Code is highlighted (CodeHighlighter: Roslyn's classifier) with line numbers, In/Out prompts with
// execution counts and each cell's duration; long pages get a table of contents from their headings.
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
        var headings = new List<(int Level, string Id, string Text)>();
        foreach (var cell in doc.Elements)
        {
            if (cell.KernelName is "markdown" or "md")
            {
                // Headings get ids of our own (sec-N) after sanitising, for the contents list.
                string md = Heading.Replace(sanitizer.Sanitize(Markdig.Markdown.ToHtml(cell.Contents, Markdown)), h =>
                {
                    string id = $"sec-{headings.Count + 1}";
                    headings.Add((int.Parse(h.Groups[1].Value), id, Regex.Replace(h.Groups[3].Value, "<[^>]*>", "")));
                    return $"<h{h.Groups[1].Value} id=\"{id}\">{h.Groups[3].Value}</h{h.Groups[1].Value}>";
                });
                body.Append("<div class=\"cell markdown\">").Append(md).Append("</div>");
                continue;
            }
            string count = cell.ExecutionOrder > 0 ? cell.ExecutionOrder.ToString(System.Globalization.CultureInfo.InvariantCulture) : "&nbsp;";
            body.Append("<div class=\"cell code\"><div class=\"in\"><span class=\"prompt\">In&nbsp;[").Append(count).Append("]:</span>")
                .Append(CodeHighlighter.ToHtml(cell.Contents)).Append(Duration(cell)).Append("</div>");
            foreach (var o in cell.Outputs)
            {
                string prompt = o is ReturnValueElement ? $"<span class=\"prompt out\">Out[{count}]:</span>" : "<span class=\"prompt\"></span>";
                body.Append("<div class=\"out-row\">").Append(prompt).Append(Output(o, trusted?.Invoke(o) == true, sanitizer, hashes)).Append("</div>");
            }
            body.Append("</div>");
        }
        string scripts = hashes.Count == 0 ? "'none'" : string.Join(' ', hashes.Distinct().Select(h => $"'{h}'"));
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\">");
        sb.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; script-src ")
          .Append(scripts).Append("\">");
        sb.Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title><style>").Append(Css).Append("</style></head><body>");
        if (headings.Count >= 3)
        {
            sb.Append("<nav class=\"toc\"><strong>Contents</strong><ul>");
            foreach (var (level, id, text) in headings)
                sb.Append($"<li class=\"toc{level}\"><a href=\"#{WebUtility.HtmlEncode(id)}\">{WebUtility.HtmlEncode(WebUtility.HtmlDecode(text))}</a></li>");
            sb.Append("</ul></nav>");
        }
        return sb.Append(body).Append("</body></html>").ToString();
    }

    private static readonly Regex Heading = new("<h([1-3])( [^>]*)?>(.*?)</h\\1>", RegexOptions.Singleline);

    /// <summary>How long the cell ran, from the runner's papermill record.</summary>
    private static string Duration(InteractiveDocumentElement cell) =>
        cell.Metadata?.TryGetValue("papermill", out var pm) == true && pm is IDictionary<string, object?> d && d.TryGetValue("duration", out var v) && v is double s
            ? $"<div class=\"duration\">{s.ToString(s < 10 ? "F2" : "F1", System.Globalization.CultureInfo.InvariantCulture)} s</div>" : "";

    private const string Css =
        "body{font-family:system-ui,sans-serif;max-width:1180px;margin:24px auto;padding:0 16px;color:#222}" +
        ".cell{margin:14px 0}.in,.out-row{display:grid;grid-template-columns:78px 1fr;align-items:start}" +
        ".prompt{font:12px ui-monospace,monospace;color:#303f9f;text-align:right;padding:8px 8px 0 0}.prompt.out{color:#d84315}" +
        ".source{grid-column:2;background:#f6f8fa;border:1px solid #ddd;border-radius:4px;padding:8px 8px 8px 0;overflow-x:auto;font-size:12px;margin:0;counter-reset:none}" +
        ".source .line{display:block}.source .ln{display:inline-block;width:3em;margin-right:10px;text-align:right;color:#aaa;user-select:none}" +
        ".tok-keyword{color:#0000c8}.tok-string{color:#a31515}.tok-number{color:#098658}.tok-comment{color:#008000;font-style:italic}" +
        ".tok-type{color:#267f99}.tok-method{color:#795e26}.tok-preprocessor{color:#808080}.tok-magic{color:#af00db;font-weight:600}" +
        ".duration{grid-column:2;font-size:11px;color:#888;text-align:right}" +
        ".output{margin:6px 0 0 0;padding-left:8px;border-left:3px solid #e0e0e0;overflow-x:auto}.output pre{margin:0;white-space:pre-wrap;font-size:12px}" +
        ".output table td,.output table th{text-align:left}.stderr pre,.error pre{color:#b71c1c}" +
        ".toc{border:1px solid #ddd;border-radius:4px;padding:8px 16px;margin-bottom:16px;font-size:13px}.toc ul{margin:4px 0;padding-left:18px}.toc2{margin-left:12px}.toc3{margin-left:24px}";

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

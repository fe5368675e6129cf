// kernel-ext/RedLeaf.Runner: an executed notebook as one standalone HTML page: markdown rendered
// (Markdig), code in <pre>, outputs as the notebook holds them (text/html inline, including the SVG
// graphs and the one copy of plotly.js the first chart wrote; text escaped). No external resources,
// so the page renders offline.
using System.Net;
using System.Text;
using Markdig;
using Microsoft.DotNet.Interactive.Documents;

namespace RedLeaf.Runner;

public static class HtmlPage
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public static string Render(string title, InteractiveDocument doc)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title)).Append("</title>");
        sb.Append("<style>body{font-family:system-ui,sans-serif;max-width:1180px;margin:24px auto;padding:0 16px;color:#222}")
          .Append(".cell{margin:14px 0}.source{background:#f6f8fa;border:1px solid #ddd;border-radius:4px;padding:8px;overflow-x:auto;font-size:12px}")
          .Append(".output{margin:6px 0 0 0;padding-left:8px;border-left:3px solid #e0e0e0}.output pre{margin:0;white-space:pre-wrap;font-size:12px}")
          .Append(".stderr pre,.error pre{color:#b71c1c}</style></head><body>");
        foreach (var cell in doc.Elements)
        {
            if (cell.KernelName is "markdown" or "md")
            {
                sb.Append("<div class=\"cell markdown\">").Append(Markdig.Markdown.ToHtml(cell.Contents, Markdown)).Append("</div>");
                continue;
            }
            sb.Append("<div class=\"cell code\"><pre class=\"source\">").Append(WebUtility.HtmlEncode(cell.Contents)).Append("</pre>");
            foreach (var o in cell.Outputs) sb.Append(Output(o));
            sb.Append("</div>");
        }
        return sb.Append("</body></html>").ToString();
    }

    private static string Output(InteractiveDocumentOutputElement o) => o switch
    {
        TextElement t => $"<div class=\"output {t.Name}\"><pre>{WebUtility.HtmlEncode(t.Text)}</pre></div>",
        ErrorElement e => $"<div class=\"output error\"><pre>{WebUtility.HtmlEncode(e.ErrorName + ": " + e.ErrorValue)}</pre></div>",
        DisplayElement d => Rich(d.Data),
        ReturnValueElement r => Rich(r.Data),
        _ => "",
    };

    private static string Rich(IDictionary<string, object> data)
    {
        if (data.TryGetValue("text/html", out var html)) return $"<div class=\"output html\">{html}</div>";
        if (data.TryGetValue("image/svg+xml", out var svg)) return $"<div class=\"output svg\">{svg}</div>";
        if (data.TryGetValue("text/plain", out var text)) return $"<div class=\"output text\"><pre>{WebUtility.HtmlEncode(text?.ToString())}</pre></div>";
        return "";
    }
}

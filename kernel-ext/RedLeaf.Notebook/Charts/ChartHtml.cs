// kernel-ext/RedLeaf.Notebook/Charts: keeps a chart's script a script, and remembers which scripts are
// ours. Plotly.NET and XPlot write a chart as a <div> and one <script> whose body holds the figure as
// JSON, and neither escapes "</" in it, so a series named "</script><script>..." (a label a notebook
// chose, such as a Measure label) ended the script and ran its own. Inside a script body "</" and
// "<!--" become "<\/" and "<\!--", which mean the same in JavaScript strings and can end nothing.
// Each script body written here (and plotly.js itself) is recorded by its SHA-256, so an exported page
// can allow exactly these scripts in its Content-Security-Policy and drop any other.
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace RedLeaf.Notebook.Charts;

public static class ChartHtml
{
    private static readonly ConcurrentDictionary<string, byte> s_ours = new(StringComparer.Ordinal);

    /// <summary>The chart's HTML with its script body made unable to end early, and recorded as ours.</summary>
    internal static string Contain(string html)
    {
        html = Normalize(html);
        int open = html.IndexOf("<script", StringComparison.OrdinalIgnoreCase);
        if (open < 0) return html;
        int bodyStart = html.IndexOf('>', open) + 1;
        int close = html.LastIndexOf("</script", StringComparison.OrdinalIgnoreCase);
        if (bodyStart <= 0 || close < bodyStart) return html;
        string body = html[bodyStart..close].Replace("</", "<\\/", StringComparison.Ordinal).Replace("<!--", "<\\!--", StringComparison.Ordinal);
        Remember(body);
        return html[..bodyStart] + body + html[close..];
    }

    /// <summary>Records a script body this library wrote (plotly.js).</summary>
    internal static void Remember(string body) => s_ours.TryAdd(Hash(body), 0);

    /// <summary>True for a script body this process's chart code wrote.</summary>
    public static bool IsOurs(string body) => s_ours.ContainsKey(Hash(Normalize(body)));

    /// <summary>The CSP source for a script body: 'sha256-BASE64' of its UTF-8 bytes.</summary>
    public static string Hash(string body) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

    /// <summary>Line ends as a browser's parser sees them (CR LF and CR become LF), so hashes match.</summary>
    public static string Normalize(string html) => html.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
}

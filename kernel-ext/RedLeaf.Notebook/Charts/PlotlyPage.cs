// kernel-ext/RedLeaf.Notebook/Charts: plotly.js for offline pages. Plotly.NET carries plotly.js
// 2.28.0 as an embedded resource; the first chart on a page (a notebook) writes it, unmodified, in a
// <script> element; later charts reuse it. Nothing is ever fetched from a CDN. The notebook host
// calls Reset when a new notebook starts.
using System.Reflection;

namespace RedLeaf.Notebook.Charts;

public static class PlotlyPage
{
    public const string ScriptResource = "Plotly.NET.plotly-2.28.0.min.js";
    private static readonly Lazy<string> s_script = new(Load);
    private static int s_written;

    /// <summary>plotly.js itself (about 3.6 MB), as Plotly.NET ships it.</summary>
    public static string Script => s_script.Value;

    /// <summary>True once this page has its copy of plotly.js.</summary>
    public static bool ScriptWritten => Volatile.Read(ref s_written) != 0;

    /// <summary>A new page (notebook) begins: the next chart writes plotly.js again.</summary>
    public static void Reset() => Volatile.Write(ref s_written, 0);

    /// <summary>The &lt;script&gt; element with plotly.js the first time on a page, then empty.</summary>
    public static string ScriptOnce() =>
        Interlocked.Exchange(ref s_written, 1) == 0 ? "<script type=\"text/javascript\">" + Script + "</script>" : "";

    private static string Load()
    {
        var asm = typeof(Plotly.NET.GenericChart).Assembly;
        using var s = asm.GetManifestResourceStream(ScriptResource)
            ?? throw new InvalidOperationException($"{asm.GetName().Name} {asm.GetName().Version} has no resource {ScriptResource}: the pinned Plotly.NET version is expected");
        using var r = new StreamReader(s);
        string script = ChartHtml.Normalize(r.ReadToEnd());
        ChartHtml.Remember(script);
        return script;
    }
}

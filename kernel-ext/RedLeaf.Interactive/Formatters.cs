// kernel-ext/RedLeaf.Interactive: tells .NET Interactive how to show RedLeaf objects: every notebook
// view (IRichView) as its HTML with a plain-text fallback (charts, IPngView, with a PNG as well), and a few core types (benchmark results,
// the kernel log) directly. Registrations are process-wide; the runner resets them per notebook.
using Microsoft.DotNet.Interactive.Formatting;
using RedLeaf.Abi;
using RedLeaf.Measure;
using RedLeaf.Notebook.Html;
using RedLeaf.Notebook.Session;
using RedLeaf.Os;

namespace RedLeaf.Interactive;

internal static class Formatters
{
    private const string Html = "text/html", Text = "text/plain", Png = "image/png";

    public static IReadOnlyList<string> Register()
    {
        var views = typeof(NotebookKernel).Assembly.GetExportedTypes()
            .Where(t => typeof(IRichView).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface).ToList();
        foreach (var t in views)
        {
            Formatter.Register(t, (o, w) => w.Write(((IRichView)o).ToHtml()), Html);
            Formatter.Register(t, (o, w) => w.Write(o.ToString()), Text);
            if (typeof(IPngView).IsAssignableFrom(t))
            {
                // A chart's picture in the same display as its HTML: front ends that run scripts show the
                // HTML, nbconvert's PDF and other static renderings take the PNG (Jupyter stores it base64).
                Formatter.Register(t, (o, w) => w.Write(Convert.ToBase64String(((IPngView)o).ToPng())), Png);
                Formatter.SetPreferredMimeTypesFor(t, Html, Png, Text);
            }
            else Formatter.SetPreferredMimeTypesFor(t, Html, Text);
        }
        // Anything else that is a view (such as the extension's own load summary).
        Formatter.Register(typeof(IRichView), (o, w) => w.Write(((IRichView)o).ToHtml()), Html);
        Formatter.Register(typeof(IRichView), (o, w) => w.Write(o.ToString()), Text);
        // Call results read best as they print: Ok(5), Err(CalleeCrashed in domain 3).
        foreach (var t in new[] { typeof(RpcResult), typeof(RpcResult<>) })
        {
            Formatter.Register(t, (o, w) => w.Write(Markup.Pre(o.ToString() ?? "").Html), Html);
            Formatter.Register(t, (o, w) => w.Write(o.ToString()), Text);
        }
        Register<SuiteResult>(r => Markup.Block("bench", $"bench {r.Suite}{(r.Quick ? " (quick)" : "")}", Markup.Pre(r.ToTable()).Html), r => r.ToTable());
        Register<BootLog>(l => Markup.Pre(l.ToString()).Html, l => l.ToString());
        return views.Select(t => t.Name).Append(nameof(SuiteResult)).Append(nameof(BootLog)).Order().ToArray();
    }

    private static void Register<T>(Func<T, string> html, Func<T, string> text)
    {
        Formatter.Register(typeof(T), (o, w) => w.Write(html((T)o)), Html);
        Formatter.Register(typeof(T), (o, w) => w.Write(text((T)o)), Text);
        Formatter.SetPreferredMimeTypesFor(typeof(T), Html, Text);
    }
}

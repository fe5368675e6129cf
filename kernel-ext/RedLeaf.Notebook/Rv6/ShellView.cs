// kernel-ext/RedLeaf.Notebook/Rv6: one command line run by rv6's shell, as a notebook shows it: the
// prompt and the line, the console output, the exit status and how long it took.
using RedLeaf.Notebook.Html;
using RedLeaf.Systems.Rv6;
using static RedLeaf.Notebook.Html.Markup;

namespace RedLeaf.Notebook.Rv6;

public sealed class ShellView : IRichView
{
    public ShellView(Rv6Run run) => Run = run;

    public Rv6Run Run { get; }
    public string Command => Run.Command;
    public string Output => Run.Text;
    public int Status => Run.Status;

    public string ToHtml() =>
        $"<div class=\"redleaf-rv6\" style=\"{Mono};background:#1e1e1e;color:#e8e8e8;padding:6px 10px;border-radius:4px;margin:2px 0\">" +
        $"<div style=\"color:#8fd18f\">$ {Escape(Run.Command)}</div>" +
        $"<pre style=\"margin:0;white-space:pre-wrap;color:#e8e8e8;background:transparent\">{Escape(Run.Text)}</pre>" +
        $"<div style=\"color:#999;font-size:85%\">exit {Run.Status} · {Run.Elapsed.TotalMilliseconds:F1} ms</div></div>";

    public override string ToString() => $"$ {Run.Command}{Environment.NewLine}{Run.Text}";
}

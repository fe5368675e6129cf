// kernel-ext/RedLeaf.Notebook/Views: a titled table of values for notebooks that compare numbers
// (ours beside the paper's). HTML for notebooks and pages, aligned plain text for terminals.
using System.Globalization;
using RedLeaf.Notebook.Html;
using static RedLeaf.Notebook.Html.Markup;

namespace RedLeaf.Notebook.Views;

public sealed class TableView : IRichView
{
    public TableView(string title, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows)
    {
        Title = title;
        Headers = headers;
        Rows = rows.ToArray();
    }

    public string Title { get; }
    public IReadOnlyList<string> Headers { get; }
    public IReadOnlyList<IReadOnlyList<object?>> Rows { get; }

    private static string Cell(object? v) => v switch
    {
        null => "",
        double d => d.ToString(Math.Abs(d) >= 100 ? "N0" : "0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    public string ToHtml() => Block("table", Title, Table(Headers, Rows.Select(r => r.Select(c => (object?)Cell(c)))));

    public override string ToString() => Title + Environment.NewLine + TextTable(Headers, Rows.Select(r => (IReadOnlyList<string>)r.Select(Cell).ToArray()));
}

// kernel-ext/RedLeaf.Notebook/Views: the kernel's domain table as a notebook shows it, one row per
// domain (name, instance, state, exports, owned objects, crashes).
using RedLeaf.Notebook.Html;
using static RedLeaf.Notebook.Html.Markup;

namespace RedLeaf.Notebook.Views;

public sealed class DomainTable : IRichView
{
    internal DomainTable(IReadOnlyList<DomainView> rows) => Rows = rows;

    public IReadOnlyList<DomainView> Rows { get; }
    public int Count => Rows.Count;
    public DomainView this[string name] => Rows.FirstOrDefault(r => r.Name == name)
        ?? throw new KeyNotFoundException($"no domain named '{name}' (domains: {string.Join(", ", Rows.Select(r => r.Name).DefaultIfEmpty("none"))})");

    public string ToHtml() => Block("domains", $"Domains ({Count})", Count == 0 ? "no domains loaded" :
        Table(new[] { "name", "instance", "status", "exports", "owns", "crashes" },
            Rows.Select(r => new object?[] { r.Name, $"#{r.Id}", DomainView.StatusBadge(r.Status), r.Exports ?? "", $"{r.Owned.Count} objects", r.Crashes.Count })));

    public override string ToString() => Count == 0 ? "Domains: none" : "Domains:" + Environment.NewLine + TextTable(
        new[] { "name", "instance", "status", "exports", "owns", "crashes" },
        Rows.Select(r => (IReadOnlyList<string>)new[] { r.Name, $"#{r.Id}", r.Status.ToString(), r.Exports ?? "", $"{r.Owned.Count} objects", r.Crashes.Count.ToString() }));
}

// kernel-ext/RedLeaf.Notebook/Views: what a crash (or kill) cost and what cleanup freed: the kernel's
// crash record, the heap before and after as two ownership graphs, and whether the domain's code was
// confirmed collected (nothing outside still roots it).
using RedLeaf.Notebook.Html;
using RedLeaf.Os.Domains;
using static RedLeaf.Notebook.Html.Markup;

namespace RedLeaf.Notebook.Views;

public sealed class CrashReport : IRichView
{
    internal CrashReport(CrashRecord record, HeapView before, HeapView after, CollectionResult? collection)
    {
        Record = record;
        Before = before;
        After = after;
        Collection = collection;
    }

    public CrashRecord Record { get; }
    public HeapView Before { get; }
    public HeapView After { get; }
    /// <summary>Null if confirmation did not finish in the time the report waited.</summary>
    public CollectionResult? Collection { get; }
    public int FreedObjects => Record.FreedObjects;
    public long FreedBytes => Record.FreedBytes;

    private string CollectionText => Collection is null ? "not confirmed yet" :
        Collection.Collected ? $"collected after {Collection.FullCollections} full GCs ({Collection.Milliseconds:F1} ms)" : "NOT collected: something still roots the domain's code";

    public string ToHtml() => Block("crash", $"{Record.Domain}#{Record.InstanceId}: {Record.Kind}", Facts(
            ("reason", Record.Reason),
            ("freed", $"{Record.FreedObjects} objects, {Record.FreedBytes} bytes"),
            ("proxies unbound", Record.ProxiesUnbound),
            ("threads released", Record.ThreadsReleased),
            ("code", CollectionText))
        + "<div style=\"display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start\">"
        + $"<div><div>before: {Before.Objects} objects</div>{Before.Graph.ToSvg()}</div>"
        + $"<div><div>after: {After.Objects} objects</div>{After.Graph.ToSvg()}</div></div>");

    public override string ToString() =>
        $"{Record}{Environment.NewLine}  heap before: {Before.Objects} objects, {Before.Bytes} bytes; after: {After.Objects} objects, {After.Bytes} bytes; code {CollectionText}";
}

// kernel-ext/RedLeaf.Notebook/Views: the shared heap at one moment: totals, who owns what, and the
// ownership graph. Made from a HeapSnapshot (kernel-owned data), so it can be kept and compared
// after the domains in it are gone.
using RedLeaf.Notebook.Graph;
using RedLeaf.Notebook.Html;
using RedLeaf.Os.Heap;
using static RedLeaf.Notebook.Html.Markup;

namespace RedLeaf.Notebook.Views;

public sealed class HeapView : IRichView
{
    internal HeapView(HeapSnapshot snapshot, IReadOnlyDictionary<int, string> owners, int capacity)
    {
        Snapshot = snapshot;
        Owners = owners;
        Capacity = capacity;
    }

    public HeapSnapshot Snapshot { get; }
    public IReadOnlyDictionary<int, string> Owners { get; }
    /// <summary>Registry slots (the most objects that can be live at once).</summary>
    public int Capacity { get; }
    public int Objects => Snapshot.Nodes.Count;
    public long Bytes => Snapshot.Bytes;
    public int Links => Snapshot.Edges.Count;
    public OwnershipGraph Graph => new(Snapshot, Owners);

    /// <summary>Objects and bytes per owner, by display name.</summary>
    public IReadOnlyList<(string Owner, int Objects, long Bytes)> ByOwner =>
        Snapshot.Nodes.GroupBy(n => n.Owner).OrderBy(g => g.Key)
            .Select(g => (Graph.OwnerName(g.Key), g.Count(), g.Sum(n => n.Bytes))).ToArray();

    public string ToHtml() => Block("heap", $"Shared heap: {Objects} objects, {Bytes} bytes, {Links} links ({Capacity} slots)",
        (Objects == 0 ? "" : Table(new[] { "owner", "objects", "bytes" }, ByOwner.Select(o => new object?[] { o.Owner, o.Objects, o.Bytes })))
        + Graph.Drawing());

    public override string ToString() =>
        $"Shared heap: {Objects} objects, {Bytes} bytes, {Links} links" +
        string.Concat(ByOwner.Select(o => $"{Environment.NewLine}  {o.Owner}: {o.Objects} objects, {o.Bytes} bytes"));
}

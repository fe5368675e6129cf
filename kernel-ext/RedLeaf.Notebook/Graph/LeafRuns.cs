// kernel-ext/RedLeaf.Notebook/Graph: turns a heap snapshot into the boxes and links the graph draws.
// Leaves (objects holding no other) that share owner, parent, type, kind, length and size are one run;
// a run of at least Threshold objects becomes one "N × Type" box (60 identical block buffers read as
// one), smaller runs stay separate. Lent objects are never folded: each carries its own "lent to".
using RedLeaf.Os.Heap;

namespace RedLeaf.Notebook.Graph;

internal static class LeafRuns
{
    /// <summary>The fewest identical leaves folded into one box.</summary>
    public const int Threshold = 4;

    public static (List<GraphBox> Boxes, List<GraphLink> Links) Of(HeapSnapshot snapshot, Func<int, string> ownerName, bool collapse)
    {
        var parentOf = new Dictionary<int, int>();
        var hasChildren = new HashSet<int>();
        foreach (var e in snapshot.Edges)
        {
            parentOf.TryAdd(e.Child, e.Parent);
            hasChildren.Add(e.Parent);
        }
        var groups = snapshot.Nodes.OrderBy(n => n.Index)
            .GroupBy(n => collapse && n.Borrows == 0 && !hasChildren.Contains(n.Index)
                ? (n.Owner, Parent: parentOf.GetValueOrDefault(n.Index), n.Type, n.Kind, n.Length, n.Bytes, Single: 0)
                : (n.Owner, Parent: 0, Type: "", Kind: "", Length: 0, Bytes: 0L, Single: n.Index));
        var boxes = new List<GraphBox>();
        var boxOf = new Dictionary<int, GraphBox>();
        foreach (var g in groups)
        {
            var objects = g.ToList();
            foreach (var chunk in objects.Count >= Threshold ? new[] { objects } : objects.Select(o => new List<HeapNode> { o }))
            {
                var box = new GraphBox(boxes.Count, chunk, ownerName);
                boxes.Add(box);
                foreach (var o in chunk) boxOf[o.Index] = box;
            }
        }
        boxes.Sort((a, b) => a.Objects[0].Index.CompareTo(b.Objects[0].Index));
        var links = snapshot.Edges
            .Where(e => boxOf.ContainsKey(e.Parent) && boxOf.ContainsKey(e.Child))
            .GroupBy(e => (Parent: boxOf[e.Parent], Child: boxOf[e.Child]))
            .Select(g => new GraphLink(g.Key.Parent, g.Key.Child, g.ToList()))
            .ToList();
        return (boxes, links);
    }
}

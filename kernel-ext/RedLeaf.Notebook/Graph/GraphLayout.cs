// kernel-ext/RedLeaf.Notebook/Graph: where the ownership graph's boxes go. Owners are boxes laid out
// left to right (wrapping); inside a box, objects stand in rows by depth in their tree (roots first),
// wrapping after a few per row so 1 to 200 objects stay readable.
using RedLeaf.Os.Heap;

namespace RedLeaf.Notebook.Graph;

internal sealed class GraphLayout
{
    public const int NodeWidth = 150, NodeHeight = 34, Gap = 14, Pad = 10, Header = 22, PerRow = 5, MaxWidth = 1100;

    public sealed record PlacedNode(HeapNode Node, int X, int Y);
    public sealed record PlacedGroup(int Owner, string Name, int Count, int X, int Y, int Width, int Height, string Fill);
    public sealed record PlacedEdge(HeapEdge Edge, int X1, int Y1, int X2, int Y2);

    public List<PlacedNode> Nodes { get; } = new();
    public List<PlacedGroup> Groups { get; } = new();
    public List<PlacedEdge> Edges { get; } = new();
    public int Width { get; private set; } = 260;
    public int Height { get; private set; } = 40;

    private static readonly string[] Fills = { "#e3f2fd", "#e8f5e9", "#fff8e1", "#f3e5f5", "#e0f7fa", "#fbe9e7", "#f1f8e9", "#ede7f6" };

    public static GraphLayout Of(HeapSnapshot snapshot, Func<int, string> ownerName)
    {
        var layout = new GraphLayout();
        var depth = Depths(snapshot);
        int x = Pad, y = Pad, rowHeight = 0, colour = 0;
        foreach (var group in snapshot.Nodes.GroupBy(n => n.Owner).OrderBy(g => g.Key))
        {
            var rows = group.OrderBy(n => depth[n.Index]).ThenBy(n => n.Index)
                .GroupBy(n => depth[n.Index])
                .SelectMany(level => level.Chunk(PerRow)).ToList();
            int columns = rows.Max(r => r.Length);
            int w = Math.Max(columns * (NodeWidth + Gap) - Gap + 2 * Pad, 200);
            int h = Header + rows.Count * (NodeHeight + Gap) - Gap + 2 * Pad;
            if (x > Pad && x + w > MaxWidth) { x = Pad; y += rowHeight + Gap; rowHeight = 0; }
            layout.Groups.Add(new PlacedGroup(group.Key, ownerName(group.Key), group.Count(), x, y, w, h, Fills[colour++ % Fills.Length]));
            for (int r = 0; r < rows.Count; r++)
                for (int c = 0; c < rows[r].Length; c++)
                    layout.Nodes.Add(new PlacedNode(rows[r][c], x + Pad + c * (NodeWidth + Gap), y + Header + Pad + r * (NodeHeight + Gap)));
            layout.Width = Math.Max(layout.Width, x + w + Pad);
            layout.Height = Math.Max(layout.Height, y + h + Pad);
            x += w + Gap;
            rowHeight = Math.Max(rowHeight, h);
        }
        var at = layout.Nodes.ToDictionary(n => n.Node.Index);
        foreach (var e in snapshot.Edges)
        {
            if (!at.TryGetValue(e.Parent, out var p) || !at.TryGetValue(e.Child, out var c)) continue;
            bool below = c.Y > p.Y;
            layout.Edges.Add(new PlacedEdge(e,
                p.X + NodeWidth / 2, below ? p.Y + NodeHeight : p.Y + NodeHeight / 2,
                c.X + NodeWidth / 2, below ? c.Y : c.Y + NodeHeight / 2));
        }
        return layout;
    }

    /// <summary>Depth of each node in its tree (roots 0). Trees have no cycles; a bound guards anyway.</summary>
    private static Dictionary<int, int> Depths(HeapSnapshot s)
    {
        var parent = new Dictionary<int, int>();
        foreach (var e in s.Edges) parent[e.Child] = e.Parent;
        var depth = new Dictionary<int, int>();
        foreach (var n in s.Nodes)
        {
            int d = 0, cur = n.Index;
            while (parent.TryGetValue(cur, out var p) && d < s.Nodes.Count) { d++; cur = p; }
            depth[n.Index] = d;
        }
        return depth;
    }
}

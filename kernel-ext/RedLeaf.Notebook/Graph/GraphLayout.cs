// kernel-ext/RedLeaf.Notebook/Graph: where the ownership graph's boxes and arrows go. Microsoft's
// Automatic Graph Layout (MSAGL) lays out each tree of objects a domain owns with its layered
// (Sugiyama) layout, so children sit in the layer under their parent with few crossings, and routes the
// arrows as splines around the boxes. The trees of a domain are then packed left to right in rows in
// index order, and the domains' frames likewise, both within MaxWidth, so a forest of a thousand objects
// wraps instead of running a thousand boxes wide. Arrows to an object moved into another domain are
// routed last, around every box, by MSAGL's spline router. MSAGL's y axis points up; SVG's down.
using Microsoft.Msagl.Core.Geometry;
using Microsoft.Msagl.Core.Geometry.Curves;
using Microsoft.Msagl.Core.Layout;
using Microsoft.Msagl.Layout.Layered;
using Microsoft.Msagl.Miscellaneous;
using Microsoft.Msagl.Routing;

namespace RedLeaf.Notebook.Graph;

internal sealed class GraphLayout
{
    /// <summary>The drawing's natural width stays within this (a notebook's output column).</summary>
    public const double MaxWidth = 1040;
    public const double Gap = 16, Pad = 10, Header = 24, NodeSeparation = 16, LayerSeparation = 30, Arrow = 7;

    public sealed record PlacedBox(GraphBox Box, double X, double Y);
    public sealed record PlacedOwner(int Owner, string Name, int Objects, double X, double Y, double Width, double Height, string Fill);
    /// <summary>An arrow: its path (SVG path data) and its head (tip and the two base corners).</summary>
    public sealed record PlacedLink(GraphLink Link, string Path, Point Tip, Point Left, Point Right);

    public List<PlacedBox> Boxes { get; } = new();
    public List<PlacedOwner> Owners { get; } = new();
    public List<PlacedLink> Links { get; } = new();
    public double Width { get; private set; } = 260;
    public double Height { get; private set; } = 40;

    private static readonly string[] Fills = { "#e3f2fd", "#e8f5e9", "#fff8e1", "#f3e5f5", "#e0f7fa", "#fbe9e7", "#f1f8e9", "#ede7f6" };

    /// <summary>A laid-out tree (or lone box) in its own coordinates: origin top left, y down.</summary>
    private sealed record Piece(double Width, double Height, List<(GraphBox Box, double X, double Y)> Boxes, List<(GraphLink Link, List<ICurve> Curves, Point? Tip)> Links, Rectangle Frame);

    public static GraphLayout Of(IReadOnlyList<GraphBox> boxes, IReadOnlyList<GraphLink> links, Func<int, string> ownerName)
    {
        var layout = new GraphLayout();
        var frames = new List<(int Owner, double Width, double Height, List<(Piece Piece, double X, double Y)> Pieces)>();
        foreach (var owned in boxes.GroupBy(b => b.Owner).OrderBy(g => g.Key))
        {
            var pieces = Trees(owned.ToList(), links).Select(Lay).ToList();
            string title = Title(ownerName(owned.Key), owned.Sum(b => b.Objects.Count));
            double inner = MaxWidth - 2 * Pad - 2 * Pad;
            var placed = Shelves(pieces, p => (p.Width, p.Height), inner, out double w, out double h);
            frames.Add((owned.Key, Math.Max(w, GraphText.Width(title, GraphBox.FontSize) + 8) + 2 * Pad, Header + h + Pad, placed));
        }
        var framePlaces = Shelves(frames, f => (f.Width, f.Height), MaxWidth - 2 * Pad, out double width, out double height);
        int colour = 0;
        foreach (var (frame, fx, fy) in framePlaces)
        {
            double ox = Pad + fx, oy = Pad + fy;
            layout.Owners.Add(new PlacedOwner(frame.Owner, ownerName(frame.Owner), frame.Pieces.Sum(p => p.Piece.Boxes.Sum(b => b.Box.Objects.Count)),
                ox, oy, frame.Width, frame.Height, Fills[colour++ % Fills.Length]));
            foreach (var (piece, px, py) in frame.Pieces)
            {
                double x0 = ox + Pad + px, y0 = oy + Header + py;
                foreach (var (box, bx, by) in piece.Boxes) layout.Boxes.Add(new PlacedBox(box, x0 + bx, y0 + by));
                Point Map(Point p) => new(x0 + p.X - piece.Frame.Left, y0 + piece.Frame.Top - p.Y);
                foreach (var (link, curves, tip) in piece.Links) layout.Links.Add(Placed(link, curves, tip, Map));
            }
        }
        if (layout.Owners.Count > 0)
        {
            layout.Width = Math.Max(layout.Width, 2 * Pad + width);
            layout.Height = 2 * Pad + height;
        }
        RouteMoved(layout, links);
        return layout;
    }

    public static string Title(string owner, int objects) => $"{owner} ({objects} object{(objects == 1 ? "" : "s")})";

    /// <summary>The connected pieces of one domain's boxes (links inside the domain only), in index order.</summary>
    private static IEnumerable<(List<GraphBox> Boxes, List<GraphLink> Links)> Trees(List<GraphBox> owned, IReadOnlyList<GraphLink> links)
    {
        var mine = owned.ToHashSet();
        var inner = links.Where(l => mine.Contains(l.Parent) && mine.Contains(l.Child) && l.Parent != l.Child).ToList();
        var root = owned.ToDictionary(b => b, b => b);
        GraphBox Find(GraphBox b) { while (root[b] != b) b = root[b] = root[root[b]]; return b; }
        foreach (var l in inner)
        {
            var (a, b) = (Find(l.Parent), Find(l.Child));
            if (a != b) root[a.Objects[0].Index < b.Objects[0].Index ? b : a] = a.Objects[0].Index < b.Objects[0].Index ? a : b;
        }
        var linksOf = inner.ToLookup(l => Find(l.Parent));
        return owned.GroupBy(Find).Select(g => (g.ToList(), linksOf[g.Key].ToList()));
    }

    /// <summary>One tree laid out by MSAGL's layered layout; a lone box needs no layout.</summary>
    private static Piece Lay((List<GraphBox> Boxes, List<GraphLink> Links) tree)
    {
        if (tree.Links.Count == 0 && tree.Boxes.Count == 1)
        {
            var b = tree.Boxes[0];
            return new Piece(b.Width, b.Height, new() { (b, 0, 0) }, new(), new Rectangle(0, b.Height, b.Width, 0));
        }
        var graph = new GeometryGraph();
        var nodes = new Dictionary<GraphBox, Node>();
        foreach (var b in tree.Boxes)
        {
            var n = new Node(CurveFactory.CreateRectangle(b.Width, b.Height, new Point()), b);
            nodes[b] = n;
            graph.Nodes.Add(n);
        }
        var edges = new List<(GraphLink, Edge)>();
        foreach (var l in tree.Links)
        {
            var e = new Edge(nodes[l.Parent], nodes[l.Child]);
            e.EdgeGeometry.TargetArrowhead = new Arrowhead { Length = Arrow };
            graph.Edges.Add(e);
            edges.Add((l, e));
        }
        var settings = new SugiyamaLayoutSettings { NodeSeparation = NodeSeparation, LayerSeparation = LayerSeparation };
        LayoutHelpers.CalculateLayout(graph, settings, null);
        graph.UpdateBoundingBox();
        var frame = graph.BoundingBox;
        var placed = tree.Boxes.Select(b => (b, nodes[b].BoundingBox.Left - frame.Left, frame.Top - nodes[b].BoundingBox.Top)).ToList();
        var drawn = edges.Select(x => (x.Item1, Segments(x.Item2.Curve), x.Item2.EdgeGeometry.TargetArrowhead?.TipPosition)).ToList();
        return new Piece(frame.Width, frame.Height, placed, drawn, frame);
    }

    /// <summary>Arrows from a parent to an object another domain now owns, routed around every box by
    /// MSAGL's spline router once all boxes are in place (in SVG coordinates: the router has no up).</summary>
    private static void RouteMoved(GraphLayout layout, IReadOnlyList<GraphLink> links)
    {
        var moved = links.Where(l => l.Parent.Owner != l.Child.Owner).ToList();
        if (moved.Count == 0) return;
        var graph = new GeometryGraph();
        var nodes = new Dictionary<GraphBox, Node>();
        foreach (var p in layout.Boxes)
        {
            var n = new Node(CurveFactory.CreateRectangle(p.Box.Width, p.Box.Height, new Point(p.X + p.Box.Width / 2, p.Y + p.Box.Height / 2)), p.Box);
            nodes[p.Box] = n;
            graph.Nodes.Add(n);
        }
        var edges = new List<(GraphLink, Edge)>();
        foreach (var l in moved)
        {
            var e = new Edge(nodes[l.Parent], nodes[l.Child]);
            e.EdgeGeometry.TargetArrowhead = new Arrowhead { Length = Arrow };
            graph.Edges.Add(e);
            edges.Add((l, e));
        }
        new SplineRouter(graph, Pad / 2, Pad / 2, Math.PI / 6) { ContinueOnOverlaps = true }.Run();
        foreach (var (l, e) in edges)
            layout.Links.Add(Placed(l, Segments(e.Curve), e.EdgeGeometry.TargetArrowhead?.TipPosition, p => p));
    }

    private static List<ICurve> Segments(ICurve? curve) => curve switch
    {
        null => new(),
        Curve c => c.Segments.ToList(),
        _ => new() { curve },
    };

    private static PlacedLink Placed(GraphLink link, List<ICurve> curves, Point? tip, Func<Point, Point> map)
    {
        var sb = new System.Text.StringBuilder();
        static string P(Point p) => FormattableString.Invariant($"{p.X:0.#} {p.Y:0.#}");
        if (curves.Count > 0) sb.Append("M ").Append(P(map(curves[0].Start)));
        foreach (var c in curves)
        {
            if (c is CubicBezierSegment b) sb.Append(" C ").Append(P(map(b.B(1)))).Append(' ').Append(P(map(b.B(2)))).Append(' ').Append(P(map(b.B(3))));
            else if (c is LineSegment s) sb.Append(" L ").Append(P(map(s.End)));
            else
                for (int i = 1; i <= 12; i++) sb.Append(" L ").Append(P(map(c[c.ParStart + (c.ParEnd - c.ParStart) * i / 12])));
        }
        var end = curves.Count > 0 ? map(curves[^1].End) : new Point();
        var at = tip is { } t ? map(t) : end;
        var along = at - end;
        if (along.Length < 1e-6) along = new Point(0, Arrow);
        var dir = along / along.Length;
        var side = new Point(-dir.Y, dir.X) * (Arrow * 0.45);
        var baseAt = at - dir * Arrow;
        return new PlacedLink(link, sb.ToString(), at, baseAt + side, baseAt - side);
    }

    /// <summary>Packs items left to right in rows no wider than width (an item wider than that gets a row of its own).</summary>
    private static List<(T Item, double X, double Y)> Shelves<T>(IEnumerable<T> items, Func<T, (double W, double H)> size, double width, out double usedWidth, out double usedHeight)
    {
        var placed = new List<(T, double, double)>();
        double x = 0, y = 0, row = 0;
        usedWidth = 0;
        foreach (var item in items)
        {
            var (w, h) = size(item);
            if (x > 0 && x + w > width) { x = 0; y += row + Gap; row = 0; }
            placed.Add((item, x, y));
            usedWidth = Math.Max(usedWidth, x + w);
            x += w + Gap;
            row = Math.Max(row, h);
        }
        usedHeight = y + row;
        return placed;
    }
}

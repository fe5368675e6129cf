// kernel-ext/RedLeaf.Notebook/Graph: the shared heap drawn as inline SVG: one box per domain (the
// owner), one node per live allocation (type, kind, size), one arrow per RRef held inside another
// (dashed when the child was moved to another domain), borrowed objects outlined. Drawn from a
// HeapSnapshot, plain data the kernel owns, so the drawing outlives the domains in it. Inline SVG in
// text/html renders in Jupyter, in exported pages and in a headless browser, with no script.
using System.Globalization;
using System.Text;
using RedLeaf.Notebook.Html;
using RedLeaf.Os.Heap;
using static RedLeaf.Notebook.Html.Markup;

namespace RedLeaf.Notebook.Graph;

public sealed class OwnershipGraph : IRichView
{
    private static int s_drawings;

    public OwnershipGraph(HeapSnapshot snapshot, IReadOnlyDictionary<int, string> owners, string title = "Ownership graph")
    {
        Snapshot = snapshot;
        Owners = owners;
        Title = title;
    }

    public HeapSnapshot Snapshot { get; }
    /// <summary>Domain instance id to a display name ("dom_b#3"); the kernel's own id is "kernel".</summary>
    public IReadOnlyDictionary<int, string> Owners { get; }
    public string Title { get; }

    public string OwnerName(int id) => Owners.TryGetValue(id, out var n) ? n : $"domain #{id}";

    public string ToHtml() => Block("ownership-graph", $"{Title}: {Snapshot.Nodes.Count} objects, {Snapshot.Bytes} bytes, {Snapshot.Edges.Count} links", ToSvg());

    /// <summary>The drawing alone: an &lt;svg&gt; element sized to its content.</summary>
    public string ToSvg()
    {
        var layout = GraphLayout.Of(Snapshot, OwnerName);
        string arrow = $"rl-arrow-{Interlocked.Increment(ref s_drawings)}";
        var sb = new StringBuilder();
        sb.Append(Inv($"<svg class=\"redleaf-graph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{layout.Width}\" height=\"{layout.Height}\" viewBox=\"0 0 {layout.Width} {layout.Height}\" style=\"{Font}\">"));
        sb.Append($"<defs><marker id=\"{arrow}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>");
        if (Snapshot.Nodes.Count == 0)
            sb.Append("<text x=\"10\" y=\"24\" fill=\"#666\">the shared heap is empty</text>");
        foreach (var g in layout.Groups)
        {
            sb.Append(Inv($"<g class=\"domain\" data-owner=\"{g.Owner}\"><rect x=\"{g.X}\" y=\"{g.Y}\" width=\"{g.Width}\" height=\"{g.Height}\" rx=\"6\" fill=\"{g.Fill}\" stroke=\"#888\"/>"));
            sb.Append(Inv($"<text x=\"{g.X + 8}\" y=\"{g.Y + 15}\" font-weight=\"600\">{Escape(g.Name)} ({g.Count} objects)</text></g>"));
        }
        foreach (var e in layout.Edges)
        {
            string dash = e.Edge.SameOwner ? "" : " stroke-dasharray=\"5 3\"";
            sb.Append(Inv($"<line class=\"edge\" data-parent=\"{e.Edge.Parent}\" data-child=\"{e.Edge.Child}\" x1=\"{e.X1}\" y1=\"{e.Y1}\" x2=\"{e.X2}\" y2=\"{e.Y2}\" stroke=\"#555\"{dash} marker-end=\"url(#{arrow})\">"));
            sb.Append($"<title>#{e.Edge.Parent} holds #{e.Edge.Child}{(e.Edge.SameOwner ? "" : " (owned by another domain)")}</title></line>");
        }
        foreach (var n in layout.Nodes)
        {
            var h = n.Node;
            bool borrowed = h.Borrows > 0;
            string stroke = borrowed ? "stroke=\"#ef6c00\" stroke-width=\"2\" stroke-dasharray=\"4 2\"" : "stroke=\"#37474f\"";
            sb.Append(Inv($"<g class=\"rref{(borrowed ? " borrowed" : "")}\" data-index=\"{h.Index}\" data-owner=\"{h.Owner}\">"));
            sb.Append(Inv($"<rect x=\"{n.X}\" y=\"{n.Y}\" width=\"{GraphLayout.NodeWidth}\" height=\"{GraphLayout.NodeHeight}\" rx=\"3\" fill=\"white\" {stroke}/>"));
            sb.Append(Inv($"<text x=\"{n.X + 5}\" y=\"{n.Y + 14}\">#{h.Index} {Escape(Shorten(h.Type, 16))}</text>"));
            string second = $"{h.Kind.ToLowerInvariant()}{(h.Kind == "Value" ? "" : $"[{h.Length}]")}, {h.Bytes} B{(borrowed ? $", lent to #{h.Borrower}" : "")}";
            sb.Append(Inv($"<text x=\"{n.X + 5}\" y=\"{n.Y + 28}\" fill=\"#555\" font-size=\"11\">{Escape(second)}</text>"));
            sb.Append($"<title>RRef #{h.Index} (generation {h.Generation}) {Escape(h.Type)}: {Escape(second)}; owner {Escape(OwnerName(h.Owner))}</title></g>");
        }
        return sb.Append("</svg>").ToString();
    }

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public override string ToString()
    {
        var sb = new StringBuilder($"{Title}: {Snapshot.Nodes.Count} objects, {Snapshot.Bytes} bytes, {Snapshot.Edges.Count} links");
        foreach (var g in Snapshot.Nodes.GroupBy(n => n.Owner).OrderBy(g => g.Key))
        {
            sb.AppendLine().Append($"  {OwnerName(g.Key)}: ");
            sb.Append(string.Join(", ", g.Select(n => $"#{n.Index} {n.Type} ({n.Bytes} B{(n.Borrows > 0 ? $", lent to #{n.Borrower}" : "")})")));
        }
        foreach (var e in Snapshot.Edges) sb.AppendLine().Append($"  #{e.Parent} -> #{e.Child}{(e.SameOwner ? "" : " (moved away)")}");
        return sb.ToString();
    }
}

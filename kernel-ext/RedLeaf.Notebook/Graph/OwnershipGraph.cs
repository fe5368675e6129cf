// kernel-ext/RedLeaf.Notebook/Graph: the shared heap drawn as inline SVG: one frame per domain (the
// owner), one box per live allocation (type, size), one arrow per RRef held inside another (dashed when
// the child was moved to another domain), lent objects outlined with whom they are lent to. Runs of
// identical leaves are one "N × Type" box, listed object by object in a <details> under the drawing
// (LeafRuns; `collapse: false` draws every object). Placement is MSAGL's (GraphLayout). Drawn from a
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
    /// <param name="collapse">Draw runs of identical leaves (same type, size, owner and parent; at least
    /// four) as one "N × Type" box; false draws every object.</param>
    public OwnershipGraph(HeapSnapshot snapshot, IReadOnlyDictionary<int, string> owners, string title = "Ownership graph", bool collapse = true)
    {
        Snapshot = snapshot;
        Owners = owners;
        Title = title;
        Collapse = collapse;
    }

    public HeapSnapshot Snapshot { get; }
    /// <summary>Domain instance id to a display name ("dom_b#3"); the kernel's own id is "kernel".</summary>
    public IReadOnlyDictionary<int, string> Owners { get; }
    public string Title { get; }
    /// <summary>Whether runs of identical leaves are drawn as one "N × Type" box.</summary>
    public bool Collapse { get; }

    public string OwnerName(int id) => Owners.TryGetValue(id, out var n) ? n : id == SharedHeap.OrphanedOwner ? "orphaned (lent out when its owner crashed)" : $"domain #{id}";

    private string Heading => $"{Title}: {Snapshot.Nodes.Count} objects, {Snapshot.Bytes} bytes, {Snapshot.Edges.Count} links";

    public string ToHtml() => Block("ownership-graph", Heading, Drawing());

    /// <summary>The SVG and, for each collapsed run, a &lt;details&gt; list of its objects.</summary>
    internal string Drawing()
    {
        var (boxes, links) = LeafRuns.Of(Snapshot, OwnerName, Collapse);
        var sb = new StringBuilder(Svg(GraphLayout.Of(boxes, links, OwnerName)));
        foreach (var run in boxes.Where(b => b.IsRun))
        {
            var first = run.Objects[0];
            sb.Append($"<details class=\"run\" data-owner=\"{first.Owner}\" style=\"margin:2px 0\"><summary>{Escape(OwnerName(first.Owner))}: {Escape(run.Lines[0].Text)}, {Escape(GraphText.Bytes(run.Objects.Sum(o => o.Bytes)))}</summary>");
            sb.Append($"<div style=\"{Mono};padding:2px 0 4px 16px\">");
            sb.Append(string.Join(" ", run.Objects.Select(o => $"<span title=\"generation {o.Generation}, {Escape(GraphText.Bytes(o.Bytes))}\">#{o.Index}</span>")));
            sb.Append("</div></details>");
        }
        return sb.ToString();
    }

    /// <summary>The drawing alone: an &lt;svg&gt; element sized to its content (100% is its natural size).</summary>
    public string ToSvg()
    {
        var (boxes, links) = LeafRuns.Of(Snapshot, OwnerName, Collapse);
        return Svg(GraphLayout.Of(boxes, links, OwnerName));
    }

    private string Svg(GraphLayout layout)
    {
        var sb = new StringBuilder();
        double w = Math.Ceiling(layout.Width), h = Math.Ceiling(layout.Height);
        sb.Append(Inv($"<svg class=\"redleaf-graph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" style=\"{Font}\">"));
        if (Snapshot.Nodes.Count == 0)
            sb.Append("<text x=\"10\" y=\"24\" fill=\"#666\">the shared heap is empty</text>");
        foreach (var g in layout.Owners)
        {
            sb.Append(Inv($"<g class=\"domain\" data-owner=\"{g.Owner}\"><rect x=\"{g.X:0.#}\" y=\"{g.Y:0.#}\" width=\"{g.Width:0.#}\" height=\"{g.Height:0.#}\" rx=\"6\" fill=\"{g.Fill}\" stroke=\"#888\"/>"));
            sb.Append(Inv($"<text x=\"{g.X + 8:0.#}\" y=\"{g.Y + 16:0.#}\" font-weight=\"600\">{Escape(GraphLayout.Title(g.Name, g.Objects))}</text></g>"));
        }
        foreach (var l in layout.Links)
        {
            var link = l.Link;
            string children = string.Join(" ", link.Edges.Select(e => e.Child));
            string dash = link.Moved ? " stroke-dasharray=\"5 3\"" : "";
            sb.Append(Inv($"<path class=\"edge{(link.Moved ? " moved" : "")}\" data-parent=\"{link.Edges[0].Parent}\" data-child=\"{children}\" d=\"{l.Path}\" fill=\"none\" stroke=\"#555\"{dash}>"));
            sb.Append($"<title>#{link.Edges[0].Parent} holds {Escape(link.Child.IsRun ? $"{link.Child.Lines[0].Text} ({GraphText.Indices(link.Edges.Select(e => e.Child))})" : $"#{children}")}{(link.Moved ? " (owned by another domain)" : "")}</title></path>");
            sb.Append(Inv($"<path class=\"arrow\" d=\"M {l.Tip.X:0.#} {l.Tip.Y:0.#} L {l.Left.X:0.#} {l.Left.Y:0.#} L {l.Right.X:0.#} {l.Right.Y:0.#} z\" fill=\"#555\"/>"));
        }
        foreach (var p in layout.Boxes)
        {
            var box = p.Box;
            var first = box.Objects[0];
            string cls = "rref" + (box.IsRun ? " run" : "") + (box.Lent ? " borrowed" : "");
            string stroke = box.Lent ? "stroke=\"#ef6c00\" stroke-width=\"2\" stroke-dasharray=\"4 2\""
                : box.IsRun ? "stroke=\"#37474f\" stroke-width=\"2\"" : "stroke=\"#37474f\"";
            string indices = string.Join(" ", box.Objects.Select(o => o.Index));
            sb.Append(Inv($"<g class=\"{cls}\" data-index=\"{indices}\" data-owner=\"{box.Owner}\"{(box.IsRun ? $" data-count=\"{box.Objects.Count}\"" : "")}>"));
            sb.Append(Inv($"<rect class=\"box\" x=\"{p.X:0.#}\" y=\"{p.Y:0.#}\" width=\"{box.Width:0.#}\" height=\"{box.Height:0.#}\" rx=\"3\" fill=\"{(box.IsRun ? "#f5f5f5" : "white")}\" {stroke}/>"));
            for (int i = 0; i < box.Lines.Count; i++)
            {
                var (text, size, colour) = box.Lines[i];
                double y = p.Y + GraphBox.PadY + GraphBox.LineHeight * (i + 1) - 3;
                sb.Append(Inv($"<text x=\"{p.X + GraphBox.PadX:0.#}\" y=\"{y:0.#}\" font-size=\"{size}\"{(colour == "" ? "" : $" fill=\"{colour}\"")}>{Escape(text)}</text>"));
            }
            string what = box.IsRun
                ? $"{box.Objects.Count} identical {GraphText.TypeName(first)} ({GraphText.Indices(box.Objects.Select(o => o.Index))}), {GraphText.Bytes(box.Objects.Sum(o => o.Bytes))}; listed under the drawing"
                : $"RRef #{first.Index} (generation {first.Generation}) {GraphText.TypeName(first)}, {GraphText.Bytes(first.Bytes)}{(box.Lent ? $", lent to {OwnerName(first.Borrower)}" : "")}";
            sb.Append($"<title>{Escape(what)}; owner {Escape(OwnerName(box.Owner))}</title></g>");
        }
        return sb.Append("</svg>").ToString();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>Plain text for outputs without HTML: per domain its objects (runs folded as in the
    /// drawing), then the links.</summary>
    public override string ToString()
    {
        var (boxes, links) = LeafRuns.Of(Snapshot, OwnerName, Collapse);
        var sb = new StringBuilder(Heading);
        foreach (var g in boxes.GroupBy(b => b.Owner).OrderBy(g => g.Key))
        {
            sb.AppendLine().Append($"  {GraphLayout.Title(OwnerName(g.Key), g.Sum(b => b.Objects.Count))}: ");
            sb.Append(string.Join(", ", g.Select(b => b.IsRun
                ? $"{b.Lines[0].Text} ({GraphText.Indices(b.Objects.Select(o => o.Index))}, {GraphText.Bytes(b.Objects.Sum(o => o.Bytes))})"
                : $"#{b.Objects[0].Index} {GraphText.TypeName(b.Objects[0])} ({GraphText.Bytes(b.Objects[0].Bytes)}{(b.Lent ? $", lent to {OwnerName(b.Objects[0].Borrower)}" : "")})")));
        }
        foreach (var l in links)
            sb.AppendLine().Append($"  #{l.Edges[0].Parent} -> {(l.Child.IsRun ? $"{l.Child.Lines[0].Text} ({GraphText.Indices(l.Edges.Select(e => e.Child))})" : $"#{l.Edges[0].Child}")}{(l.Moved ? " (moved away)" : "")}");
        return sb.ToString();
    }
}

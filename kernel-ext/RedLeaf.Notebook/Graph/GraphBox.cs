// kernel-ext/RedLeaf.Notebook/Graph: what the ownership graph draws: a box is one live allocation or a
// run of identical leaves (same type, size, owner and parent) drawn once as "N × Type"; a link is one
// arrow from a parent's box to a child's box, standing for every snapshot edge between the two.
using RedLeaf.Os.Heap;

namespace RedLeaf.Notebook.Graph;

internal sealed class GraphBox
{
    public const double FontSize = 13, SmallFontSize = 11, PadX = 6, LineHeight = 14, PadY = 6, MaxWidth = 260, MinWidth = 96;

    public GraphBox(int id, IReadOnlyList<HeapNode> objects, Func<int, string> ownerName)
    {
        Id = id;
        Objects = objects;
        var first = objects[0];
        Owner = first.Owner;
        if (IsRun)
        {
            Lines.Add(($"{objects.Count} × {GraphText.TypeName(first)}", FontSize, ""));
            Lines.Add(($"{GraphText.Bytes(objects.Sum(o => o.Bytes))}, {GraphText.Bytes(first.Bytes)} each", SmallFontSize, "#555"));
        }
        else
        {
            Lines.Add(($"#{first.Index} {GraphText.TypeName(first)}", FontSize, ""));
            Lines.Add((first.Kind == "Deque" ? $"deque, {GraphText.Bytes(first.Bytes)}" : GraphText.Bytes(first.Bytes), SmallFontSize, "#555"));
            if (Lent) Lines.Add(($"lent to {ownerName(first.Borrower)}", SmallFontSize, "#e65100"));
        }
        double widest = Lines.Max(l => GraphText.Width(l.Text, l.Size));
        Width = Math.Ceiling(Math.Clamp(widest + 2 * PadX, MinWidth, MaxWidth));
        for (int i = 0; i < Lines.Count; i++)
            Lines[i] = (GraphText.Fit(Lines[i].Text, Lines[i].Size, Width - 2 * PadX), Lines[i].Size, Lines[i].Colour);
        Height = Lines.Count * LineHeight + 2 * PadY;
    }

    public int Id { get; }
    public IReadOnlyList<HeapNode> Objects { get; }
    public int Owner { get; }
    public bool IsRun => Objects.Count > 1;
    public bool Lent => !IsRun && Objects[0].Borrows > 0;
    /// <summary>The text lines, each cut to fit the box: text, font size, colour ("" for the default).</summary>
    public List<(string Text, double Size, string Colour)> Lines { get; } = new();
    public double Width { get; }
    public double Height { get; }
}

/// <summary>An arrow from a parent's box to a child's box; <see cref="Edges"/> are the snapshot edges it
/// stands for (more than one when the child box is a run). Moved when the child lives in another domain.</summary>
internal sealed record GraphLink(GraphBox Parent, GraphBox Child, IReadOnlyList<HeapEdge> Edges)
{
    public bool Moved => Parent.Owner != Child.Owner || Edges.Any(e => !e.SameOwner);
}

// tests/kernel-ext/RedLeaf.Notebook: the ownership graph's geometry, read back from the SVG it draws: on a
// thousand objects shaped like the notebooks' (rv6's block buffers, the tour's Pairs with their Payloads,
// packet batches, notes, lent objects and objects moved to another domain) every child sits below its
// parent, no two boxes overlap, each box stays in its domain's frame, the folded runs account for every
// object of the snapshot, and the drawing fits a page at a readable size.
using System.Globalization;
using System.Xml.Linq;
using RedLeaf.Notebook.Graph;
using RedLeaf.Os.Heap;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
public class OwnershipGraphLayoutTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly Dictionary<int, string> Names = new() { [3] = "fs#3", [4] = "app#4", [5] = "net#5", [6] = "notes#6" };

    /// <summary>1,000 objects: 240 block buffers in fs; 100 Pairs with two Payloads each in app (five of them
    /// lent to net); 10 packet batches of 30 Packets in net; 140 Notes, and 10 Replies that app's first ten
    /// Pairs hold but notes now owns.</summary>
    internal static HeapSnapshot Thousand()
    {
        var nodes = new List<HeapNode>();
        var edges = new List<HeapEdge>();
        int Add(int owner, string type, string kind, int length, long bytes, int borrower = 0)
        {
            nodes.Add(new HeapNode(nodes.Count + 1, 1, owner, type, kind, length, bytes, borrower == 0 ? 0 : 1, borrower));
            return nodes.Count;
        }
        for (int i = 0; i < 240; i++) Add(3, "Byte", "Array", 1024, 1024);
        var pairs = new List<int>();
        for (int i = 0; i < 100; i++)
        {
            int pair = Add(4, "Pair", "Value", 1, 24);
            pairs.Add(pair);
            edges.Add(new HeapEdge(pair, Add(4, "Payload", "Value", 1, 16, borrower: i % 20 == 0 ? 5 : 0), true));
            edges.Add(new HeapEdge(pair, Add(4, "Payload", "Value", 1, 16), true));
        }
        for (int i = 0; i < 10; i++)
        {
            int batch = Add(5, "Batch", "Value", 1, 64);
            for (int j = 0; j < 30; j++) edges.Add(new HeapEdge(batch, Add(5, "Packet", "Value", 1, 1514), true));
        }
        for (int i = 0; i < 140; i++) Add(6, "Note", "Value", 1, 32);
        for (int i = 0; i < 10; i++) edges.Add(new HeapEdge(pairs[i], Add(6, "Reply", "Value", 1, 48), false));
        return new HeapSnapshot(nodes, edges, DateTimeOffset.UtcNow);
    }

    private sealed record Box(int[] Indices, int Owner, int Count, double X, double Y, double W, double H, XElement Element);

    private static double D(XElement e, string attribute) => double.Parse((string)e.Attribute(attribute)!, CultureInfo.InvariantCulture);

    private static bool Has(XElement e, string cls) => ((string?)e.Attribute("class"))?.Split(' ').Contains(cls) == true;

    private static List<Box> Boxes(XElement svg) => svg.Descendants(Svg + "g").Where(g => Has(g, "rref")).Select(g =>
    {
        var rect = g.Elements(Svg + "rect").Single(r => Has(r, "box"));
        return new Box(((string)g.Attribute("data-index")!).Split(' ').Select(int.Parse).ToArray(), (int)g.Attribute("data-owner")!,
            g.Attribute("data-count") is { } c ? (int)c : 1, D(rect, "x"), D(rect, "y"), D(rect, "width"), D(rect, "height"), g);
    }).ToList();

    /// <summary>A text's width erring wide, from DejaVu Sans's advances (the widest common sans-serif a
    /// browser falls back to): letters and digits up to 0.64 em, capitals 0.8 em, m, w, M, W and signs up to 0.9 em,
    /// spaces and thin punctuation 0.32 em.</summary>
    private static double Wide(XElement text)
    {
        double size = text.Attribute("font-size") is { } s ? double.Parse(s.Value, CultureInfo.InvariantCulture) : 13;
        return text.Value.Sum(c => c switch
        {
            ' ' or '.' or ',' or ':' or 'i' or 'l' or 'j' => 0.32,
            'm' or 'w' or 'M' or 'W' or '#' or '×' or '…' or '–' or '%' or '<' or '>' => 0.9,
            >= 'A' and <= 'Z' => 0.8,
            _ => 0.64,
        }) * size;
    }

    private static bool Overlap((double X, double Y, double W, double H) a, (double X, double Y, double W, double H) b) =>
        a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ChildrenSitBelowTheirParentsAndNoBoxesOverlap(bool collapse)
    {
        var snapshot = Thousand();
        var svg = XElement.Parse(new OwnershipGraph(snapshot, Names, collapse: collapse).ToSvg());
        var boxes = Boxes(svg);
        var boxOf = boxes.SelectMany(b => b.Indices.Select(i => (i, b))).ToDictionary(x => x.i, x => x.b);

        var edges = svg.Descendants(Svg + "path").Where(p => Has(p, "edge")).ToList();
        Assert.NotEmpty(edges);
        int checkedLinks = 0;
        foreach (var e in edges.Where(e => !Has(e, "moved")))
        {
            var parent = boxOf[(int)e.Attribute("data-parent")!];
            foreach (var child in ((string)e.Attribute("data-child")!).Split(' ').Select(int.Parse).Select(i => boxOf[i]).Distinct())
            {
                Assert.True(child.Y >= parent.Y + parent.H, $"#{child.Indices[0]} (y {child.Y}) is drawn below its parent #{parent.Indices[0]} (bottom {parent.Y + parent.H})");
                checkedLinks++;
            }
        }
        Assert.True(checkedLinks >= 100, $"only {checkedLinks} parent-child links were checked");
        Assert.Equal(10, edges.Count(e => Has(e, "moved")));

        for (int i = 0; i < boxes.Count; i++)
            for (int j = i + 1; j < boxes.Count; j++)
                Assert.False(Overlap((boxes[i].X, boxes[i].Y, boxes[i].W, boxes[i].H), (boxes[j].X, boxes[j].Y, boxes[j].W, boxes[j].H)),
                    $"boxes #{boxes[i].Indices[0]} and #{boxes[j].Indices[0]} overlap");

        var frames = svg.Descendants(Svg + "g").Where(g => Has(g, "domain"))
            .Select(g => (Owner: (int)g.Attribute("data-owner")!, Rect: g.Element(Svg + "rect")!)).ToList();
        Assert.Equal(4, frames.Count);
        foreach (var b in boxes)
        {
            var f = frames.Single(f => f.Owner == b.Owner).Rect;
            Assert.True(b.X >= D(f, "x") && b.Y >= D(f, "y") && b.X + b.W <= D(f, "x") + D(f, "width") && b.Y + b.H <= D(f, "y") + D(f, "height"),
                $"box #{b.Indices[0]} lies inside its domain's frame");
        }
        for (int i = 0; i < frames.Count; i++)
            for (int j = i + 1; j < frames.Count; j++)
            {
                var (a, c) = (frames[i].Rect, frames[j].Rect);
                Assert.False(Overlap((D(a, "x"), D(a, "y"), D(a, "width"), D(a, "height")), (D(c, "x"), D(c, "y"), D(c, "width"), D(c, "height"))), "domain frames overlap");
            }
    }

    [Fact]
    public void CollapsedRunsAddUpToTheSnapshotAndAreListedInTheHtml()
    {
        var snapshot = Thousand();
        var graph = new OwnershipGraph(snapshot, Names);
        var svg = XElement.Parse(graph.ToSvg());
        var boxes = Boxes(svg);
        Assert.Equal(snapshot.Nodes.Count, boxes.Sum(b => b.Count));
        Assert.Equal(snapshot.Nodes.Select(n => n.Index).Order(), boxes.SelectMany(b => b.Indices).Order());
        Assert.All(boxes, b => Assert.Equal(b.Count, b.Indices.Length));

        var runs = boxes.Where(b => Has(b.Element, "run")).ToList();
        // fs's 240 buffers, notes' 140 Notes and each batch's 30 Packets; the Pairs' two Payloads stay apart.
        Assert.Equal(new[] { 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 140, 240 }, runs.Select(r => r.Count).Order());
        Assert.True(boxes.Count < 400, $"{boxes.Count} boxes for 1,000 objects");
        foreach (var r in runs)
        {
            var n = snapshot.Nodes.Where(x => r.Indices.Contains(x.Index)).ToList();
            Assert.Single(n.Select(x => (x.Owner, x.Type, x.Kind, x.Length, x.Bytes)).Distinct());
            Assert.StartsWith($"{r.Count} × ", r.Element.Elements(Svg + "text").First().Value);
        }
        Assert.Contains(">240 × byte[1024]<", svg.ToString());
        Assert.Contains(">240 KiB, 1 KiB each<", svg.ToString());

        var edges = svg.Descendants(Svg + "path").Where(p => Has(p, "edge"))
            .SelectMany(p => ((string)p.Attribute("data-child")!).Split(' ').Select(c => $"{p.Attribute("data-parent")!.Value}->{c}")).Order();
        Assert.Equal(snapshot.Edges.Select(e => $"{e.Parent}->{e.Child}").Order(), edges);

        var html = XElement.Parse($"<root>{graph.ToHtml()}</root>");
        var details = html.Descendants("details").ToList();
        Assert.Equal(runs.Count, details.Count);
        Assert.Equal(runs.Sum(r => r.Count), details.Sum(d => d.Descendants("span").Count()));
        Assert.Contains(details, d => d.Element("summary")!.Value == "fs#3: 240 × byte[1024], 240 KiB");
    }

    [Fact]
    public void AThousandObjectsFitAPageAtReadableSizeWithLabelsInsideTheirBoxes()
    {
        var svg = XElement.Parse(new OwnershipGraph(Thousand(), Names).ToSvg());
        Assert.True(D(svg, "width") <= 1280, $"the 1,000-object drawing is {D(svg, "width")} px wide at 100%");
        Assert.Equal($"0 0 {svg.Attribute("width")!.Value} {svg.Attribute("height")!.Value}", (string)svg.Attribute("viewBox")!);
        Assert.Contains("font-size:13px", (string)svg.Attribute("style")!);
        var sizes = svg.Descendants(Svg + "text").Select(t => t.Attribute("font-size") is { } s ? double.Parse(s.Value, CultureInfo.InvariantCulture) : 13).ToList();
        Assert.True(sizes.Min() >= 10, $"the smallest text is {sizes.Min()} px");

        foreach (var b in Boxes(svg))
            foreach (var t in b.Element.Elements(Svg + "text"))
            {
                Assert.True(D(t, "x") >= b.X && D(t, "x") + Wide(t) <= b.X + b.W, $"\"{t.Value}\" runs past its box ({b.W} px wide)");
            }
    }

    [Fact]
    public void LongNamesAreCutToTheBoxAndLentToNamesTheBorrower()
    {
        var snapshot = new HeapSnapshot(new[]
        {
            new HeapNode(1, 1, 4, "Dictionary<Int32,RRefArray<Byte>>WithAnAbsurdlyLongName", "Value", 1, 16, 0, 0),
            new HeapNode(2, 1, 4, "Payload", "Value", 1, 16, Borrows: 1, Borrower: 9),
        }, Array.Empty<HeapEdge>(), DateTimeOffset.UtcNow);
        var names = new Dictionary<int, string> { [4] = "app#4", [9] = "a_domain_with_a_rather_long_name#9" };
        var graph = new OwnershipGraph(snapshot, names);
        var svg = XElement.Parse(graph.ToSvg());
        foreach (var b in Boxes(svg))
            foreach (var t in b.Element.Elements(Svg + "text"))
                Assert.True(D(t, "x") + Wide(t) <= b.X + b.W, $"\"{t.Value}\" runs past its box ({b.W} px wide)");
        var lent = Assert.Single(Boxes(svg), b => Has(b.Element, "borrowed"));
        Assert.StartsWith("lent to a_domain", lent.Element.Elements(Svg + "text").Last().Value);
        Assert.Contains("lent to a_domain_with_a_rather_long_name#9", graph.ToString());
    }

    [Fact]
    public void ArraysReadAsCSharpAndCollapsingCanBeTurnedOff()
    {
        var snapshot = new HeapSnapshot(Enumerable.Range(1, 60).Select(i => new HeapNode(i, 1, 3, "Byte", "Array", 1024, 1024, 0, 0)).ToList(),
            Array.Empty<HeapEdge>(), DateTimeOffset.UtcNow);
        var folded = new OwnershipGraph(snapshot, Names);
        Assert.True(folded.Collapse);
        var run = Assert.Single(Boxes(XElement.Parse(folded.ToSvg())));
        Assert.Equal(60, run.Count);
        Assert.Equal("60 × byte[1024]", run.Element.Elements(Svg + "text").First().Value);
        Assert.DoesNotContain("Byte", folded.ToSvg());
        Assert.Contains("fs#3 (60 objects): 60 × byte[1024] (#1–#60, 60 KiB)", folded.ToString());

        var every = new OwnershipGraph(snapshot, Names, collapse: false);
        var boxes = Boxes(XElement.Parse(every.ToSvg()));
        Assert.Equal(60, boxes.Count);
        Assert.All(boxes, b => Assert.Equal(1, b.Count));
        Assert.Equal("#7 byte[1024]", boxes.Single(b => b.Indices[0] == 7).Element.Elements(Svg + "text").First().Value);
        Assert.DoesNotContain("<details", every.ToHtml());
        Assert.Contains("#60 byte[1024] (1 KiB)", every.ToString());
        var generic = new HeapSnapshot(new[] { new HeapNode(1, 1, 3, "Slot<Int32>", "Array", 8, 32, 0, 0) }, Array.Empty<HeapEdge>(), DateTimeOffset.UtcNow);
        Assert.Contains("#1 Slot<int>[8]", new OwnershipGraph(generic, Names).ToString());
    }
}

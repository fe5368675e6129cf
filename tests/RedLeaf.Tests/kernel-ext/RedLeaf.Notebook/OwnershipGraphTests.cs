// tests/kernel-ext/RedLeaf.Notebook: the ownership graph is checked against the heap snapshot it was drawn from: one
// node per live allocation, one edge per parent-child link, borrowed objects marked, owners as
// groups; the SVG parses as XML and stays readable (bounded width) from 1 to 200 objects.
using System.Xml.Linq;
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Notebook.Graph;
using RedLeaf.Os;
using RedLeaf.Os.Heap;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
public class OwnershipGraphTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XElement Draw(HeapSnapshot s, out OwnershipGraph graph)
    {
        graph = new OwnershipGraph(s, new Dictionary<int, string> { [Microkernel.KernelId] = "kernel" });
        return XElement.Parse(graph.ToSvg());
    }

    private static IEnumerable<XElement> Class(XElement svg, string name, string element = "g") =>
        svg.Descendants(Svg + element).Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(name) == true);

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(200)]
    public void OneNodePerAllocationAndOneEdgePerLink(int objects)
    {
        using var kernel = Microkernel.Boot();
        using (kernel.Enter())
        {
            int made = 0;
            while (made < objects)
            {
                if (objects - made >= 3)
                {
                    _ = RRef<Pair>.New(new Pair { Left = RRef<Payload>.New(new Payload(made, 0)), Right = RRef<Payload>.New(new Payload(0, made)), Tag = made });
                    made += 3;
                }
                else { _ = RRef<Payload>.New(new Payload(made, made)); made++; }
            }
        }
        var snapshot = kernel.Heap.Snapshot();
        Assert.Equal(objects, snapshot.Nodes.Count);
        var svg = Draw(snapshot, out _);
        var nodes = Class(svg, "rref").ToList();
        Assert.Equal(snapshot.Nodes.Count, nodes.Count);
        Assert.Equal(snapshot.Nodes.Select(n => n.Index.ToString()).Order(), nodes.Select(n => (string)n.Attribute("data-index")!).Order());
        var edges = Class(svg, "edge", "path").ToList();
        Assert.Equal(snapshot.Edges.Count, edges.Count);
        Assert.Equal(snapshot.Edges.Select(e => $"{e.Parent}->{e.Child}").Order(), edges.Select(e => $"{e.Attribute("data-parent")!.Value}->{e.Attribute("data-child")!.Value}").Order());
        Assert.Single(Class(svg, "domain"));
        Assert.True(double.Parse((string)svg.Attribute("width")!) <= 1200, "the drawing stays within a page's width");
    }

    [Fact]
    public void BorrowedObjectsAreMarkedAndAnEmptyHeapSaysSo()
    {
        using var kernel = Microkernel.Boot();
        var empty = Draw(kernel.Heap.Snapshot(), out var g);
        Assert.Empty(Class(empty, "rref"));
        Assert.Contains("empty", g.ToSvg());

        var snapshot = new HeapSnapshot(
            new[] { new HeapNode(1, 1, 1, "Payload", "Value", 1, 16, Borrows: 1, Borrower: 7), new HeapNode(2, 1, 7, "Payload", "Value", 1, 16, 0, 0) },
            Array.Empty<HeapEdge>(), DateTimeOffset.UtcNow);
        var svg = Draw(snapshot, out var graph);
        var borrowed = Assert.Single(Class(svg, "borrowed"));
        Assert.Equal("1", (string)borrowed.Attribute("data-index")!);
        Assert.Equal(2, Class(svg, "domain").Count());
        Assert.Contains("domain #7", graph.ToString() + svg.ToString());
    }
}

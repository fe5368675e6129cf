// os/kernel/Heap: a frozen picture of the shared heap: one node per live allocation, one edge per
// RRef stored inside another. Plain data owned by the kernel (no domain types), so notebooks can
// draw it and keep it after the domains in it are gone.
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Os.Heap;

public sealed record HeapNode(int Index, int Generation, int Owner, string Type, string Kind, int Length, long Bytes, int Borrows, int Borrower);

/// <summary>A parent holds a handle to a child. <see cref="SameOwner"/> is false when the child was moved away.</summary>
public sealed record HeapEdge(int Parent, int Child, bool SameOwner);

public sealed record HeapSnapshot(IReadOnlyList<HeapNode> Nodes, IReadOnlyList<HeapEdge> Edges, DateTimeOffset Taken)
{
    public long Bytes => Nodes.Sum(n => n.Bytes);

    /// <summary>Nodes no other live node points to (the roots a domain holds directly).</summary>
    public IEnumerable<HeapNode> Roots => Nodes.Where(n => !Edges.Any(e => e.Child == n.Index));

    public override string ToString() => $"HeapSnapshot: {Nodes.Count} objects, {Bytes} bytes, {Edges.Count} links";
}

public sealed unsafe partial class SharedHeap
{
    private struct EdgeVisitor : IChildVisitor
    {
        public SharedHeap Heap;
        public List<HeapEdge> Edges;
        public void Visit(HeapEntry* parent, HeapEntry* child) =>
            Edges.Add(new HeapEdge(Heap.IndexOf(parent), Heap.IndexOf(child), Heap.EffectiveOwner(parent) == Heap.EffectiveOwner(child)));
    }

    /// <summary>The allocation an RRef names, as a snapshot node; null if the handle is null or stale
    /// (the object was dropped, or the slot reused). For notebooks and tests: "is this the same buffer?"</summary>
    public HeapNode? Describe<T>(RRef<T> r) where T : unmanaged => Describe(r.Handle);

    /// <inheritdoc cref="Describe{T}(RRef{T})"/>
    public HeapNode? Describe<T>(RRefArray<T> r) where T : unmanaged => Describe(r.Handle);

    /// <inheritdoc cref="Describe{T}(RRef{T})"/>
    public HeapNode? Describe<T>(RRefDeque<T> r) where T : unmanaged => Describe(r.Handle);

    private HeapNode? Describe(ulong handle)
    {
        if (handle == 0) return null;
        lock (_gate)
        {
            var e = Raw(handle);
            return e == null ? null : Node(e);
        }
    }

    private HeapNode Node(HeapEntry* e) => new(IndexOf(e), e->Generation, EffectiveOwner(e), TypeLayout.Of(e->TypeId).Name, e->Kind.ToString(),
        e->Length, ObjectBytes(e), e->Borrows, e->Borrower);

    /// <summary>Takes a consistent snapshot (allocation is paused while it runs).</summary>
    public HeapSnapshot Snapshot()
    {
        lock (_gate)
        {
            var nodes = new List<HeapNode>();
            var v = new EdgeVisitor { Heap = this, Edges = new List<HeapEdge>() };
            for (int i = 1; i < _highWater; i++)
            {
                var e = _table.Entries + i;
                if (e->Owner == 0) continue;
                nodes.Add(Node(e));
                if ((e->Flags & HeapEntry.HasChildren) != 0) ForEachChild(e, ref v);
            }
            return new HeapSnapshot(nodes, v.Edges, DateTimeOffset.UtcNow);
        }
    }
}

// os/kernel/Heap: the walks over RRef trees: moving, lending and dropping a whole tree, and the
// cleanup after a crash. Walks use an explicit stack (no recursion: a long chain of RRefs must not
// overflow the kernel's stack) and each node changes state once, so even a cycle a domain managed
// to build ends the walk. A leaf inside a deque is owned through the deque (its Owner is minus the
// deque's slot): walks that move or lend leave it alone, walks that check or drop take it as owned.
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Os.Heap;

public sealed unsafe partial class SharedHeap
{
    [ThreadStatic] private static Stack<nint>? t_walk;
    private int _epoch;

    private static Stack<nint> WalkStack()
    {
        var s = t_walk ??= new Stack<nint>(64);
        s.Clear();
        return s;
    }

    /// <summary>Calls <paramref name="visit"/> on each live child handle stored in <paramref name="e"/>.</summary>
    internal void ForEachChild<TVisitor>(HeapEntry* e, ref TVisitor visit) where TVisitor : struct, IChildVisitor
    {
        var offsets = TypeLayout.Of(e->TypeId).ChildOffsets;
        byte* elements = e->Kind == HeapKind.Deque ? e->Data + RRefDeque<byte>.HeaderBytes : e->Data;
        for (int i = 0; i < e->Length; i++)
        {
            byte* element = elements + (long)i * e->ElementSize;
            foreach (int off in offsets)
            {
                ulong h = *(ulong*)(element + off);
                if (h == 0) continue;
                var child = Raw(h);
                if (child != null) visit.Visit(e, child);
            }
        }
    }

    internal interface IChildVisitor { void Visit(HeapEntry* parent, HeapEntry* child); }

    private struct MoveVisitor : IChildVisitor
    {
        public int From, To;
        public Stack<nint> Pending;
        public void Visit(HeapEntry* parent, HeapEntry* child)
        {
            if (child->Owner != From) return; // not part of this tree any more (moved or already visited)
            child->Owner = To;
            if ((child->Flags & HeapEntry.HasChildren) != 0) Pending.Push((nint)child);
        }
    }

    internal void MoveChildren(HeapEntry* root, int from, int to)
    {
        var stack = WalkStack();
        var v = new MoveVisitor { From = from, To = to, Pending = stack };
        ForEachChild(root, ref v);
        while (stack.Count > 0) ForEachChild((HeapEntry*)stack.Pop(), ref v);
    }

    /// <summary>True if <paramref name="child"/> is owned through <paramref name="parent"/> (a leaf inside a deque).</summary>
    private static bool ContainedIn(HeapEntry* child, HeapEntry* parent, HeapEntry* entries) =>
        child->Owner == -(int)(parent - entries) && child->ContainerGeneration == parent->Generation;

    private struct OwnedVisitor : IChildVisitor
    {
        public int Owner, Epoch;
        public bool Foreign;
        public Stack<nint> Pending;
        public HeapEntry* Entries;
        public void Visit(HeapEntry* parent, HeapEntry* child)
        {
            if (child->Mark == Epoch) return;
            child->Mark = Epoch;
            if ((child->Borrows | child->LentChildren) != 0) { Foreign = true; return; } // lent out: it stays where the borrower can read it
            if (ContainedIn(child, parent, Entries)) return;
            if (child->Owner != Owner) Foreign = true;
            else if ((child->Flags & HeapEntry.HasChildren) != 0) Pending.Push((nint)child);
        }
    }

    internal bool ChildrenOwned(HeapEntry* root, int owner)
    {
        var stack = WalkStack();
        var v = new OwnedVisitor { Owner = owner, Epoch = Interlocked.Increment(ref _epoch), Pending = stack, Entries = _table.Entries };
        root->Mark = v.Epoch;
        ForEachChild(root, ref v);
        while (!v.Foreign && stack.Count > 0) ForEachChild((HeapEntry*)stack.Pop(), ref v);
        return !v.Foreign;
    }

    private struct BorrowVisitor : IChildVisitor
    {
        public int Owner, Borrower, Delta, Epoch;
        public Stack<nint> Pending;
        public void Visit(HeapEntry* parent, HeapEntry* child)
        {
            if (child->Owner != Owner || child->Mark == Epoch) return;
            child->Mark = Epoch;
            child->Borrows += Delta;
            child->Borrower = Borrower;
            if ((child->Flags & HeapEntry.HasChildren) != 0) Pending.Push((nint)child);
        }
    }

    internal void BorrowChildren(HeapEntry* root, int owner, int borrower, int delta)
    {
        var stack = WalkStack();
        var v = new BorrowVisitor { Owner = owner, Borrower = borrower, Delta = delta, Epoch = Interlocked.Increment(ref _epoch), Pending = stack };
        root->Mark = v.Epoch;
        ForEachChild(root, ref v);
        while (stack.Count > 0) ForEachChild((HeapEntry*)stack.Pop(), ref v);
    }

    private struct CollectVisitor : IChildVisitor
    {
        public int Owner, Epoch;
        public Stack<nint> Pending;
        public HeapEntry* Entries;
        public void Visit(HeapEntry* parent, HeapEntry* child)
        {
            if ((child->Owner != Owner && !ContainedIn(child, parent, Entries)) || child->Mark == Epoch) return;
            child->Mark = Epoch;
            Pending.Push((nint)child);
        }
    }

    /// <summary>Frees <paramref name="root"/> and every child owned by the same domain, children first. With
    /// <paramref name="waitFor"/> (the owner's cell), the tree leaves the registry first (every check fails from
    /// then on); if the owner may race itself (read after that), the accesses its threads began before are waited
    /// for; only then does the memory go back on the free lists.</summary>
    internal (int Objects, long Bytes) DropTree(HeapEntry* root, Quarantine? quarantine = null, DomainCell* waitFor = null, ulong expect = 0)
    {
        if (waitFor == null) return DropTreeNow(root, quarantine, expect);
        List<nint> order;
        lock (_gate)
        {
            // The check that let this drop go ahead ran outside the lock: a crash cleanup of the same domain (another
            // of its threads faulted) may have taken the tree meanwhile. Freeing it again would put its slots and
            // blocks on the free lists twice, and two later allocations would share them.
            if (root->Owner <= 0 || (expect != 0 && *(ulong*)&root->Generation != expect)) return (0, 0);
            order = Gather(root);
            foreach (var e in order) ((HeapEntry*)e)->Owner = 0; // out of the registry: checks fail, walks skip it
        }
        // Read the owner's flag only now the tree is out of the registry: a thread that entered the domain after the
        // drop's check (it was single-threaded then) and passed its own check before the change is waited for; the
        // settling barrier orders the two (os/README.md, section 2, item 4).
        if (Volatile.Read(ref waitFor->Shared) != 0) Accesses.WaitFor(waitFor);
        lock (_gate)
        {
            return FreeGathered(order, quarantine);
        }
    }

    /// <summary>The end of a free that waited out the accesses in flight (caller holds the lock; the tree was taken out
    /// of the registry before the wait): leaves pushed into its deques meanwhile join it, then every object is freed,
    /// children first. Returns the objects and bytes freed.</summary>
    private (int Objects, long Bytes) FreeGathered(List<nint> order, Quarantine? quarantine)
    {
        GatherLatePushes(order);
        long bytes = 0;
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var e = (HeapEntry*)order[i];
            bytes += ObjectBytes(e);
            FreeOne(e, quarantine);
        }
        return (order.Count, bytes);
    }

    private struct LatePushVisitor : IChildVisitor
    {
        public HeapEntry* Entries;
        public List<nint> Found;
        public void Visit(HeapEntry* parent, HeapEntry* child)
        {
            if (!ContainedIn(child, parent, Entries)) return;
            child->Owner = 0; // out of the registry, as the rest of the tree
            Found.Add((nint)child);
        }
    }

    /// <summary>After the wait of a drop that took a tree out of the registry: leaves that a push in flight put into
    /// one of its deques meanwhile (the push was checked before the drop), which would otherwise be owned through a
    /// deque that is gone. Appended to <paramref name="order"/> (caller holds the lock).</summary>
    private void GatherLatePushes(List<nint> order)
    {
        var v = new LatePushVisitor { Entries = _table.Entries, Found = new List<nint>() };
        int n = order.Count;
        for (int i = 0; i < n; i++)
        {
            var e = (HeapEntry*)order[i];
            if (e->Kind == HeapKind.Deque && (e->Flags & HeapEntry.HasChildren) != 0) ForEachChild(e, ref v);
        }
        order.AddRange(v.Found);
    }

    /// <summary>The tree under <paramref name="root"/> in pre-order (caller holds the lock).</summary>
    private List<nint> Gather(HeapEntry* root)
    {
        var order = new List<nint>();
        var stack = WalkStack();
        var v = new CollectVisitor { Owner = root->Owner, Epoch = Interlocked.Increment(ref _epoch), Pending = stack, Entries = _table.Entries };
        root->Mark = v.Epoch;
        stack.Push((nint)root);
        while (stack.Count > 0)
        {
            var e = (HeapEntry*)stack.Pop();
            order.Add((nint)e);
            if ((e->Flags & HeapEntry.HasChildren) != 0) ForEachChild(e, ref v);
        }
        return order;
    }

    private (int Objects, long Bytes) DropTreeNow(HeapEntry* root, Quarantine? quarantine, ulong expect = 0)
    {
        lock (_gate)
        {
            if (root->Owner <= 0 || (expect != 0 && *(ulong*)&root->Generation != expect)) return (0, 0); // taken meanwhile (see DropTree)
            // Gather the tree (pre-order), then free it in reverse: every child goes before its parent.
            var order = Gather(root);
            long bytes = 0;
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var e = (HeapEntry*)order[i];
                bytes += ObjectBytes(e);
                FreeOne(e, quarantine);
            }
            return (order.Count, bytes);
        }
    }

    /// <summary>Crash cleanup: drops every allocation <paramref name="domainId"/> owns, each tree children first.</summary>
    public (int Objects, long Bytes) DropAllOwnedBy(int domainId) => ScanOwned(domainId, drop: true, null);

    /// <summary>As <see cref="DropAllOwnedBy(int)"/>, holding the memory back in <paramref name="quarantine"/>.</summary>
    public (int Objects, long Bytes) DropAllOwnedBy(int domainId, Quarantine quarantine) => ScanOwned(domainId, drop: true, quarantine);

    /// <summary>Crash cleanup. The stopped domain's threads run on until their next check, and one may be between an
    /// RRef check and its access: its objects leave its hands first (every check of its own fails from then on),
    /// then the accesses in flight are waited for (Accesses.WaitFor), and only then are the slots freed, so a
    /// late access never reaches a slot (or, through it, a block) already given to another domain. A tree that
    /// has something lent out once those accesses are over (a call the dead domain made is still reading it, or a
    /// lend it began just before the crash has landed) is not freed under its borrower: it stays, orphaned, until
    /// its last lend ends (<see cref="ReapOrphans"/>).</summary>
    private (int Objects, long Bytes) DropOwned(int domainId, Quarantine? quarantine)
    {
        // A proxy may have moved an object into the domain just before it stopped; its store is visible from here
        // on (the proxy reads the state after its store: see HeapAccess.MovedIntoStopped).
        Interlocked.MemoryBarrierProcessWide();
        var trees = new List<List<nint>>();
        lock (_gate)
        {
            for (int i = 1; i < _highWater; i++)
            {
                var e = _table.Entries + i;
                if (e->Owner != domainId) continue; // contained leaves go with their deque
                // Orphaned, not yet 0: the dead domain's checks fail, and a borrower's read of a lent object still passes.
                // The root is taken by a compare-and-swap from what it holds now: a move by one of the dead domain's
                // threads (its check passed before the stop; HeapAccess.Move swaps from the same value) either landed
                // first (the root is the receiver's: not ours to free) or fails and moves nothing (red team, 2026-12-07,
                // WriteAfterMoveAttacks: a plain store here and there let the move give the freed slot to the receiver).
                long held = *(long*)&e->Generation;
                if ((int)(held >> 32) != domainId) continue;
                var order = Gather(e); // before the swap: the walk collects the children of the root's owner
                if (Interlocked.CompareExchange(ref *(long*)&e->Generation, (long)(((ulong)(uint)HeapEntry.Orphaned << 32) | (uint)held), held) != held)
                    continue;
                foreach (var x in order)
                    if (((HeapEntry*)x)->Owner > 0) ((HeapEntry*)x)->Owner = HeapEntry.Orphaned;
                trees.Add(order);
            }
        }
        // Every access in flight, not only the dead domain's: a thread of another domain that moved an object in
        // just before the stop may still be writing it (its own wait comes after its move); a lend by the dead
        // domain whose check passed before the scan lands its count meanwhile (HeapAccess.BorrowChecked).
        if (trees.Count > 0) Accesses.WaitFor(0);
        lock (_gate)
        {
            int objects = 0;
            long bytes = 0;
            foreach (var order in trees)
            {
                // A child of a root the dead domain moved just before the stop is taken here as a root of its own, and
                // the move's walk of the children (HeapAccess.MoveChildren) may have given it to the receiver since: the
                // receiver's now.
                if (((HeapEntry*)order[0])->Owner != HeapEntry.Orphaned) continue;
                if (AnyLent(order))
                {
                    _orphans.Add((order[0], ((HeapEntry*)order[0])->Generation));
                    Interlocked.Increment(ref HeapTable.Orphans);
                    continue;
                }
                foreach (var x in order) ((HeapEntry*)x)->Owner = 0; // contained leaves too: late pushes are the ones left
                var (o, b) = FreeGathered(order, quarantine);
                objects += o;
                bytes += b;
            }
            return (objects, bytes);
        }
    }

    private static bool AnyLent(List<nint> order)
    {
        foreach (var x in order)
            if ((((HeapEntry*)x)->Borrows | ((HeapEntry*)x)->LentChildren) != 0) return true;
        return false;
    }

    /// <summary>Roots (and their generations) of orphaned trees: their owner crashed while something in them was lent.</summary>
    private readonly List<(nint Root, int Generation)> _orphans = new();

    /// <summary>The owner a snapshot shows for an orphaned object (no domain has this id).</summary>
    public const int OrphanedOwner = HeapEntry.Orphaned;

    /// <summary>Orphaned trees waiting for their last lend to end.</summary>
    public int OrphanedTrees { get { lock (_gate) return _orphans.Count; } }

    /// <summary>Frees every orphaned tree none of whose objects is lent any more: out of the registry, then the
    /// accesses in flight (the borrower's last reads) are waited for, then the memory goes back.</summary>
    internal void ReapOrphans()
    {
        List<List<nint>>? ready = null;
        lock (_gate)
        {
            for (int i = _orphans.Count - 1; i >= 0; i--)
            {
                var (root, generation) = _orphans[i];
                var r = (HeapEntry*)root;
                if (r->Owner != HeapEntry.Orphaned || r->Generation != generation) { Forget(i); continue; } // torn down with the heap
                var order = Gather(r);
                if (AnyLent(order)) continue;
                foreach (var x in order) ((HeapEntry*)x)->Owner = 0;
                (ready ??= new()).Add(order);
                Forget(i);
            }
        }
        if (ready is null) return;
        Accesses.WaitFor(0);
        lock (_gate)
        {
            foreach (var order in ready) FreeGathered(order, null);
        }
    }

    private void Forget(int i)
    {
        _orphans.RemoveAt(i);
        Interlocked.Decrement(ref HeapTable.Orphans);
    }

    /// <summary>Objects and bytes a domain owns right now (a scan; for tables and limits, not hot paths).</summary>
    public (int Objects, long Bytes) OwnedBy(int domainId) => ScanOwned(domainId, drop: false, null);

    private (int Objects, long Bytes) ScanOwned(int domainId, bool drop, Quarantine? quarantine)
    {
        if (drop) return DropOwned(domainId, quarantine);
        lock (_gate)
        {
            int objects = 0;
            long bytes = 0;
            for (int i = 1; i < _highWater; i++)
            {
                var e = _table.Entries + i;
                if (e->Owner != domainId && (drop || e->Owner >= 0 || EffectiveOwner(e) != domainId)) continue; // a drop takes contained leaves with their deque
                var (o, b) = drop ? DropTree(e, quarantine) : (1, ObjectBytes(e));
                objects += o;
                bytes += b;
            }
            return (objects, bytes);
        }
    }
}

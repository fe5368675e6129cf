// os/abi/Runtime: the checks behind every RRef access and every ownership change. They are the
// runtime half of RedLeaf's ownership discipline: the C# type rules keep domains from forging or
// casting handles, and these compares catch use after move, use after free and writes to borrows.
// A failed check faults the offending domain (so even a catch-all in its code cannot hide it) and
// throws in the offender's own context. Fast paths are a few loads and compares off one pointer.
using System.Runtime.CompilerServices;

namespace RedLeaf.Abi.Runtime;

internal static unsafe class HeapAccess
{
    internal static int IndexOf(ulong handle) => (int)(uint)handle;
    internal static int GenerationOf(ulong handle) => (int)(handle >> 32);
    internal static ulong MakeHandle(int index, int generation) => ((ulong)(uint)generation << 32) | (uint)index;

    /// <summary>The slot a handle names if it is live and owned by <paramref name="d"/> (Generation and Owner are one compare).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static HeapEntry* Owned(ulong handle, DomainCell* d, string what)
    {
        uint index = (uint)handle;
        if (index - 1 >= d->Capacity - 1) ThrowInvalid(d, handle);
        HeapEntry* e = d->Entries + index;
        if (*(ulong*)&e->Generation != (((ulong)(uint)d->Id << 32) | (handle >> 32))) ThrowRefused(d, e, handle, what);
        return e;
    }

    /// <summary>The slot a handle names if it is live (any owner).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static HeapEntry* Live(ulong handle, DomainCell* d)
    {
        uint index = (uint)handle;
        if (index - 1 >= d->Capacity - 1) ThrowInvalid(d, handle);
        HeapEntry* e = d->Entries + index;
        if (e->Generation != (int)(handle >> 32) || e->Owner == 0) ThrowStale(d, handle);
        return e;
    }

    /// <summary>The owner, or the domain it is lent to, may read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static HeapEntry* ForRead(ulong handle, int typeId, HeapKind kind)
    {
        var d = CurrentDomain.Require();
        var e = Live(handle, d);
        if (e->Owner != d->Id && (e->Borrows == 0 || e->Borrower != d->Id)) ThrowNotOwner(d, e, "read");
        if (e->TypeId != typeId || e->Kind != kind) ThrowWrongType(d, e);
        return e;
    }

    /// <summary>Only the owner may write, and only while nothing is lent out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static HeapEntry* ForWrite(ulong handle, int typeId, HeapKind kind)
    {
        var d = CurrentDomain.Require();
        var e = Owned(handle, d, "write");
        if (e->Borrows != 0) ThrowBorrowed(d, e, "write");
        if (e->TypeId != typeId || e->Kind != kind) ThrowWrongType(d, e);
        return e;
    }

    /// <summary>Ownership of a root moves from one domain to another (a proxy passing an argument or result).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Move(ulong handle, DomainCell* from, DomainCell* to)
    {
        var e = Owned(handle, from, "move");
        if (e->Borrows != 0) ThrowBorrowed(from, e, "move");
        if ((e->Flags & HeapEntry.HasChildren) != 0) CheckChildren(from, e, "move");
        // Write Generation and Owner as one 8-byte store: the next check of this slot (often the
        // move back, a few instructions later) loads them as one 8-byte value, and a 4-byte store
        // under an 8-byte load cannot be forwarded and stalls the pipeline.
        *(ulong*)&e->Generation = ((ulong)(uint)to->Id << 32) | (handle >> 32);
        if ((e->Flags & HeapEntry.HasChildren) != 0) MoveChildren(from, e, to);
    }

    /// <summary>Lends a root immutably for the length of one call; returns the previous borrower to restore.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Borrow(ulong handle, DomainCell* from, DomainCell* to)
    {
        var e = Live(handle, from);
        if (e->Owner != from->Id && (e->Borrows == 0 || e->Borrower != from->Id)) ThrowNotOwner(from, e, "lend");
        int previous = e->Borrower;
        e->Borrows++;
        e->Borrower = to->Id;
        if ((e->Flags & HeapEntry.HasChildren) != 0) BorrowChildren(from, e, to->Id, +1);
        return previous;
    }

    /// <summary>Ends a borrow. Tolerates an allocation that died meanwhile (its owner crashed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Return(ulong handle, DomainCell* from, int previousBorrower)
    {
        uint index = (uint)handle;
        if (index - 1 >= from->Capacity - 1) return;
        HeapEntry* e = from->Entries + index;
        if (e->Generation != (int)(handle >> 32) || e->Owner == 0 || e->Borrows == 0) return;
        e->Borrows--;
        e->Borrower = previousBorrower;
        if ((e->Flags & HeapEntry.HasChildren) != 0) BorrowChildren(from, e, previousBorrower, -1);
    }

    /// <summary>Ends a lend to <paramref name="lentTo"/> that may have outlived the lends around it (a device's
    /// borrow, ended by the kernel after the proxies of a crashed call already returned theirs): if the
    /// borrower is no longer <paramref name="lentTo"/>, an outer return already restored it; only the count drops.</summary>
    internal static void ReturnLend(ulong handle, DomainCell* from, DomainCell* lentTo, int previousBorrower)
    {
        uint index = (uint)handle;
        if (index - 1 >= from->Capacity - 1) return;
        HeapEntry* e = from->Entries + index;
        if (e->Generation != (int)(handle >> 32) || e->Owner == 0 || e->Borrows == 0) return;
        if (e->Borrower == lentTo->Id) Return(handle, from, previousBorrower);
        else e->Borrows--;
    }

    /// <summary>Frees an allocation the current domain owns (children first).</summary>
    internal static void Drop(ulong handle)
    {
        var d = CurrentDomain.Require();
        var e = Owned(handle, d, "drop");
        if (e->Borrows != 0) ThrowBorrowed(d, e, "drop");
        if ((e->Flags & HeapEntry.HasChildren) != 0) CheckChildren(d, e, "drop");
        Token(d).Heap.Drop(e);
    }

    /// <summary>Frees an allocation on behalf of <paramref name="owner"/> if it is still live and theirs
    /// (a proxy discarding a result its caller will never see). Never throws.</summary>
    internal static void Discard(ulong handle, DomainCell* owner)
    {
        uint index = (uint)handle;
        if (index - 1 >= owner->Capacity - 1) return;
        HeapEntry* e = owner->Entries + index;
        if (*(ulong*)&e->Generation != (((ulong)(uint)owner->Id << 32) | (handle >> 32)) || e->Borrows != 0) return;
        DomainToken.Of(owner)?.Heap.Drop(e);
    }

    internal static ulong Allocate(int typeId, int elementSize, int length, HeapKind kind)
    {
        var d = CurrentDomain.Require();
        if (d->Capacity <= 1) throw new ObjectDisposedException("microkernel", "the kernel has shut down; its shared heap is gone");
        if (typeId < 0) Fault(d, TypeRegistry.WhyRefused(-typeId));
        var token = Token(d);
        return token.Heap.Allocate(token, typeId, elementSize, length, kind);
    }

    /// <summary>An RRef may only be moved or dropped whole: every RRef inside it must be the mover's own
    /// (a handle lent to it, or one it moved away, must not travel or die inside it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CheckChildren(DomainCell* d, HeapEntry* e, string what)
    {
        if (!Token(d).Heap.ChildrenOwned(e, d->Id))
            Fault(d, $"domain {d->Id} tried to {what} RRef #{e - d->Entries} ({TypeRegistry.NameOf(e->TypeId)}), which holds an RRef that is not its own (lent to it, or moved away): only whole trees of owned RRefs move or drop");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MoveChildren(DomainCell* from, HeapEntry* e, DomainCell* to) => Token(from).Heap.MoveChildren(e, from->Id, to->Id);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BorrowChildren(DomainCell* from, HeapEntry* e, int borrower, int delta) =>
        Token(from).Heap.BorrowChildren(e, e->Owner, borrower, delta);

    private static DomainToken Token(DomainCell* d) =>
        DomainToken.Of(d) ?? throw new ObjectDisposedException("microkernel", "the kernel this domain ran on has shut down");

    /// <summary>Marks the domain faulted (the proxy will crash it) and throws in its context.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Fault(DomainCell* d, string reason)
    {
        MarkFaulted(d, reason);
        throw new OwnershipViolationException(reason);
    }

    /// <summary>Marks a running domain faulted: its own thread unwinds at its next check and the proxy
    /// it was called through cleans it up. Returns false if it was not running.</summary>
    internal static bool MarkFaulted(DomainCell* d, string reason)
    {
        if (d->IsKernel != 0 || d->State != DomainState.Running) return false;
        if (DomainToken.Of(d) is { } t) t.FaultReason = reason;
        d->State = DomainState.Faulted;
        Interlocked.Increment(ref Guard.StopsPending); // lowered when the kernel has cleaned the domain up
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalid(DomainCell* d, ulong handle) =>
        Fault(d, handle == 0 ? "use of a null RRef (default handle)" :
            d->Capacity <= 1 ? "use of an RRef after its kernel shut down" : $"use of a forged or foreign RRef handle 0x{handle:x}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowRefused(DomainCell* d, HeapEntry* e, ulong handle, string what)
    {
        if (e->Generation != GenerationOf(handle) || e->Owner == 0) ThrowStale(d, handle);
        if (e->Borrows != 0 && e->Borrower == d->Id)
            Fault(d, $"domain {d->Id} tried to {what} RRef #{e - d->Entries} ({TypeRegistry.NameOf(e->TypeId)}), which domain {e->Owner} lent it immutably (a borrow may only be read)");
        ThrowNotOwner(d, e, what);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowStale(DomainCell* d, ulong handle) =>
        Fault(d, $"use after free: RRef #{IndexOf(handle)} (generation {GenerationOf(handle)}) was dropped");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotOwner(DomainCell* d, HeapEntry* e, string what) =>
        Fault(d, $"domain {d->Id} tried to {what} RRef #{e - d->Entries} ({TypeRegistry.NameOf(e->TypeId)}) owned by domain {e->Owner}: use after move");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBorrowed(DomainCell* d, HeapEntry* e, string what) =>
        Fault(d, $"domain {d->Id} tried to {what} RRef #{e - d->Entries} ({TypeRegistry.NameOf(e->TypeId)}) while it is lent out (immutable borrow)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongType(DomainCell* d, HeapEntry* e) =>
        Fault(d, $"RRef #{e - d->Entries} holds {TypeRegistry.NameOf(e->TypeId)}, not the type the handle claims");
}

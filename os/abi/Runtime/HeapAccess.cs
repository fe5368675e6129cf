// os/abi/Runtime: the checks behind every RRef access and every ownership change. They are the
// runtime half of RedLeaf's ownership discipline: the C# type rules keep domains from forging or
// casting handles, and these compares catch use after move, use after free and writes to borrows.
// A failed check faults the offending domain (so even a catch-all in its code cannot hide it) and
// throws in the offender's own context.
using System.Runtime.CompilerServices;

namespace RedLeaf.Abi.Runtime;

internal static unsafe class HeapAccess
{
    internal static int IndexOf(ulong handle) => (int)(uint)handle;
    internal static int GenerationOf(ulong handle) => (int)(handle >> 32);
    internal static ulong MakeHandle(int index, int generation) => ((ulong)(uint)generation << 32) | (uint)index;

    /// <summary>Finds the live slot a handle names, on the current thread's heap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static HeapEntry* Resolve(ulong handle, DomainToken d)
    {
        var heap = d.Heap;
        uint index = (uint)handle;
        if (index == 0 || index >= heap.Capacity) ThrowInvalid(d, handle);
        HeapEntry* e = heap.Entries + index;
        if (e->Generation != (int)(handle >> 32) || e->Owner == 0) ThrowStale(d, handle);
        return e;
    }

    /// <summary>The owner, or the domain it is lent to, may read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static HeapEntry* ForRead(ulong handle, int typeId, HeapKind kind)
    {
        var d = CurrentDomain.Require();
        var e = Resolve(handle, d);
        if (e->Owner != d.Id && (e->Borrows == 0 || e->Borrower != d.Id)) ThrowNotOwner(d, e, "read");
        if (e->TypeId != typeId || e->Kind != kind) ThrowWrongType(d, e);
        return e;
    }

    /// <summary>Only the owner may write, and only while nothing is lent out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static HeapEntry* ForWrite(ulong handle, int typeId, HeapKind kind)
    {
        var d = CurrentDomain.Require();
        var e = Resolve(handle, d);
        if (e->Owner != d.Id) ThrowNotOwner(d, e, "write");
        if (e->Borrows != 0) ThrowBorrowed(d, e, "write");
        if (e->TypeId != typeId || e->Kind != kind) ThrowWrongType(d, e);
        return e;
    }

    /// <summary>Ownership of a root moves from one domain to another (a proxy passing an argument or result).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Move(ulong handle, DomainToken from, DomainToken to)
    {
        var e = Resolve(handle, from);
        if (e->Owner != from.Id) ThrowNotOwner(from, e, "move");
        if (e->Borrows != 0) ThrowBorrowed(from, e, "move");
        e->Owner = to.Id;
        if ((e->Flags & HeapEntry.HasChildren) != 0) from.Heap.MoveChildren(e, from.Id, to.Id);
    }

    /// <summary>Lends a root immutably for the length of one call; returns the previous borrower to restore.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Borrow(ulong handle, DomainToken from, DomainToken to)
    {
        var e = Resolve(handle, from);
        if (e->Owner != from.Id && (e->Borrows == 0 || e->Borrower != from.Id)) ThrowNotOwner(from, e, "lend");
        int previous = e->Borrower;
        e->Borrows++;
        e->Borrower = to.Id;
        if ((e->Flags & HeapEntry.HasChildren) != 0) from.Heap.BorrowChildren(e, e->Owner, to.Id, +1);
        return previous;
    }

    /// <summary>Ends a borrow. Tolerates an allocation that died meanwhile (its owner crashed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Return(ulong handle, DomainToken from, int previousBorrower)
    {
        var heap = from.Heap;
        uint index = (uint)handle;
        if (index == 0 || index >= heap.Capacity) return;
        HeapEntry* e = heap.Entries + index;
        if (e->Generation != (int)(handle >> 32) || e->Owner == 0 || e->Borrows == 0) return;
        e->Borrows--;
        e->Borrower = previousBorrower;
        if ((e->Flags & HeapEntry.HasChildren) != 0) heap.BorrowChildren(e, e->Owner, previousBorrower, -1);
    }

    /// <summary>Frees an allocation the current domain owns (children first).</summary>
    internal static void Drop(ulong handle)
    {
        var d = CurrentDomain.Require();
        var e = Resolve(handle, d);
        if (e->Owner != d.Id) ThrowNotOwner(d, e, "drop");
        if (e->Borrows != 0) ThrowBorrowed(d, e, "drop");
        d.Heap.Drop(e);
    }

    internal static ulong Allocate(int typeId, int elementSize, int length, HeapKind kind)
    {
        var d = CurrentDomain.Require();
        if (typeId < 0) Fault(d, TypeRegistry.WhyRefused(-typeId));
        return d.Heap.Allocate(d, typeId, elementSize, length, kind);
    }

    /// <summary>Marks the domain faulted (the proxy will crash it) and throws in its context.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Fault(DomainToken d, string reason)
    {
        if (!d.IsKernel && d.State == DomainState.Running)
        {
            d.FaultReason = reason;
            d.State = DomainState.Faulted;
        }
        throw new OwnershipViolationException(reason);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalid(DomainToken d, ulong handle) =>
        Fault(d, handle == 0 ? "use of a null RRef (default handle)" : $"use of a forged or foreign RRef handle 0x{handle:x}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowStale(DomainToken d, ulong handle) =>
        Fault(d, $"use after free: RRef #{IndexOf(handle)} (generation {GenerationOf(handle)}) was dropped");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotOwner(DomainToken d, HeapEntry* e, string what) =>
        Fault(d, $"domain {d.Id} tried to {what} RRef #{e - d.Heap.Entries} ({TypeRegistry.NameOf(e->TypeId)}) owned by domain {e->Owner}: use after move");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBorrowed(DomainToken d, HeapEntry* e, string what) =>
        Fault(d, $"domain {d.Id} tried to {what} RRef #{e - d.Heap.Entries} ({TypeRegistry.NameOf(e->TypeId)}) while it is lent out (immutable borrow)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongType(DomainToken d, HeapEntry* e) =>
        Fault(d, $"RRef #{e - d.Heap.Entries} holds {TypeRegistry.NameOf(e->TypeId)}, not the type the handle claims");
}

// os/abi/Runtime: the ABI's view of the shared heap: the registry's base and size, plus the
// operations only the kernel implements (allocation, recursive drop and move of children).
namespace RedLeaf.Abi.Runtime;

internal abstract unsafe class HeapTable
{
    /// <summary>Native array of slots; slot 0 is never used, so a default handle is always invalid.</summary>
    internal HeapEntry* Entries;
    /// <summary>Number of slots. Set to 0 when the heap is torn down so every old handle fails its check.</summary>
    internal uint Capacity;

    /// <summary>Allocates zeroed memory owned by <paramref name="owner"/>; returns the handle.</summary>
    internal abstract ulong Allocate(DomainToken owner, int typeId, int elementSize, int length, HeapKind kind);

    /// <summary>Taken by ownership changes of domains that may race themselves (DomainCell.Shared).</summary>
    internal readonly object Ownership = new();

    /// <summary>Frees an allocation the caller owns, children first; with <paramref name="waitFor"/> (the owner's cell)
    /// the tree leaves the registry first and, if that domain may race itself by then, the memory is reused only
    /// after its accesses that began before the free are over. Nothing happens
    /// unless the slot still holds <paramref name="expect"/> (generation and owner, as checked; a crash cleanup may
    /// have taken it meanwhile, and it may even have been reused).</summary>
    internal abstract void Drop(HeapEntry* entry, DomainCell* waitFor, ulong expect);

    /// <summary>Frees the allocation <paramref name="handle"/> names if it is live and owned by <paramref name="owner"/> (a stopped domain).</summary>
    internal abstract void DropIfOwnedBy(ulong handle, int owner);

    /// <summary>Hands the children of an allocation to a new owner (the root was checked by the caller).</summary>
    internal abstract void MoveChildren(HeapEntry* entry, int from, int to);

    /// <summary>True if every live RRef stored (at any depth) in the allocation is owned by <paramref name="owner"/>.</summary>
    internal abstract bool ChildrenOwned(HeapEntry* entry, int owner);

    /// <summary>Lends (delta +1) or returns (delta -1) the children of a borrowed allocation.</summary>
    internal abstract void BorrowChildren(HeapEntry* entry, int owner, int borrower, int delta);

    /// <summary>Orphaned trees (HeapEntry.Orphaned) waiting for their last lend to end, over every heap in the
    /// process: while it is 0 (always, unless a domain crashed with something lent out) the end of a lend
    /// pays one load for it.</summary>
    internal static int Orphans;

    /// <summary>Frees the orphaned trees none of whose objects is lent any more.</summary>
    internal abstract void ReapOrphans();
}

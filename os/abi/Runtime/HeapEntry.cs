// os/abi/Runtime: one slot of the shared heap's allocation registry. The registry lives in native
// memory owned by the microkernel; an RRef handle names a slot and the generation it expects, so a
// stale or forged handle is caught by a compare instead of touching freed memory.
using System.Runtime.InteropServices;

namespace RedLeaf.Abi.Runtime;

/// <summary>What an allocation holds.</summary>
internal enum HeapKind : byte { Free = 0, Value = 1, Array = 2, Deque = 3 }

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct HeapEntry
{
    /// <summary>First byte of the object (for a deque: its 16-byte header, then the elements).</summary>
    internal byte* Data;
    /// <summary>Bumped on every free; a handle carries the generation it was made with.</summary>
    internal int Generation;
    /// <summary>Owning domain id; 0 when the slot is free. Negative while the allocation sits inside a
    /// deque's element (a leaf pushed into an RRefDeque): minus the deque's slot, whose owner owns it too.</summary>
    internal int Owner;
    /// <summary>Immutable borrows outstanding; while non-zero the owner may neither write nor move it.</summary>
    internal int Borrows;
    /// <summary>The domain the innermost borrow was lent to (may read, nothing else).</summary>
    internal int Borrower;
    internal int TypeId;
    internal int ElementSize;
    /// <summary>1 for a value; elements for an array; capacity for a deque.</summary>
    internal int Length;
    internal HeapKind Kind;
    /// <summary><see cref="HasChildren"/> and <see cref="Eager"/>.</summary>
    internal byte Flags;
    /// <summary>For a deque: 1 + the byte offset of the only RRef in an element, 0 if elements hold none, -1 if
    /// several (push and pop then read the offsets from ChildOffsets). Lets push and pop skip a type lookup.</summary>
    internal short ChildAt;
    /// <summary>Walk epoch, so a walk visits each allocation once even if domains built a cycle.</summary>
    internal int Mark;
    /// <summary>Next free slot while on the free list.</summary>
    internal int NextFree;
    /// <summary>Bytes taken from physical memory (size-class rounded).</summary>
    internal int Footprint;
    /// <summary>The domain that allocated it (its shared-heap limit counts it while it lives).</summary>
    internal int Allocator;
    /// <summary>While contained (Owner negative): the deque's generation, so a link to a reused slot is never followed.</summary>
    internal int ContainerGeneration;
    /// <summary>For a deque: lends outstanding on the leaves it contains (a leaf lent through it). While non-zero the
    /// deque may neither move nor drop, in O(1) (a batch still crosses in one store). Makes the slot 64 bytes:
    /// slot addresses are a shift away and never straddle cache lines.</summary>
    internal int LentChildren;

    /// <summary>The element type holds RRefs (children): drops and snapshots walk it.</summary>
    internal const byte HasChildren = 1;
    /// <summary>Children are owned one by one, so moves, lends and their checks walk them. Always set on values and
    /// arrays that have children; on a deque only once an element whose child has children of its own was pushed
    /// (leaves pushed into a deque are owned through it, so moving the deque is one store).</summary>
    internal const byte Eager = 2;

    /// <summary>The Owner of a tree whose owner crashed while something in it was lent out: it stays, readable by
    /// its borrower only, until the last lend ends (HeapAccess.Return reaps it). No domain has this id, so no check
    /// of the dead owner's handles, nor of anyone else's, passes on it except the borrower's read.</summary>
    internal const int Orphaned = int.MaxValue;
}

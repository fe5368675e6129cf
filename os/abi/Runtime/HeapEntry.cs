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
    /// <summary>Owning domain id; 0 when the slot is free.</summary>
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
    /// <summary>Bit 0: the element type holds RRefs (children), so moves and drops must walk it.</summary>
    internal byte Flags;
    internal short Reserved;
    /// <summary>Walk epoch, so a walk visits each allocation once even if domains built a cycle.</summary>
    internal int Mark;
    /// <summary>Next free slot while on the free list.</summary>
    internal int NextFree;
    /// <summary>Bytes taken from physical memory (size-class rounded).</summary>
    internal int Footprint;
    /// <summary>The domain that allocated it (its shared-heap limit counts it while it lives).</summary>
    internal int Allocator;
    /// <summary>Pads the slot to 64 bytes: slot addresses are a shift away and never straddle cache lines.</summary>
    internal int Padding;

    internal const byte HasChildren = 1;
}

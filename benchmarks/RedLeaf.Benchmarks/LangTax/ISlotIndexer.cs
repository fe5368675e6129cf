// benchmarks/RedLeaf.Benchmarks/LangTax: how CStyleHashTable reaches a slot, as a type parameter the JIT specialises, so
// the one table measures the language tax's first item on its own: the array bounds check. BoundsCheckedSlots
// indexes the span (a compare and branch per probe, what safe C# pays); UncheckedSlots adds to a reference
// (what C does, and what unsafe C# may). Everything else in the two tables' machine code is the same.
namespace RedLeaf.Benchmarks.LangTax;

public interface ISlotIndexer
{
    /// <summary>The row names' first part for a table indexing this way.</summary>
    static abstract string Kind { get; }

    /// <summary>The slot at <paramref name="index"/> (below the span's length: the table's mask guarantees it).</summary>
    static abstract ref T At<T>(Span<T> slots, ulong index);
}

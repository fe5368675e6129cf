// benchmarks/RedLeaf.Benchmarks/LangTax: the `cstyle` table's slot access: a span index, bounds-checked as safe C# is
// (the JIT cannot prove a masked index below the span's length, so every probe compares and branches).
using System.Runtime.CompilerServices;

namespace RedLeaf.Benchmarks.LangTax;

public readonly struct BoundsCheckedSlots : ISlotIndexer
{
    public static string Kind => "cstyle";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref T At<T>(Span<T> slots, ulong index) => ref slots[(int)index];
}

// benchmarks/RedLeaf.Benchmarks/LangTax: the `unchecked` table's slot access: a reference plus an offset, no bounds check,
// as C indexes (Unsafe.Add: unsafe code, which a domain's gate refuses; here only to measure what the check costs).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RedLeaf.Benchmarks.LangTax;

public readonly struct UncheckedSlots : ISlotIndexer
{
    public static string Kind => "unchecked";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref T At<T>(Span<T> slots, ulong index) => ref Unsafe.Add(ref MemoryMarshal.GetReference(slots), (nint)index);
}

// os/abi/Runtime: pause points for the hostile suite's race attacks (tests/RedLeaf.Tests/os/kernel/Heap/
// HeapRaceAttacks.cs). A race between two threads of one domain (one reads or writes an RRef while
// the other drops, moves or lends it) is a window of a few instructions; the attacks hold a thread
// inside it so the interleaving happens every run instead of by luck. Unarmed (always, outside those
// tests) a point costs one load of a static and a branch. The handler is test code run on the paused
// thread: it may wait, never touch the heap.
using System.Runtime.CompilerServices;

namespace RedLeaf.Abi.Runtime;

/// <summary>Where a race pause point sits.</summary>
internal enum RacePoint
{
    /// <summary>An access or an ownership change passed its check and has not yet touched the object.</summary>
    Checked = 1,
    /// <summary>An ownership change (drop, move, lend, return) is complete.</summary>
    Changed = 2,
    /// <summary>An ownership change (drop, move, lend) was asked for; nothing is checked yet.</summary>
    Begin = 3,
}

internal static unsafe class RaceHooks
{
    /// <summary>Non-zero while a handler is installed.</summary>
    internal static int Armed;

    /// <summary>(point, running domain id, slot index, the object's first 8 bytes at a Checked point).</summary>
    internal static Action<RacePoint, int, int, long>? Handler;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void At(RacePoint point, DomainCell* d, HeapEntry* e)
    {
        if (Armed != 0) Call(point, d, e);
    }

    /// <summary>A point before the handle is checked: names the slot only if the index is in range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void At(RacePoint point, DomainCell* d, ulong handle)
    {
        if (Armed != 0 && (uint)handle - 1 < d->Capacity - 1) Call(point, d, d->Entries + (uint)handle);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Call(RacePoint point, DomainCell* d, HeapEntry* e) =>
        Handler?.Invoke(point, d == null ? 0 : d->Id, d == null ? 0 : (int)(e - d->Entries),
            point == RacePoint.Checked && e->Data != null && e->Length > 0 && e->ElementSize >= 8 ? *(long*)e->Data : 0);
}

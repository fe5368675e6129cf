// os/kernel/Heap: the hostile suite's handle on the ABI's race pause points (os/abi/Runtime/RaceHooks.cs).
// Test code installs a handler that holds a thread inside the window between an RRef check and the
// access (or the ownership change) it guards, so a race attack forces its interleaving. Domains cannot
// reach it (they may not reference the kernel assembly); nothing else installs one.
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Os.Heap;

/// <summary>Where a race pause point sits (see <see cref="HeapRaceHook"/>).</summary>
public enum HeapRacePoint
{
    /// <summary>An access or an ownership change passed its check and has not yet touched the object.</summary>
    Checked = 1,
    /// <summary>An ownership change (drop, move, lend) is complete.</summary>
    Changed = 2,
    /// <summary>An ownership change (drop, move, lend) was asked for; nothing is checked yet.</summary>
    Begin = 3,
}

public static class HeapRaceHook
{
    /// <summary>Installs (or, with null, removes) the handler: (point, running domain id, slot index, the
    /// object's first 8 bytes at a Checked point). It runs on the thread at the point; it may block it.</summary>
    public static void Install(Action<HeapRacePoint, int, int, long>? handler)
    {
        RaceHooks.Handler = handler is null ? null : (p, d, s, first) => handler((HeapRacePoint)p, d, s, first);
        Volatile.Write(ref RaceHooks.Armed, handler is null ? 0 : 1);
    }
}

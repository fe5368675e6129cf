// os/kernel/Domains: what a domain may consume, checked where it happens: array sizes by the
// instrumentation before the allocation, shared-heap bytes by the heap before it hands out memory,
// private (GC-heap) allocation by the instrumentation's stop check after it happened (AllocationMeter,
// every 10 ms), threads by the kernel when the domain spawns one.
// Exceeding a limit faults the domain; the crash reason names the limit. Defaults are generous.
namespace RedLeaf.Os.Domains;

public sealed record DomainLimits
{
    /// <summary>Most elements in one array the domain creates.</summary>
    public int MaxArrayLength { get; init; } = 1 << 24;

    /// <summary>Most shared-heap bytes live at once among the objects the domain allocated.</summary>
    public long SharedHeapBytes { get; init; } = 1L << 30;

    /// <summary>Most private (GC-heap) bytes the domain may allocate within one second, summed over its
    /// threads: a rate, not a total, so long-lived domains that make garbage all their life stay under it
    /// while a runaway allocator (gigabytes a second) is stopped within a second. See AllocationMeter.</summary>
    public long PrivateBytesPerSecond { get; init; } = 2L << 30;

    /// <summary>Most kernel threads (DomainThreads.Spawn) the domain may have running at once; one more faults it.</summary>
    public int MaxThreads { get; init; } = 256;

    public static DomainLimits Default { get; } = new();
}

// os/kernel/Domains: what a domain may consume, checked where it happens: array sizes by the
// instrumentation before the allocation, shared-heap bytes by the heap before it hands out memory.
// Exceeding a limit faults the domain; the crash reason names the limit. Defaults are generous.
namespace RedLeaf.Os.Domains;

public sealed record DomainLimits
{
    /// <summary>Most elements in one array the domain creates.</summary>
    public int MaxArrayLength { get; init; } = 1 << 24;

    /// <summary>Most shared-heap bytes live at once among the objects the domain allocated.</summary>
    public long SharedHeapBytes { get; init; } = 1L << 30;

    public static DomainLimits Default { get; } = new();
}

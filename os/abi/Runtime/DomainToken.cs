// os/abi/Runtime: the kernel's per-domain-instance record that ABI code consults on every checked
// access. Kept in the ABI (internal) so RRef checks are a field load, not a call into the kernel.
namespace RedLeaf.Abi.Runtime;

/// <summary>Life states of a domain instance as the hot path sees them (0 is the only good one).</summary>
internal static class DomainState
{
    internal const int Running = 0;
    /// <summary>A runtime check failed inside the domain; the proxy crashes it when control returns.</summary>
    internal const int Faulted = 1;
    internal const int Crashed = 2;
    internal const int Killed = 3;
    internal const int Stopped = 4;
}

internal sealed class DomainToken
{
    internal readonly int Id;
    internal readonly HeapTable Heap;
    /// <summary>True for the kernel's own token (the host side); it is never faulted or crashed.</summary>
    internal readonly bool IsKernel;
    internal volatile int State;
    /// <summary>Why the domain faulted, set by the check that caught it.</summary>
    internal string? FaultReason;
    /// <summary>The kernel's record of this instance (opaque to the ABI).</summary>
    internal object? Owner;
    /// <summary>The kernel's own token: the caller when host code (no domain) calls through a proxy.</summary>
    internal DomainToken Host;

    internal DomainToken(int id, HeapTable heap, bool isKernel)
    {
        Id = id;
        Heap = heap;
        IsKernel = isKernel;
        Host = this;
    }
}

// os/abi/Runtime: which domain the running thread is executing in. Proxies switch it on every
// cross-domain call; RRef checks read it. It is a thread static holding a native pointer, so a
// switch is a plain store.
namespace RedLeaf.Abi.Runtime;

internal static unsafe class CurrentDomain
{
    [ThreadStatic] internal static DomainCell* Cell;

    /// <summary>Lowest stack address domain code may reach on this thread (0 until first measured).</summary>
    [ThreadStatic] internal static nuint StackLimit;

    /// <summary>This thread's allocation counter at its last sample (0: not sampled yet).</summary>
    [ThreadStatic] internal static long AllocatedMark;

    internal static DomainCell* Require()
    {
        var c = Cell;
        if (c == null) ThrowNoDomain();
        return c;
    }

    private static void ThrowNoDomain() =>
        throw new InvalidOperationException(
            "No domain is running on this thread. Host code must enter a kernel first (using var _ = kernel.Enter();).");
}

// os/abi/Runtime: which domain the running thread is executing in. Proxies switch it on every
// cross-domain call; RRef checks read it. It is a thread static holding a native pointer, so a
// switch is a plain store.
namespace RedLeaf.Abi.Runtime;

internal static unsafe class CurrentDomain
{
    [ThreadStatic] internal static DomainCell* Cell;

    /// <summary>This thread's access announcement (Accesses; null until its first RRef access or domain entry).</summary>
    [ThreadStatic] internal static AccessRecord* Record;

    /// <summary>Keeps <see cref="Record"/> this thread's until the thread is gone.</summary>
    [ThreadStatic] internal static object? RecordOwner;

    /// <summary>Lowest stack address domain code may reach on this thread (0 until first measured).</summary>
    [ThreadStatic] internal static nuint StackLimit;

    /// <summary>Where on this thread's stack the kernel's stop (a kill, a fault) was last thrown and not yet
    /// caught by a proxy (0: none). While it unwinds, the runtime runs the finally blocks on top of the
    /// frames being unwound; checks there must not throw it again when the stack is short (Guard.Stop).</summary>
    [ThreadStatic] internal static nuint StopThrownAt;

    /// <summary>Notes that a stop is thrown here, unless one is already in flight further up.</summary>
    internal static unsafe void NoteStopThrown()
    {
        byte probe;
        if (StopThrownAt == 0) StopThrownAt = (nuint)(&probe);
    }

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

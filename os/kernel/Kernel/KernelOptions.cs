// os/kernel/Kernel: how to boot a microkernel. Defaults are what tests and notebooks want.
namespace RedLeaf.Os;

public sealed record KernelOptions
{
    /// <summary>Allocation slots in the shared heap (live RRefs at once).</summary>
    public int HeapSlots { get; init; } = 1 << 16;

    /// <summary>Confirm in the background (full collections) that a crashed domain's context was collected; only
    /// then is its quarantined memory reused and do the stop checks of every domain go back to their one-branch
    /// fast path. Off (benchmarks that must not run full collections): the memory is reused at once, and the
    /// checks stay on their slow path for <see cref="UnconfirmedStopWindow"/> after each crash, long enough for a
    /// thread still in the dead domain's code to reach its next check and unwind.</summary>
    public bool ConfirmCollection { get; init; } = true;

    /// <summary>With <see cref="ConfirmCollection"/> off: how long after a crash every check still asks whether its
    /// domain was stopped (a kill stops a spinning domain in well under 1 ms on this machine; see bench instrumentation).</summary>
    public TimeSpan UnconfirmedStopWindow { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Limits a domain gets unless <see cref="Microkernel.SetLimits"/> says otherwise.</summary>
    public Domains.DomainLimits DefaultLimits { get; init; } = Domains.DomainLimits.Default;

    /// <summary>Accept images built without instrumentation (only the instrumentation benchmark should:
    /// such a domain cannot be stopped while it loops).</summary>
    public bool AllowUninstrumented { get; init; }

    /// <summary>Keys whose signatures the loader accepts (null: this machine's key only).</summary>
    public IReadOnlyList<Signing.MachineKey>? TrustedKeys { get; init; }

    /// <summary>How long Load (and Restart) called from host code waits for a domain's entry point (its static
    /// constructors included) before it kills the domain and fails; see HostCall.</summary>
    public TimeSpan EntryTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many full collections to try before reporting a context as not collected.</summary>
    public int CollectionAttempts { get; init; } = 20;
}

// os/kernel/Kernel: how to boot a microkernel. Defaults are what tests and notebooks want.
namespace RedLeaf.Os;

public sealed record KernelOptions
{
    /// <summary>Allocation slots in the shared heap (live RRefs at once).</summary>
    public int HeapSlots { get; init; } = 1 << 16;

    /// <summary>Confirm in the background that a crashed domain's context was collected.</summary>
    public bool ConfirmCollection { get; init; } = true;

    /// <summary>Limits a domain gets unless <see cref="Microkernel.SetLimits"/> says otherwise.</summary>
    public Domains.DomainLimits DefaultLimits { get; init; } = Domains.DomainLimits.Default;

    /// <summary>Accept images built without instrumentation (only the instrumentation benchmark should:
    /// such a domain cannot be stopped while it loops).</summary>
    public bool AllowUninstrumented { get; init; }

    /// <summary>Keys whose signatures the loader accepts (null: this machine's key only).</summary>
    public IReadOnlyList<Compiler.Signing.MachineKey>? TrustedKeys { get; init; }

    /// <summary>How many full collections to try before reporting a context as not collected.</summary>
    public int CollectionAttempts { get; init; } = 20;
}

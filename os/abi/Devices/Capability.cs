// os/abi/Devices: what every kernel-granted capability shares: the domain instance holding it (a
// capability dies with the instance it was granted to: a crashed, killed or restarted driver's
// capabilities refuse every use, and its successor gets fresh ones) and the fault it raises when
// misused. The liveness check is one load of the holder's state.
using System.Runtime.CompilerServices;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public abstract unsafe class Capability
{
    private protected readonly DomainCell* Holder;

    private protected Capability(DomainCell* holder) => Holder = holder;

    /// <summary>What the capability names (for messages).</summary>
    public abstract string Describe();

    /// <summary>True while the instance it was granted to runs.</summary>
    public bool IsLive => Holder->State == DomainState.Running;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected void CheckLive()
    {
        if (Holder->State != DomainState.Running) Dead();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Dead()
    {
        var reason = DomainToken.Of(Holder)?.FaultReason;
        if (Holder->State == DomainState.Faulted)
            throw new CapabilityViolationException(reason ?? $"domain {Holder->Id} has faulted");
        throw new DomainStoppedException($"{Describe()}: the domain instance it was granted to ({Holder->Id}) is no longer running");
    }

    /// <summary>Faults the running domain (the holder, or whoever misused it) and throws in its context.</summary>
    [MethodImpl(MethodImplOptions.NoInlining), System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private protected void Violation(string what)
    {
        var d = CurrentDomain.Cell;
        string reason = $"domain {(d == null ? 0 : d->Id)}: {what} ({Describe()})";
        if (d != null) HeapAccess.MarkFaulted(d, reason);
        throw new CapabilityViolationException(reason);
    }
}

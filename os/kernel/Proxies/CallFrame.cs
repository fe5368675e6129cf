// os/kernel/Proxies: the steps of one cross-domain call, which generated proxies perform in order:
// refuse if the callee is not running; move or lend root arguments (in the caller's context, so a
// bad handle is the caller's fault); switch to the callee; call; move results back; leave (or, if
// the callee threw, crash it). The call's state lives in the proxy's own locals as plain native
// pointers (nint: generated code cannot name the ABI's internal cell type), which the JIT keeps in
// registers; an earlier design with a frame struct was spilled and copied on every call.
using System.Runtime.CompilerServices;
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Os.Proxies;

public static unsafe class CallFrame
{
    /// <summary>The domain running on this thread (0: plain host code).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint Current() => (nint)CurrentDomain.Cell;

    /// <summary>Who the caller is: the running domain, or the kernel for host code. A caller that
    /// has been killed or has faulted may not call on: its thread is unwound from here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint CallerOf(nint previous, nint callee)
    {
        // Plain host code, or code running in another kernel (host code that entered it): the call
        // comes from the callee's kernel, so any RRef passed is checked against this kernel's heap.
        if (previous == 0 || ((DomainCell*)previous)->Host != ((DomainCell*)callee)->Host) return (nint)((DomainCell*)callee)->Host;
        if (((DomainCell*)previous)->State != DomainState.Running) ThrowCallerStopped(previous);
        return previous;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowCallerStopped(nint caller) =>
        throw new DomainStoppedException($"domain {((DomainCell*)caller)->Id} is no longer running and cannot make calls");

    /// <summary>True if the call must not go ahead: the callee is gone or not running.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Refused(object? target, nint callee) => target is null || ((DomainCell*)callee)->State != DomainState.Running;

    /// <summary>The call never entered the callee (its arguments are still the caller's): NotRunning. A
    /// callee found faulted (a fault injected while no thread was in it) is cleaned up now.</summary>
    public static RpcError Refusal(nint callee)
    {
        if (((DomainCell*)callee)->State == DomainState.Faulted) ProxyRuntime.AfterFailedCall((DomainCell*)callee);
        return new(RpcErrorKind.NotRunning, ((DomainCell*)callee)->Id);
    }

    /// <summary>Into the callee. A thread that is not the callee's first (resident) thread marks it as one that may
    /// race itself (DomainCell.Shared): one compare here, the rest only the first time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Switch(nint callee)
    {
        var c = (DomainCell*)callee;
        CurrentDomain.Cell = c;
        if (c->Resident != (nint)CurrentDomain.Record || c->Resident == 0) Accesses.Arrive(c);
    }

    /// <summary>Back to the caller. The error is set if the callee faulted or was killed during the call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RpcError Leave(nint previous, nint callee)
    {
        CurrentDomain.Cell = (DomainCell*)previous;
        return ((DomainCell*)callee)->State == DomainState.Running ? default : ProxyRuntime.AfterFailedCall((DomainCell*)callee);
    }

    /// <summary>The callee threw: read what the crash record keeps of the exception while the thread still
    /// runs as the callee (its Message is the callee's code: ProxyRuntime.Describe), then back to the
    /// caller, crash the callee, report it. Nothing of the exception object is touched after the switch.</summary>
    public static RpcError Crash(nint previous, nint callee, Exception exception)
    {
        CurrentDomain.StopThrownAt = 0; // whatever the callee threw ends here
        string reason = ProxyRuntime.Describe((DomainCell*)callee, exception);
        CurrentDomain.Cell = (DomainCell*)previous;
        CurrentDomain.StopThrownAt = 0; // and whatever the reading threw
        return ProxyRuntime.CalleeThrew((DomainCell*)callee, reason);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Move<T>(RRef<T> r, nint from, nint to) where T : unmanaged => HeapAccess.Move(r.Handle, (DomainCell*)from, (DomainCell*)to);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Move<T>(RRefArray<T> r, nint from, nint to) where T : unmanaged => HeapAccess.Move(r.Handle, (DomainCell*)from, (DomainCell*)to);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Move<T>(RRefDeque<T> r, nint from, nint to) where T : unmanaged => HeapAccess.Move(r.Handle, (DomainCell*)from, (DomainCell*)to);

    // A later argument failed its check, so the callee never ran: an earlier one moved to it comes back.
    public static void Unmove<T>(RRef<T> r, nint caller, nint callee) where T : unmanaged => Unmove(r.Handle, caller, callee);
    public static void Unmove<T>(RRefArray<T> r, nint caller, nint callee) where T : unmanaged => Unmove(r.Handle, caller, callee);
    public static void Unmove<T>(RRefDeque<T> r, nint caller, nint callee) where T : unmanaged => Unmove(r.Handle, caller, callee);

    /// <summary>Moves an argument back from a callee that never ran. Nothing of the callee's could have touched
    /// it (it has no handle to it), so the move back passes its checks; unless the callee was killed in the
    /// meantime and its cleanup freed the argument with everything else it owned: then there is nothing to
    /// give back, and the caller's own exception (the failed check) is what it gets.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Unmove(ulong handle, nint caller, nint callee)
    {
        var stop = CurrentDomain.StopThrownAt;
        try { HeapAccess.Move(handle, (DomainCell*)callee, (DomainCell*)caller); }
        catch (OwnershipViolationException) when (((DomainCell*)callee)->State != DomainState.Running) { }
        finally { CurrentDomain.StopThrownAt = stop; }
    }

    // A result moved to the caller but not delivered (the callee faulted during the call): freed.
    public static void Discard<T>(RRef<T> r, nint owner) where T : unmanaged => HeapAccess.Discard(r.Handle, (DomainCell*)owner);
    public static void Discard<T>(RRefArray<T> r, nint owner) where T : unmanaged => HeapAccess.Discard(r.Handle, (DomainCell*)owner);
    public static void Discard<T>(RRefDeque<T> r, nint owner) where T : unmanaged => HeapAccess.Discard(r.Handle, (DomainCell*)owner);

    // Immutable borrows: the callee may read for the length of the call; Return restores the lender.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Lend<T>(in RRef<T> r, nint from, nint to) where T : unmanaged => HeapAccess.Borrow(r.Handle, (DomainCell*)from, (DomainCell*)to);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Lend<T>(in RRefArray<T> r, nint from, nint to) where T : unmanaged => HeapAccess.Borrow(r.Handle, (DomainCell*)from, (DomainCell*)to);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Lend<T>(in RRefDeque<T> r, nint from, nint to) where T : unmanaged => HeapAccess.Borrow(r.Handle, (DomainCell*)from, (DomainCell*)to);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Return<T>(in RRef<T> r, nint lender, nint borrower, int previousBorrower) where T : unmanaged => HeapAccess.Return(r.Handle, (DomainCell*)lender, (DomainCell*)borrower, previousBorrower);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Return<T>(in RRefArray<T> r, nint lender, nint borrower, int previousBorrower) where T : unmanaged => HeapAccess.Return(r.Handle, (DomainCell*)lender, (DomainCell*)borrower, previousBorrower);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Return<T>(in RRefDeque<T> r, nint lender, nint borrower, int previousBorrower) where T : unmanaged => HeapAccess.Return(r.Handle, (DomainCell*)lender, (DomainCell*)borrower, previousBorrower);

    /// <summary>A domain object crossing the call belongs to <paramref name="owner"/>; the other side gets a proxy to it.</summary>
    public static T? Wrap<T>(T? value, nint owner) where T : class => ProxyRuntime.Wrap(value, (DomainCell*)owner);
}

// os/kernel/Proxies: the state of one cross-domain call, kept in the proxy's stack frame (a struct:
// the call path allocates nothing). Generated proxies drive it: Begin, move or lend arguments,
// Switch, call, move results back, Finish; or Crash if the callee threw.
using System.Runtime.CompilerServices;
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Os.Proxies;

public readonly unsafe struct CallFrame
{
    // Plain pointers to native cells: the frame holds no GC references, and switching is a store.
    internal readonly DomainCell* Previous; // what the thread ran before (null: plain host code)
    internal readonly DomainCell* Caller;
    internal readonly DomainCell* Callee;

    /// <summary>True if the call must not go ahead (the callee is not running); return <see cref="Refusal"/>.</summary>
    public readonly bool Refused;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal CallFrame(DomainCell* previous, DomainCell* callee, bool refused)
    {
        Previous = previous;
        Caller = previous != null ? previous : callee->Host;
        Callee = callee;
        Refused = refused;
    }

    /// <summary>The error for a call refused because the callee is not running.</summary>
    public RpcError Refusal => new(RpcErrorKind.NotRunning, Callee->Id);

    /// <summary>Makes the callee the running domain of this thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Switch() => CurrentDomain.Cell = Callee;

    /// <summary>Returns to the caller; false (with the error) if the callee faulted or was killed meanwhile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Finish(out RpcError error)
    {
        CurrentDomain.Cell = Previous;
        if (Callee->State == DomainState.Running)
        {
            error = default;
            return true;
        }
        error = ProxyRuntime.AfterFailedCall(Callee);
        return false;
    }

    /// <summary>The callee threw: back to the caller, crash the callee, report it.</summary>
    public RpcError Crash(Exception exception)
    {
        CurrentDomain.Cell = Previous;
        return ProxyRuntime.CalleeThrew(Callee, exception);
    }

    // Ownership of root arguments moves to the callee before the switch (a failure is the caller's
    // fault and throws in the caller's context); results move back after the call (the callee's).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MoveIn<T>(RRef<T> r) where T : unmanaged => HeapAccess.Move(r.Handle, Caller, Callee);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MoveIn<T>(RRefArray<T> r) where T : unmanaged => HeapAccess.Move(r.Handle, Caller, Callee);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MoveIn<T>(RRefDeque<T> r) where T : unmanaged => HeapAccess.Move(r.Handle, Caller, Callee);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MoveOut<T>(RRef<T> r) where T : unmanaged => HeapAccess.Move(r.Handle, Callee, Caller);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MoveOut<T>(RRefArray<T> r) where T : unmanaged => HeapAccess.Move(r.Handle, Callee, Caller);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MoveOut<T>(RRefDeque<T> r) where T : unmanaged => HeapAccess.Move(r.Handle, Callee, Caller);

    // Immutable borrows: the callee may read for the length of the call; Return restores the lender.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Lend<T>(in RRef<T> r) where T : unmanaged => HeapAccess.Borrow(r.Handle, Caller, Callee);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Lend<T>(in RRefArray<T> r) where T : unmanaged => HeapAccess.Borrow(r.Handle, Caller, Callee);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Lend<T>(in RRefDeque<T> r) where T : unmanaged => HeapAccess.Borrow(r.Handle, Caller, Callee);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Return<T>(in RRef<T> r, int previousBorrower) where T : unmanaged => HeapAccess.Return(r.Handle, Caller, previousBorrower);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Return<T>(in RRefArray<T> r, int previousBorrower) where T : unmanaged => HeapAccess.Return(r.Handle, Caller, previousBorrower);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Return<T>(in RRefDeque<T> r, int previousBorrower) where T : unmanaged => HeapAccess.Return(r.Handle, Caller, previousBorrower);

    /// <summary>A domain object passed as an argument is the caller's: the callee gets a proxy to it.</summary>
    public T? WrapIn<T>(T? value) where T : class => ProxyRuntime.Wrap(value, Caller);

    /// <summary>A domain object returned is the callee's: the caller gets a proxy to it.</summary>
    public T? WrapOut<T>(T? value) where T : class => ProxyRuntime.Wrap(value, Callee);
}

// os/abi/Runtime: one thread's announcement of the RRef access it is making, so that an ownership change
// made by another thread of the same domain waits for it (issue 17, class 2; os/README.md, "2. The shared
// heap under races"). A check and the access it guards are a few instructions apart; if another thread
// drops or moves the object between them, the access would reach a freed, reused or foreign block. So every
// access first writes (domain id, serial) into its thread's record with a plain store, checks, touches the
// object, and clears the record; a drop, move or end of a lend by a domain that has had more than one
// thread in it changes the registry slot first (new checks fail from then on), then waits for each record
// still announcing an access by that domain to change. Only then is the block freed or the callee run.
// For the wait to see every announcement, a domain's threads fence theirs once it may race itself
// (Shared), and the instant it becomes Shared is settled by one process-wide barrier
// (Interlocked.MemoryBarrierProcessWide), which orders its first thread's plain announcements; from then on
// a wait needs only its own fence. The access pays two plain stores; the fences and the wait are paid only
// by domains that race themselves.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RedLeaf.Abi.Runtime;

[StructLayout(LayoutKind.Sequential, Size = 64)] // a cache line each: one thread's stores never evict another's
internal struct AccessRecord
{
    /// <summary>0 when no access is in progress; else the serial in the high half and the domain id in the low.</summary>
    internal long Active;
    /// <summary>Serial of the last access, in the high half.</summary>
    internal long Serial;
    /// <summary>1 while the record belongs to no thread (its thread ended; the next new thread reuses it).</summary>
    internal int Free;
    /// <summary>1 once the host thread this record was made for gave up on the host-call worker still using it
    /// (<see cref="Accesses.BeginAbandon"/>): the worker's late ends of lends may no longer restore a borrower.</summary>
    internal int Abandoned;
}

internal static unsafe class Accesses
{
    private static readonly object Gate = new();
    private static nint[] _all = new nint[16]; // AccessRecord*
    private static int _count;

    /// <summary>Announces an access by <paramref name="d"/> on this thread (before its check).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Enter(DomainCell* d)
    {
        var r = CurrentDomain.Record;
        if (r == null) r = Register();
        long s = r->Serial + (1L << 32);
        r->Serial = s;
        Volatile.Write(ref r->Active, s | (uint)d->Id);
        // In a domain that may race itself the announcement is followed by a full fence: the check's loads cannot
        // pass it, so a waiting thread (which fences too) sees the announcement or the access sees the change. The
        // flag is read after the store: a thread that read it before the domain turned Shared has its store made
        // visible by the settling barrier (Settle), one that reads it after sees it set.
        if (d->Shared != 0) Interlocked.MemoryBarrier();
    }

    /// <summary>Marks an announcement as the end of a lend taken without the ownership lock (none of the kernel's domains
    /// was Shared when it began): bit 31 of the low half, which no domain id uses, so waits on one domain never match it.</summary>
    internal const long LockFreeReturn = 1L << 31;

    /// <summary>Announces the end of a lend that takes no lock (while the kernel's SharedDomains is 0). The kernel's first
    /// domain to turn Shared waits for every such announcement (Settle): a return that read the count 0 finishes its
    /// plain count updates before any domain's second thread can lend on the same object under the lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void EnterReturn(DomainCell* d)
    {
        var r = CurrentDomain.Record;
        if (r == null) r = Register();
        long s = r->Serial + (1L << 32);
        r->Serial = s;
        Volatile.Write(ref r->Active, s | (uint)d->Id | LockFreeReturn);
    }

    /// <summary>The access is over.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Leave() => Volatile.Write(ref CurrentDomain.Record->Active, 0);

    /// <summary>Clears this thread's announcement if it has one (a check that failed, an exception).</summary>
    internal static void LeaveIfAny()
    {
        var r = CurrentDomain.Record;
        if (r != null) Volatile.Write(ref r->Active, 0);
    }

    /// <summary>This thread's record, made on first use.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static AccessRecord* Register()
    {
        if (CurrentDomain.Record != null) return CurrentDomain.Record;
        AccessRecord* r = null;
        lock (Gate)
        {
            for (int i = 0; i < _count && r == null; i++)
                if (((AccessRecord*)_all[i])->Free != 0) { r = (AccessRecord*)_all[i]; r->Free = 0; r->Active = 0; r->Abandoned = 0; }
            if (r == null)
            {
                r = (AccessRecord*)NativeMemory.AlignedAlloc((nuint)sizeof(AccessRecord), 64);
                *r = default;
                if (_count == _all.Length) Array.Resize(ref _all, _count * 2);
                _all[_count] = (nint)r; // written before the count, so a reader of the count sees the record
                Volatile.Write(ref _count, _count + 1);
            }
        }
        CurrentDomain.Record = r;
        CurrentDomain.RecordOwner = new Releaser(r);
        return r;
    }

    /// <summary>Gives a thread's record back when the thread is gone (its thread-static releaser is collected).</summary>
    private sealed class Releaser
    {
        private readonly nint _record;
        public Releaser(AccessRecord* record) => _record = (nint)record;
        ~Releaser()
        {
            var r = (AccessRecord*)_record;
            Volatile.Write(ref r->Active, 0);
            Volatile.Write(ref r->Free, 1);
        }
    }

    /// <summary><see cref="DomainCell.Shared"/> once the settling barrier has run: waits on the domain's accesses need
    /// no process-wide barrier of their own.</summary>
    internal const int Settled = 2;

    /// <summary>A thread enters <paramref name="d"/> (a proxy switched to it, or the kernel runs its entry): the
    /// first thread becomes its resident; any other marks the cell Shared, for good, and does not go on into the
    /// domain until the change is settled.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Arrive(DomainCell* d)
    {
        if (d->IsKernel != 0) return; // host code is trusted: its own races are its own
        var r = (nint)(CurrentDomain.Record != null ? CurrentDomain.Record : Register());
        if (d->Resident == r) return;
        if (d->Resident == 0 && Interlocked.CompareExchange(ref d->Resident, r, 0) == 0) return;
        if (d->Resident != r && Volatile.Read(ref d->Shared) != Settled) Settle(d);
    }

    /// <summary>Marks <paramref name="d"/> Shared and runs the one process-wide barrier that settles it: from then on
    /// every thread announcing an access by it has either made its announcement visible (a store before the barrier)
    /// or reads the flag set and fences (Enter). Threads arriving meanwhile wait for it on the gate.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Settle(DomainCell* d)
    {
        lock (Gate)
        {
            if (d->Shared == Settled) return;
            bool first = false;
            if (d->Shared == 0) { Volatile.Write(ref d->Shared, 1); first = Interlocked.Increment(ref d->Host->SharedDomains) == 1; }
            Interlocked.MemoryBarrierProcessWide();
            // The kernel's first Shared domain: ends of lends that read its SharedDomains 0 took no lock; wait for them (an
            // announcement stored before the barrier is visible now, one stored after it reads the count set and locks).
            // Any kernel's such returns are waited for: each is a few stores.
            if (first) Scan(0, onlyLockFreeReturns: true);
            Volatile.Write(ref d->Shared, Settled);
        }
    }

    /// <summary>The crash cleanup is about to end lends on another thread's behalf (a dead driver's device lends,
    /// DmaRing.Revoke): while none of the kernel's domains is Shared, the thread of the call that lent the object may
    /// be ending its own lend of it without the lock, and two plain read-modify-writes of one count lose one (red team,
    /// 2026-12-07, ReturnAttacks.cs). Counts the cleanup as a Shared domain of <paramref name="host"/>'s kernel until
    /// <see cref="UnlockReturns"/>, and waits, as the kernel's first Shared domain does (Settle), for every end of a
    /// lend that read the count 0: from then on every end of a lend in the kernel takes the ownership lock.</summary>
    internal static void LockReturns(DomainCell* host)
    {
        lock (Gate)
        {
            Interlocked.Increment(ref host->SharedDomains);
            Interlocked.MemoryBarrierProcessWide();
            Scan(0, onlyLockFreeReturns: true);
        }
    }

    /// <summary>A host thread is about to give up on the host-call worker that runs its call under <paramref name="record"/>
    /// (the host thread's record until now). From here until <see cref="EndAbandon"/> (the worker has left the domain's
    /// code, or it finished after all): the record is marked, so the worker's late end of a lend only drops the count
    /// unless the object is still lent to the callee (HeapAccess.ReturnShared: a lend the host made after giving up keeps
    /// its borrower); every end of a lend in the kernel takes the ownership lock (the kernel counts one more Shared
    /// domain, as in <see cref="LockReturns"/>); and so do the host's own lends, moves and drops (its cell counts as
    /// Shared), so the host's next lend of the same object and the worker's late end of its lend cannot lose one
    /// another's count (red team, 2026-12-07, ReturnAttacks.cs). <see cref="SettleAbandon"/> completes it.</summary>
    internal static void BeginAbandon(AccessRecord* record, DomainCell* host)
    {
        Volatile.Write(ref record->Abandoned, 1);
        lock (Gate)
        {
            if (host->AbandonedCalls++ == 0) Volatile.Write(ref host->Shared, 1);
            Interlocked.Increment(ref host->SharedDomains);
        }
    }

    /// <summary>The host thread gave up on the worker and took a record of its own: waits, as the kernel's first Shared
    /// domain does (Settle), for every end of a lend that read the kernel's count 0 (the worker's among them, announced
    /// under the record this thread no longer has), so none is left racing the host's next lend.</summary>
    internal static void SettleAbandon()
    {
        lock (Gate)
        {
            Interlocked.MemoryBarrierProcessWide();
            Scan(0, onlyLockFreeReturns: true);
        }
    }

    /// <summary>Undoes <see cref="BeginAbandon"/>: the worker given up on has left the domain's code (every lend of its
    /// call has ended), or it finished before the host could give up on it.</summary>
    internal static void EndAbandon(AccessRecord* record, DomainCell* host)
    {
        lock (Gate)
        {
            Interlocked.Decrement(ref host->SharedDomains);
            if (--host->AbandonedCalls == 0) Volatile.Write(ref host->Shared, 0);
        }
        Volatile.Write(ref record->Abandoned, 0);
    }

    /// <summary>The cleanup's ends of lends are done (under the lock): the kernel's ends of lends may go without it again
    /// once no domain of it is Shared. No locked end of a lend can be left racing a lock-free one: a lent object's counts
    /// are touched only by the one thread of its call while no domain is Shared, and the cleanup's are over.</summary>
    internal static void UnlockReturns(DomainCell* host) => Interlocked.Decrement(ref host->SharedDomains);

    /// <summary>After an ownership change by or from <paramref name="d"/> (a domain that may race itself): waits until
    /// no access by it that could have passed its check before the change is still running (on any thread but this
    /// one). A settled domain's threads fence their announcements, so a fence here is enough; before it settles,
    /// a process-wide barrier.</summary>
    internal static void WaitFor(DomainCell* d)
    {
        if (Volatile.Read(ref d->Shared) == Settled) Interlocked.MemoryBarrier();
        else Interlocked.MemoryBarrierProcessWide();
        Scan(d->Id);
    }

    /// <summary>After an ownership change by or from domain <paramref name="domainId"/>: waits until no access by
    /// it that could have passed its check before the change is still running (on any thread but this one).
    /// <paramref name="domainId"/> 0 waits for every access in flight, whoever makes it (a grace period: the
    /// crash cleanup, which frees objects other domains' threads may have just moved in).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void WaitFor(int domainId)
    {
        Interlocked.MemoryBarrierProcessWide(); // every thread's announcement store is visible from here on
        Scan(domainId);
    }

    /// <summary>Waits for each record (but this thread's) announcing an access by <paramref name="domainId"/> (0: by
    /// anyone) to change. The caller has made the announcements it must see visible (a fence or a barrier).</summary>
    private static void Scan(int domainId, bool onlyLockFreeReturns = false)
    {
        var mine = CurrentDomain.Record;
        int n = Volatile.Read(ref _count);
        var all = Volatile.Read(ref _all); // replaced (when it grows) before the count goes up: holds n records
        for (int i = 0; i < n && i < all.Length; i++)
        {
            var r = (AccessRecord*)all[i];
            if (r == mine) continue;
            long a = Volatile.Read(ref r->Active);
            if (a == 0 || (domainId != 0 && (int)a != domainId) || (onlyLockFreeReturns && (a & LockFreeReturn) == 0)) continue;
            var spin = new SpinWait();
            long deadline = Environment.TickCount64 + 30_000;
            while (Volatile.Read(ref r->Active) == a)
            {
                spin.SpinOnce();
                if (Environment.TickCount64 > deadline)
                    throw new InvalidOperationException($"a thread stayed inside an RRef access of domain {domainId} for 30 s; the ownership change cannot complete safely");
            }
        }
    }
}

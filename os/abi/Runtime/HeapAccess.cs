// os/abi/Runtime: the checks behind every RRef access and every ownership change. They are the
// runtime half of RedLeaf's ownership discipline: the C# type rules keep domains from forging or
// casting handles, and these compares catch use after move, use after free and writes to borrows.
// A failed check faults the offending domain (so even a catch-all in its code cannot hide it) and
// throws in the offender's own context. Fast paths are a few loads and compares off one pointer.
// A leaf pushed into an RRefDeque is owned through the deque (Contain/Release below), so a batch of
// buffers crosses a domain boundary with one store, not a walk over every buffer.
using System.Runtime.CompilerServices;

namespace RedLeaf.Abi.Runtime;

internal static unsafe class HeapAccess
{
    internal static int IndexOf(ulong handle) => (int)(uint)handle;
    internal static int GenerationOf(ulong handle) => (int)(handle >> 32);
    internal static ulong MakeHandle(int index, int generation) => ((ulong)(uint)generation << 32) | (uint)index;

    /// <summary>The slot a handle names if it is live and owned by <paramref name="d"/> (Generation and Owner are one compare).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static HeapEntry* Owned(ulong handle, DomainCell* d, string what)
    {
        uint index = (uint)handle;
        if (index - 1 >= d->Capacity - 1) ThrowInvalid(d, handle);
        HeapEntry* e = d->Entries + index;
        if (*(ulong*)&e->Generation != (((ulong)(uint)d->Id << 32) | (handle >> 32))) return Refused(d, e, handle, what);
        return e;
    }

    /// <summary>The slot a handle names if it is live (any owner).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static HeapEntry* Live(ulong handle, DomainCell* d)
    {
        uint index = (uint)handle;
        if (index - 1 >= d->Capacity - 1) ThrowInvalid(d, handle);
        HeapEntry* e = d->Entries + index;
        if (e->Generation != (int)(handle >> 32) || e->Owner == 0) ThrowStale(d, handle);
        return e;
    }

    /// <summary>The owner, or the domain it is lent to, may read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static HeapEntry* ForRead(ulong handle, int typeId, HeapKind kind)
    {
        var d = CurrentDomain.Require();
        Accesses.Enter(d); // announced before the check: a drop or move by another thread waits for Done
        var e = Live(handle, d);
        if (e->Owner != d->Id && (e->Borrows == 0 || e->Borrower != d->Id)) ReadThroughContainer(d, e, "read");
        if (e->TypeId != typeId || e->Kind != kind) ThrowWrongType(d, e);
        RaceHooks.At(RacePoint.Checked, d, e);
        return e;
    }

    /// <summary>Only the owner may write, and only while nothing is lent out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static HeapEntry* ForWrite(ulong handle, int typeId, HeapKind kind) => ForWrite(CurrentDomain.Require(), handle, typeId, kind);

    /// <inheritdoc cref="ForWrite(ulong, int, HeapKind)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static HeapEntry* ForWrite(DomainCell* d, ulong handle, int typeId, HeapKind kind)
    {
        Accesses.Enter(d);
        var e = Owned(handle, d, "write");
        if (e->Borrows != 0) ThrowBorrowed(d, e, "write");
        if (e->TypeId != typeId || e->Kind != kind) ThrowWrongType(d, e);
        RaceHooks.At(RacePoint.Checked, d, e);
        return e;
    }

    /// <summary>Ends the access ForRead or ForWrite began (after the object was read or written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Done() => Accesses.Leave();

    /// <summary>Ownership of a root moves from one domain to another (a proxy passing an argument or result).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Move(ulong handle, DomainCell* from, DomainCell* to)
    {
        RaceHooks.At(RacePoint.Begin, from, handle);
        if (from->Shared != 0)
        {
            MoveShared(handle, from, to);
            return;
        }
        var e = Owned(handle, from, "move");
        if ((e->Borrows | e->LentChildren) != 0) ThrowLent(from, e, "move");
        if ((e->Flags & HeapEntry.Eager) != 0) CheckChildren(from, e, "move");
        RaceHooks.At(RacePoint.Checked, from, e);
        // Generation and Owner change as one 8-byte compare-and-swap from what the check saw (an 8-byte value: the next
        // check of this slot, often the move back a few instructions later, loads them as one, and a 4-byte store under
        // an 8-byte load cannot be forwarded). Not a plain store: the check is not announced, so a crash cleanup of this
        // domain (a host kill between the check and the change) may have taken the slot meanwhile, freed it and given it
        // to a third domain; a plain store would give the freed slot back to the receiver under its old generation, and
        // the receiver's next write would land in the third domain's object (red team, 2026-12-07,
        // WriteAfterMoveAttacks). The cleanup takes a root by the same compare-and-swap (SharedHeap.DropOwned), so one
        // of the two wins.
        long expected = (long)(((ulong)(uint)from->Id << 32) | (handle >> 32));
        if (Interlocked.CompareExchange(ref *(long*)&e->Generation, (long)(((ulong)(uint)to->Id << 32) | (handle >> 32)), expected) != expected)
            MoveLost(from, e);
        if ((e->Flags & HeapEntry.Eager) != 0) MoveChildren(from, e, to);
        // A second thread may have entered the domain since the flag was read above, and passed its check before
        // the change: read the flag again now the slot has changed (the settling barrier orders the two: either
        // this load sees it set, or that thread's check sees the change) and wait for it if so.
        if (Volatile.Read(ref from->Shared) != 0) Accesses.WaitFor(from);
        if (to->State >= DomainState.Crashed) MovedIntoStopped(handle, from, to);
        RaceHooks.At(RacePoint.Changed, from, e);
    }

    /// <summary>A move's compare-and-swap found the slot changed since its check: the sender's crash cleanup took it (the
    /// sender was killed meanwhile), or another thread of the sender pushed it into a deque. Nothing moved.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MoveLost(DomainCell* from, HeapEntry* e)
    {
        if (from->State != DomainState.Running)
            throw new DomainStoppedException($"domain {from->Id} stopped while it moved RRef #{e - from->Entries} ({TypeRegistry.NameOf(e->TypeId)}): its crash cleanup took it, nothing moved");
        Fault(from, $"domain {from->Id} tried to move RRef #{e - from->Entries} ({TypeRegistry.NameOf(e->TypeId)}) while another of its threads pushed it into a deque");
    }

    /// <summary>The receiver stopped between the proxy's check and the move, and its crash cleanup may already have
    /// scanned the registry: the object would belong to nobody. Freed here (under the heap's lock, only if still the
    /// receiver's: the cleanup may have taken it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MovedIntoStopped(ulong handle, DomainCell* from, DomainCell* to) => Token(from).Heap.DropIfOwnedBy(handle, to->Id);

    /// <summary><see cref="Move"/> by a domain that has had more than one thread in it: checked and changed under
    /// the heap's ownership lock (a lend, drop or other move by another of its threads cannot interleave), the
    /// slot changed by a compare-and-swap (a push into a deque cannot be overwritten), then every access by the
    /// domain that may have started before the change is waited for, so the callee gets an object nobody else
    /// is still reading or writing.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MoveShared(ulong handle, DomainCell* from, DomainCell* to)
    {
        HeapEntry* e;
        lock (Token(from).Heap.Ownership)
        {
            e = Owned(handle, from, "move");
            if ((e->Borrows | e->LentChildren) != 0) ThrowLent(from, e, "move");
            if ((e->Flags & HeapEntry.Eager) != 0) CheckChildren(from, e, "move");
            RaceHooks.At(RacePoint.Checked, from, e);
            long expected = (long)(((ulong)(uint)from->Id << 32) | (handle >> 32));
            if (Interlocked.CompareExchange(ref *(long*)&e->Generation, (long)(((ulong)(uint)to->Id << 32) | (handle >> 32)), expected) != expected)
                MoveLost(from, e);
            if ((e->Flags & HeapEntry.Eager) != 0) MoveChildren(from, e, to);
        }
        Accesses.WaitFor(from);
        if (to->State >= DomainState.Crashed) MovedIntoStopped(handle, from, to);
        RaceHooks.At(RacePoint.Changed, from, e);
    }

    /// <summary>Lends a root immutably for the length of one call; returns the previous borrower to restore.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Borrow(ulong handle, DomainCell* from, DomainCell* to)
    {
        RaceHooks.At(RacePoint.Begin, from, handle);
        if (from->Shared != 0) return BorrowShared(handle, from, to);
        return BorrowChecked(handle, from, to);
    }

    /// <summary>The check and the count of a lend, announced as an access (Accesses.Enter): a crash cleanup of the
    /// lender that starts meanwhile waits for the count to land, and then keeps the object for the borrower
    /// (SharedHeap.DropOwned) instead of freeing it under the call that is about to read it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BorrowChecked(ulong handle, DomainCell* from, DomainCell* to)
    {
        Accesses.Enter(from);
        var e = Live(handle, from);
        if (e->Owner != from->Id && (e->Borrows == 0 || e->Borrower != from->Id)) ReadThroughContainer(from, e, "lend");
        RaceHooks.At(RacePoint.Checked, from, e);
        int previous = e->Borrower;
        e->Borrows++;
        e->Borrower = to->Id;
        if (e->Owner < 0) LendContained(from, e, +1);
        if ((e->Flags & HeapEntry.Eager) != 0) BorrowChildren(from, e, to->Id, +1);
        Accesses.Leave();
        RaceHooks.At(RacePoint.Changed, from, e);
        return previous;
    }

    /// <summary><see cref="Borrow"/> by a domain that may race itself: check and count under the ownership lock.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int BorrowShared(ulong handle, DomainCell* from, DomainCell* to)
    {
        lock (Token(from).Heap.Ownership)
        {
            uint index = (uint)handle;
            if (index - 1 < from->Capacity - 1)
            {
                var e = from->Entries + index;
                if (e->Generation == (int)(handle >> 32) && e->Owner != 0)
                {
                    // A lend belongs to the call it was made for. Lending to a second domain while the first still
                    // reads would take the first one's borrow away under it. Passing on a borrow (rv6's core lends
                    // a process's buffer to fs; a shadow lends its caller's request to the driver) is allowed: the
                    // count keeps the object lent, so its owner cannot drop or move it until every lend ended.
                    // The host (its cell is Shared only while a host-call worker it gave up on may still end a lend late:
                    // Accesses.BeginAbandon) may lend again what that worker's call still has lent: the late end then only
                    // drops the count (ReturnShared), and host code's own races are its own.
                    if (e->Borrows != 0 && e->Borrower != to->Id && e->Borrower != from->Id && from->IsKernel == 0) // its own borrow passed on is not another lend
                        Fault(from, $"domain {from->Id} tried to lend RRef #{index} ({TypeRegistry.NameOf(e->TypeId)}) to domain {to->Id} while another of its threads has it lent to domain {e->Borrower}");
                }
            }
            return BorrowChecked(handle, from, to);
        }
    }

    /// <summary>A leaf inside a deque is lent or returned: the deque counts it, so it neither moves nor drops meanwhile.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LendContained(DomainCell* d, HeapEntry* e, int delta)
    {
        var c = ContainerOf(d, e);
        if (c != null) c->LentChildren += delta;
    }

    /// <summary>Ends a borrow of <paramref name="from"/>'s lent to <paramref name="to"/>. Tolerates an allocation that
    /// died meanwhile (its owner crashed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Return(ulong handle, DomainCell* from, DomainCell* to, int previousBorrower)
    {
        if (from->Host->SharedDomains != 0) ReturnShared(handle, from, previousBorrower, null, to);
        else ReturnAlone(handle, from, to, previousBorrower);
        if (HeapTable.Orphans != 0) ReapOrphans(from);
    }

    /// <summary>The end of a lend while none of the kernel's domains is Shared: no lock, announced (Accesses.EnterReturn)
    /// so the kernel's first domain to turn Shared waits for it; the count is read again after the announcement, and if
    /// it is set by then the locked path is taken instead. A borrower that turned Shared meanwhile is waited for (as
    /// in Move).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReturnAlone(ulong handle, DomainCell* from, DomainCell* to, int previousBorrower)
    {
        Accesses.EnterReturn(from);
        if (Volatile.Read(ref from->Host->SharedDomains) != 0)
        {
            Accesses.Leave();
            ReturnShared(handle, from, previousBorrower, null, to);
            return;
        }
        int borrower = ReturnChecked(handle, from, previousBorrower);
        Accesses.Leave();
        if (borrower > 0 && Volatile.Read(ref to->Shared) != 0) Accesses.WaitFor(to);
    }

    /// <summary>Some domain crashed with an object lent out (HeapEntry.Orphaned): this return may have ended its last lend.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReapOrphans(DomainCell* from) => DomainToken.Of(from)?.Heap.ReapOrphans();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReturnChecked(ulong handle, DomainCell* from, int previousBorrower)
    {
        uint index = (uint)handle;
        if (index - 1 >= from->Capacity - 1) return 0;
        HeapEntry* e = from->Entries + index;
        if (e->Generation != (int)(handle >> 32) || e->Owner == 0 || e->Borrows == 0) return 0;
        int borrows = e->Borrows, borrower = e->Borrower;
        RaceHooks.At(RacePoint.Checked, from, e); // read, not yet written: a lend-on under the lock must not interleave here
        e->Borrows = borrows - 1;
        e->Borrower = previousBorrower;
        if (e->Owner < 0) LendContained(from, e, -1);
        if ((e->Flags & HeapEntry.Eager) != 0) BorrowChildren(from, e, previousBorrower, -1);
        return borrower;
    }

    /// <summary>The end of a lend while some domain in the process may race itself: counted under the ownership
    /// lock (a Shared lender's or borrower's other thread may be lending or returning the same object), then, if
    /// the borrower <paramref name="borrowerCell"/> may race itself, its other threads' reads that began during the
    /// lend are waited for, so the lender (or whoever it moves the object to next) never has it read behind its
    /// back. A borrower that is not Shared has no other thread: its reads were this thread's, and a thread that
    /// enters it from now on finds the lend over (the settling barrier, Accesses.Settle, orders the two).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReturnShared(ulong handle, DomainCell* from, int previousBorrower, DomainCell* lentTo, DomainCell* borrowerCell)
    {
        int borrower;
        // A host-call worker the host gave up on (Accesses.BeginAbandon) ends its call's lends late: the host may have lent
        // the object again since, and that lend keeps its borrower (only the count drops) unless it is over.
        var record = CurrentDomain.Record;
        if (lentTo == null && record != null && Volatile.Read(ref record->Abandoned) != 0) lentTo = borrowerCell;
        lock (Token(from).Heap.Ownership)
        {
            uint index = (uint)handle;
            if (index - 1 >= from->Capacity - 1) return;
            HeapEntry* e = from->Entries + index;
            if (e->Generation != (int)(handle >> 32) || e->Owner == 0 || e->Borrows == 0) return;
            if (lentTo != null && e->Borrower != lentTo->Id)
            {
                e->Borrows--;
                if (e->Owner < 0) LendContained(from, e, -1);
                borrower = lentTo->Id;
            }
            else borrower = ReturnChecked(handle, from, previousBorrower);
        }
        if (borrower <= 0) return;
        if (borrower != borrowerCell->Id) Accesses.WaitFor(borrower); // a lend the proxies did not make: wait for all of its threads
        else if (borrowerCell->Shared != 0) Accesses.WaitFor(borrowerCell);
    }

    /// <summary>Ends a lend to <paramref name="lentTo"/> that may have outlived the lends around it (a device's
    /// borrow, ended by the kernel after the proxies of a crashed call already returned theirs): if the
    /// borrower is no longer <paramref name="lentTo"/>, an outer return already restored it; only the count drops.</summary>
    internal static void ReturnLend(ulong handle, DomainCell* from, DomainCell* lentTo, int previousBorrower)
    {
        uint index = (uint)handle;
        if (index - 1 >= from->Capacity - 1) return;
        HeapEntry* e = from->Entries + index;
        if (e->Generation != (int)(handle >> 32) || e->Owner == 0 || e->Borrows == 0) return;
        if (from->Host->SharedDomains != 0) ReturnShared(handle, from, previousBorrower, lentTo, lentTo);
        else
        {
            Accesses.EnterReturn(from); // as in ReturnAlone: the kernel's first domain to turn Shared waits for it
            if (Volatile.Read(ref from->Host->SharedDomains) != 0)
            {
                Accesses.Leave();
                ReturnShared(handle, from, previousBorrower, lentTo, lentTo);
            }
            else
            {
                if (e->Borrower == lentTo->Id) ReturnChecked(handle, from, previousBorrower);
                else
                {
                    e->Borrows--;
                    if (e->Owner < 0) LendContained(from, e, -1);
                }
                Accesses.Leave();
            }
        }
        if (HeapTable.Orphans != 0) ReapOrphans(from);
    }

    /// <summary>Frees an allocation the current domain owns (children first).</summary>
    internal static void Drop(ulong handle)
    {
        var d = CurrentDomain.Require();
        RaceHooks.At(RacePoint.Begin, d, handle);
        if (d->Shared != 0)
        {
            // Another thread of the domain may be inside an access to it, or dropping, moving or lending it:
            // check and take it out of the registry under the ownership lock; the heap frees the memory once
            // those accesses are over (Accesses.WaitFor).
            lock (Token(d).Heap.Ownership) DropChecked(d, handle, d);
            return;
        }
        DropChecked(d, handle, d); // the heap reads the flag again once the tree is out of the registry (as in Move)
    }

    private static void DropChecked(DomainCell* d, ulong handle, DomainCell* waitFor)
    {
        var e = Owned(handle, d, "drop");
        if ((e->Borrows | e->LentChildren) != 0) ThrowLent(d, e, "drop");
        if ((e->Flags & HeapEntry.HasChildren) != 0) CheckChildren(d, e, "drop");
        RaceHooks.At(RacePoint.Checked, d, e);
        Token(d).Heap.Drop(e, waitFor, ((ulong)(uint)d->Id << 32) | (handle >> 32));
        RaceHooks.At(RacePoint.Changed, d, e);
    }

    /// <summary>Frees an allocation on behalf of <paramref name="owner"/> if it is still live and theirs
    /// (a proxy discarding a result its caller will never see). Never throws.</summary>
    internal static void Discard(ulong handle, DomainCell* owner)
    {
        uint index = (uint)handle;
        if (index - 1 >= owner->Capacity - 1) return;
        HeapEntry* e = owner->Entries + index;
        if (*(ulong*)&e->Generation != (((ulong)(uint)owner->Id << 32) | (handle >> 32)) || (e->Borrows | e->LentChildren) != 0) return;
        DomainToken.Of(owner)?.Heap.Drop(e, owner, ((ulong)(uint)owner->Id << 32) | (handle >> 32));
    }

    internal static ulong Allocate(int typeId, int elementSize, int length, HeapKind kind)
    {
        var d = CurrentDomain.Require();
        if (d->Capacity <= 1) throw new ObjectDisposedException("microkernel", "the kernel has shut down; its shared heap is gone");
        if (typeId < 0) Fault(d, TypeRegistry.WhyRefused(-typeId));
        var token = Token(d);
        return token.Heap.Allocate(token, typeId, elementSize, length, kind);
    }

    /// <summary>An element goes into deque <paramref name="deque"/> (owned by <paramref name="d"/>, checked by the
    /// caller): every RRef in it must be the pusher's own, live and not lent. A leaf is then owned through the
    /// deque (Owner = minus the deque's slot), so it moves, lends and drops with the deque and moving the deque
    /// is one store. A child with children of its own stays owned directly and makes the deque Eager (walked).
    /// <paramref name="offsets"/> are where the RRefs sit in the element (ChildOffsets). Checks every child before
    /// changing any, so a refused push leaves the heap as it was.</summary>
    internal static void Contain(DomainCell* d, HeapEntry* deque, byte* element, int[] offsets)
    {
        ulong owner = (ulong)(uint)d->Id << 32;
        foreach (int offset in offsets)
        {
            ulong h = *(ulong*)(element + offset);
            if (h == 0) continue;
            uint index = (uint)h;
            if (index - 1 >= d->Capacity - 1) ThrowInvalid(d, h);
            var c = d->Entries + index;
            if (*(ulong*)&c->Generation != (owner | (h >> 32)) || c->Borrows != 0 || c == deque) ThrowNotContainable(d, deque, c, h);
        }
        ulong contained = (ulong)(uint)-(int)(deque - d->Entries) << 32;
        foreach (int offset in offsets)
        {
            ulong h = *(ulong*)(element + offset);
            if (h == 0) continue;
            var c = d->Entries + (uint)h;
            if (*(ulong*)&c->Generation != (owner | (h >> 32))) continue; // the same RRef twice in one element: done
            if ((c->Flags & HeapEntry.HasChildren) != 0) { deque->Flags |= HeapEntry.Eager; continue; }
            c->ContainerGeneration = deque->Generation;
            if (d->Shared == 0) *(ulong*)&c->Generation = contained | (h >> 32);
            else if (Interlocked.CompareExchange(ref *(long*)&c->Generation, (long)(contained | (h >> 32)), (long)(owner | (h >> 32))) != (long)(owner | (h >> 32)))
                ThrowNotContainable(d, deque, c, h); // another thread moved it away meanwhile

        }
    }

    /// <summary>An element comes out of deque <paramref name="deque"/> (owned by <paramref name="d"/>, checked by the
    /// caller): the leaves it holds that were owned through the deque are the popper's own again.</summary>
    internal static void Release(DomainCell* d, HeapEntry* deque, byte* element, int[] offsets)
    {
        foreach (int offset in offsets) ReleaseOne(d, deque, *(ulong*)(element + offset));
    }

    /// <summary><see cref="Contain"/> for an element holding one RRef at <paramref name="h"/>'s place (the common case, inlined).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ContainOne(DomainCell* d, HeapEntry* deque, ulong h)
    {
        if (h == 0) return;
        uint index = (uint)h;
        if (index - 1 >= d->Capacity - 1) ThrowInvalid(d, h);
        var c = d->Entries + index;
        if (*(ulong*)&c->Generation != (((ulong)(uint)d->Id << 32) | (h >> 32)) || c->Borrows != 0 || c == deque || (c->Flags & HeapEntry.HasChildren) != 0 || d->Shared != 0)
        {
            ContainSlow(d, deque, h); // the refusals, a child with children of its own, and a domain that may race itself
            return;
        }
        c->ContainerGeneration = deque->Generation;
        *(ulong*)&c->Generation = ((ulong)(uint)-(int)(deque - d->Entries) << 32) | (h >> 32);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ContainSlow(DomainCell* d, HeapEntry* deque, ulong h) => Contain(d, deque, (byte*)&h, OneChild);

    private static readonly int[] OneChild = [0];

    /// <summary><see cref="Release"/> for an element holding one RRef (inlined).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ReleaseOne(DomainCell* d, HeapEntry* deque, ulong h)
    {
        uint index = (uint)h;
        if (index - 1 >= d->Capacity - 1) return;
        var c = d->Entries + index;
        if (*(ulong*)&c->Generation == (((ulong)(uint)-(int)(deque - d->Entries) << 32) | (h >> 32)))
        {
            if (c->Borrows != 0) deque->LentChildren -= c->Borrows; // its lends go on, counted on it alone now
            *(ulong*)&c->Generation = ((ulong)(uint)d->Id << 32) | (h >> 32);
        }
    }

    /// <summary>The deque a contained allocation sits in, or null if it is not contained (or the link is stale).</summary>
    private static HeapEntry* ContainerOf(DomainCell* d, HeapEntry* e)
    {
        if (e->Owner >= 0) return null;
        uint q = (uint)-e->Owner;
        if (q - 1 >= d->Capacity - 1) return null;
        var c = d->Entries + q;
        return c->Generation == e->ContainerGeneration && c->Owner > 0 && c->Kind == HeapKind.Deque ? c : null;
    }

    /// <summary>Slow path of a read or lend by a domain that neither owns nor borrows the allocation itself: allowed
    /// when it sits in a deque the domain owns or was lent; otherwise faults.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReadThroughContainer(DomainCell* d, HeapEntry* e, string what)
    {
        var c = ContainerOf(d, e);
        if (c == null || (c->Owner != d->Id && (c->Borrows == 0 || c->Borrower != d->Id))) ThrowNotOwner(d, e, what);
    }

    /// <summary>An RRef may only be moved or dropped whole: every RRef inside it must be the mover's own
    /// (a handle lent to it, or one it moved away, must not travel or die inside it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CheckChildren(DomainCell* d, HeapEntry* e, string what)
    {
        if (!Token(d).Heap.ChildrenOwned(e, d->Id))
            Fault(d, $"domain {d->Id} tried to {what} RRef #{e - d->Entries} ({TypeRegistry.NameOf(e->TypeId)}), which holds an RRef that is not its own (lent to it, or moved away) or that it has lent out: only whole trees of owned RRefs, none of them lent, move or drop");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MoveChildren(DomainCell* from, HeapEntry* e, DomainCell* to) => Token(from).Heap.MoveChildren(e, from->Id, to->Id);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BorrowChildren(DomainCell* from, HeapEntry* e, int borrower, int delta) =>
        Token(from).Heap.BorrowChildren(e, e->Owner, borrower, delta);

    private static DomainToken Token(DomainCell* d) =>
        DomainToken.Of(d) ?? throw new ObjectDisposedException("microkernel", "the kernel this domain ran on has shut down");

    /// <summary>Marks the domain faulted (the proxy will crash it) and throws in its context.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Fault(DomainCell* d, string reason)
    {
        Accesses.LeaveIfAny(); // the access this check guarded will not happen
        MarkFaulted(d, reason);
        CurrentDomain.NoteStopThrown();
        throw new OwnershipViolationException(reason);
    }

    /// <summary>Marks a running domain faulted: its own thread unwinds at its next check and the proxy
    /// it was called through cleans it up. Returns false if it was not running.</summary>
    internal static bool MarkFaulted(DomainCell* d, string reason)
    {
        if (d->IsKernel != 0 || d->State != DomainState.Running) return false;
        if (DomainToken.Of(d) is { } t) t.FaultReason = reason;
        d->State = DomainState.Faulted;
        Interlocked.Increment(ref Guard.StopsPending); // lowered when the kernel has cleaned the domain up
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalid(DomainCell* d, ulong handle) =>
        Fault(d, handle == 0 ? "use of a null RRef (default handle)" :
            d->Capacity <= 1 ? "use of an RRef after its kernel shut down" : $"use of a forged or foreign RRef handle 0x{handle:x}");

    /// <summary>Slow path of <see cref="Owned"/>: a write to an allocation inside a deque the domain owns (and has not
    /// lent) is allowed; everything else faults with the reason.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static HeapEntry* Refused(DomainCell* d, HeapEntry* e, ulong handle, string what)
    {
        if (e->Generation != GenerationOf(handle) || e->Owner == 0) ThrowStale(d, handle);
        var c = ContainerOf(d, e);
        if (c != null && c->Owner == d->Id)
        {
            if (what != "write")
                Fault(d, $"domain {d->Id} tried to {what} RRef #{e - d->Entries} ({TypeRegistry.NameOf(e->TypeId)}) while it sits in RRefDeque #{c - d->Entries}: pop it out first");
            if (c->Borrows != 0) ThrowBorrowed(d, c, "write into");
            return e;
        }
        if (e->Borrows != 0 && e->Borrower == d->Id)
            Fault(d, $"domain {d->Id} tried to {what} RRef #{e - d->Entries} ({TypeRegistry.NameOf(e->TypeId)}), which domain {e->Owner} lent it immutably (a borrow may only be read)");
        ThrowNotOwner(d, e, what);
        return null; // not reached: ThrowNotOwner throws
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotContainable(DomainCell* d, HeapEntry* deque, HeapEntry* c, ulong h)
    {
        if (c->Generation != GenerationOf(h) || c->Owner == 0) ThrowStale(d, h);
        string into = $"push RRef #{c - d->Entries} ({TypeRegistry.NameOf(c->TypeId)}) into RRefDeque #{deque - d->Entries}";
        if (c == deque) Fault(d, $"domain {d->Id} tried to push RRefDeque #{c - d->Entries} into itself");
        if (c->Owner == d->Id) Fault(d, $"domain {d->Id} tried to {into} while it is lent out (immutable borrow)");
        if (c->Owner < 0) Fault(d, $"domain {d->Id} tried to {into}, but it already sits in RRefDeque #{-c->Owner}: pop it out first");
        Fault(d, $"domain {d->Id} tried to {into}, but it is owned by domain {c->Owner}: only its own RRefs go in (use after move, or a lent RRef)");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowStale(DomainCell* d, ulong handle) =>
        Fault(d, $"use after free: RRef #{IndexOf(handle)} (generation {GenerationOf(handle)}) was dropped");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotOwner(DomainCell* d, HeapEntry* e, string what)
    {
        var c = ContainerOf(d, e);
        string owner = c == null ? $"owned by domain {e->Owner}" : $"which sits in RRefDeque #{c - d->Entries} owned by domain {c->Owner}";
        Fault(d, $"domain {d->Id} tried to {what} RRef #{e - d->Entries} ({TypeRegistry.NameOf(e->TypeId)}) {owner}: use after move");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLent(DomainCell* d, HeapEntry* e, string what)
    {
        if (e->Borrows != 0) ThrowBorrowed(d, e, what);
        Fault(d, $"domain {d->Id} tried to {what} RRefDeque #{e - d->Entries} ({TypeRegistry.NameOf(e->TypeId)}) while {e->LentChildren} lend(s) of RRefs inside it are outstanding (a leaf it holds is lent out)");
    }

    /// <summary>A deque's header (front, count) is out of range: two of the owner's threads pushed or popped at once.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void ThrowTornDeque(HeapEntry* e)
    {
        var d = CurrentDomain.Require();
        Fault(d, $"domain {d->Id} pushed or popped RRefDeque #{e - d->Entries} from two threads at once: its front and count are torn ({((int*)e->Data)[0]}, {((int*)e->Data)[1]} of {e->Length})");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBorrowed(DomainCell* d, HeapEntry* e, string what) =>
        Fault(d, $"domain {d->Id} tried to {what} RRef #{e - d->Entries} ({TypeRegistry.NameOf(e->TypeId)}) while it is lent out (immutable borrow)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongType(DomainCell* d, HeapEntry* e) =>
        Fault(d, $"RRef #{e - d->Entries} holds {TypeRegistry.NameOf(e->TypeId)}, not the type the handle claims");
}

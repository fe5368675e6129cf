// tests/os/kernel/Heap: the shared heap (os/kernel/Heap): objects live in the machine's physical memory, not
// on the GC heap; the registry records owner, type, size and borrows; drops are recursive and stop
// at children moved away; crash cleanup (DropAllOwnedBy); the counts of what was ever allocated; and the
// limits (slots, physical memory) fault the allocating domain with a clear message.
using RedLeaf.Abi;
using RedLeaf.Hardware;
using RedLeaf.Interfaces.Test;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using Xunit;

namespace RedLeaf.Tests.Kernel;

/// <summary>A linked list node on the shared heap (host-declared: not collectible, so allowed in an RRef).</summary>
public struct Link
{
    public RRef<Link> Next;
    public long N;
}

/// <summary>One of each handle kind inside one object.</summary>
public struct Holder
{
    public RRef<Payload> One;
    public RRefArray<long> Many;
    public RRefDeque<int> Queue;
}

/// <summary>8 KiB: an array of int.MaxValue of these is 16 TiB, past every size class.</summary>
[System.Runtime.CompilerServices.InlineArray(1024)]
public struct Big8K
{
    private long _word;
}

[Trait("suite", "kernel")]
public unsafe class SharedHeapTests
{
    [Fact]
    public void ObjectBytesLiveInPhysicalMemoryAndDoNotMoveWhenTheGcCompacts()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var r = RRef<Payload>.New(new Payload(0x1122334455667788, 42));
        nint address = k.Heap.AddressOf(r);

        Assert.True(k.Heap.Contains((void*)address), "the object is not inside the shared heap");
        Assert.True(k.Machine.Memory.Contains((void*)address), "the object is not inside the machine's physical memory");
        // Past the registry (64-byte slots), where the objects are carved out.
        Assert.True(address >= k.Machine.Memory.Address + (nint)k.Heap.Capacity * 64, "the object overlaps the allocation registry");
        // The bytes at that address are the value, read without the RRef API.
        Assert.Equal(0x1122334455667788, ((Payload*)address)->A);

        // Garbage produced around it and a compacting full GC: a GC object would move, this must not.
        for (int i = 0; i < 1000; i++) _ = new byte[1024];
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Assert.Equal(address, k.Heap.AddressOf(r));
        ((Payload*)address)->B = 43; // a write through the raw address is what the RRef reads
        Assert.Equal(43, r.Value.B);
    }

    [Fact]
    public void ALargeRRefArrayIsNotAllocatedOnTheGcHeap()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        RRefArray<long>.New(4).Drop(); // warm up (type id, JIT)

        const int length = 1 << 20; // 8 MiB
        long before = GC.GetAllocatedBytesForCurrentThread();
        var big = RRefArray<long>.New(length);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 64 * 1024, $"allocating an 8 MiB RRefArray allocated {allocated} bytes on the GC heap");
        Assert.Equal(length, big.Length);
        Assert.Equal(8L * length, k.Heap.LiveBytes);
        big[length - 1] = 7;
        Assert.Equal(7, big[length - 1]);
    }

    [Fact]
    public void TheRegistryRecordsOwnerTypeKindAndSize()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var value = RRef<Payload>.New(new Payload(1, 2));
        var array = RRefArray<long>.New(10);
        var deque = RRefDeque<int>.New(4);

        var v = k.Heap.Node(value);
        Assert.Equal((Microkernel.KernelId, "Payload", "Value", 1, 16L, 0), (v.Owner, v.Type, v.Kind, v.Length, v.Bytes, v.Borrows));
        var a = k.Heap.Node(array);
        Assert.Equal((Microkernel.KernelId, "Int64", "Array", 10, 80L), (a.Owner, a.Type, a.Kind, a.Length, a.Bytes));
        var d = k.Heap.Node(deque);
        Assert.Equal((Microkernel.KernelId, "Int32", "Deque", 4, 16L + 16), (d.Owner, d.Type, d.Kind, d.Length, d.Bytes));

        var snap = k.Heap.Snapshot();
        Assert.Equal(3, snap.Nodes.Count);
        Assert.Equal(16 + 80 + 32, snap.Bytes);
        Assert.Equal((3, 128L), (k.Heap.LiveObjects, k.Heap.LiveBytes));
        Assert.Equal((3, 128L), k.Heap.OwnedBy(Microkernel.KernelId));
    }

    [Fact]
    public void AnObjectADomainAllocatesIsRecordedUnderThatDomainsId()
    {
        using var k = TestDomains.Boot();
        var hog = k.Load(TestDomains.Hog);
        var bench = hog.Get<IBench>();
        Assert.True(bench.Null().IsOk);
        Assert.Equal(100, bench.Arg(100).Value);

        var nodes = k.Heap.Snapshot().Nodes;
        Assert.Equal(2, nodes.Count);
        Assert.All(nodes, n => Assert.Equal(hog.Id, n.Owner));
        Assert.Contains(nodes, n => n.Type == "Payload64" && n.Bytes == 64 && n.Kind == "Value");
        Assert.Contains(nodes, n => n.Type == "Int64" && n.Bytes == 800 && n.Kind == "Array");
        Assert.Equal((2, 864L), k.Heap.OwnedBy(hog.Id));
        Assert.Equal((0, 0L), k.Heap.OwnedBy(Microkernel.KernelId));
    }

    [Fact]
    public void DroppingAParentFreesItsChildren()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var keep = RRef<Payload>.New(new Payload(9, 9)); // unrelated, must survive
        var baseline = (k.Heap.LiveObjects, k.Heap.LiveBytes);

        var pair = HeapProbe.NewPair(1, 2);
        var left = pair.Value.Left;
        Assert.Equal((baseline.LiveObjects + 3, baseline.LiveBytes + 24 + 16 + 16), (k.Heap.LiveObjects, k.Heap.LiveBytes));

        pair.Drop();
        Assert.Equal(baseline, (k.Heap.LiveObjects, k.Heap.LiveBytes));
        Assert.False(k.Heap.IsLive(left));
        Assert.Throws<OwnershipViolationException>(() => left.Value);
        Assert.Equal(9, keep.Value.A);
    }

    [Fact]
    public void DroppingAnArrayOfRRefsFreesEveryElement()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var array = RRefArray<RRef<Payload>>.New(4);
        for (int i = 0; i < 3; i++) array[i] = RRef<Payload>.New(new Payload(i, i)); // slot 3 stays null
        Assert.Equal(4, k.Heap.LiveObjects);
        Assert.Equal(3, k.Heap.Snapshot().Edges.Count);

        array.Drop();
        Assert.Equal((0, 0L), (k.Heap.LiveObjects, k.Heap.LiveBytes));
    }

    [Fact]
    public void DroppingADequeOfRRefsFreesTheElementsItHolds()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var deque = RRefDeque<RRef<Payload>>.New(4);
        for (int i = 0; i < 3; i++) Assert.True(deque.TryPushBack(RRef<Payload>.New(new Payload(i, i))));
        Assert.True(deque.TryPopFront(out var popped)); // no longer in the deque: survives the drop
        Assert.Equal(4, k.Heap.LiveObjects);

        deque.Drop();
        Assert.Equal(1, k.Heap.LiveObjects);
        Assert.Equal(0, popped.Value.A);
        popped.Drop();
        Assert.Equal((0, 0L), (k.Heap.LiveObjects, k.Heap.LiveBytes));
    }

    [Fact]
    public void SnapshotEdgesAreTheParentChildLinks()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var pair = HeapProbe.NewPair(1, 2);
        var loose = RRef<Payload>.New(new Payload(3, 4));
        int p = HeapProbe.IndexOf(pair), l = HeapProbe.IndexOf(pair.Value.Left), r = HeapProbe.IndexOf(pair.Value.Right);

        var snap = k.Heap.Snapshot();
        Assert.Equal(new[] { (p, l, true), (p, r, true) }.OrderBy(e => e.Item2),
            snap.Edges.Select(e => (e.Parent, e.Child, e.SameOwner)).OrderBy(e => e.Child));
        Assert.Equal(new[] { p, HeapProbe.IndexOf(loose) }.Order(), snap.Roots.Select(n => n.Index).Order());
    }

    [Fact]
    public void AParentHoldingAChildThatWasMovedAwayCanNeitherDropNorMoveAndTheChildIsSpared()
    {
        // Trees move and die whole, as in RedLeaf: once a child has been moved to another domain, the
        // parent that still holds its handle may not be dropped or moved (the child must be taken out
        // first). The child is never freed or stolen by its former parent.
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var pair = HeapProbe.NewPair(5, 6);
            var left = pair.Value.Left;
            Assert.Equal(11, domB.Keep(left).Value); // the child alone moves to dom_b
            Assert.Equal(b.Id, k.Heap.OwnerOf(left));
            var edge = Assert.Single(k.Heap.Snapshot().Edges, e => e.Child == HeapProbe.IndexOf(left));
            Assert.False(edge.SameOwner);

            var e = Assert.Throws<OwnershipViolationException>(() => pair.Drop());
            Assert.Contains("not its own", e.Message);
            Assert.True(k.Heap.IsLive(left), "dropping the parent freed a child another domain owns");
            Assert.Equal(b.Id, k.Heap.OwnerOf(left));
            Assert.Throws<OwnershipViolationException>(() => domB.KeepPair(pair)); // the caller's fault, in its context
            Assert.Equal(Microkernel.KernelId, k.Heap.OwnerOf(pair));
            Assert.Equal(b.Id, k.Heap.OwnerOf(left));

            pair.Value = new Pair { Left = default, Right = pair.Value.Right, Tag = 0 }; // take the stale handle out
            pair.Drop();
            Assert.Equal(1, k.Heap.LiveObjects);
            Assert.Equal(1, domB.DropKept().Value);
            Assert.Equal(0, k.Heap.LiveObjects);
        }
    }

    [Fact]
    public void DropAllOwnedByFreesEveryTreeOfThatDomainAndNothingElse()
    {
        using var k = TestDomains.Boot();
        var hog = k.Load(TestDomains.Hog);
        var bench = hog.Get<IBench>();
        bench.Null();
        bench.Null();
        using var scope = k.Enter();
        HeapProbe.NewPair(1, 2);
        RRef<Payload>.New(new Payload(3, 4));

        var (objects, bytes) = k.Heap.DropAllOwnedBy(Microkernel.KernelId);
        Assert.Equal((4, 24L + 16 + 16 + 16), (objects, bytes));
        Assert.Equal((0, 0L), k.Heap.OwnedBy(Microkernel.KernelId));
        Assert.Equal((2, 128L), k.Heap.OwnedBy(hog.Id));
        Assert.Equal((2, 128L), (k.Heap.LiveObjects, k.Heap.LiveBytes));
        Assert.Equal((0, 0L), k.Heap.DropAllOwnedBy(Microkernel.KernelId));
    }

    [Fact]
    public void FreedBlocksAndSlotsAreReused()
    {
        using var k = TestDomains.Boot(new KernelOptions { HeapSlots = 16 });
        using var scope = k.Enter();
        RRef<Payload>.New(default).Drop();
        long used = k.Heap.PhysicalBytesUsed;
        for (int i = 0; i < 10_000; i++) RRef<Payload>.New(new Payload(i, i)).Drop();
        Assert.Equal(used, k.Heap.PhysicalBytesUsed);
        Assert.Equal(0, k.Heap.LiveObjects);
    }

    [Fact]
    public void AFullHeapFaultsTheAllocatingDomainWithAClearMessage()
    {
        using var k = TestDomains.Boot(new KernelOptions { HeapSlots = 7 }); // 7 live objects at most
        var hog = k.Load(TestDomains.Hog);
        var bench = hog.Get<IBench>();
        for (int i = 0; i < 7; i++) Assert.True(bench.Null().IsOk, $"allocation {i} failed");

        var full = bench.Null();
        Assert.Equal(RpcErrorKind.CalleeCrashed, full.Error.Kind);
        Assert.Equal(hog.Id, full.Error.DomainId);
        Assert.Equal(DomainStatus.Crashed, hog.Status);
        Assert.Equal(CrashKind.Fault, hog.LastCrash!.Kind);
        Assert.Contains("shared heap full", hog.LastCrash.Reason);
        Assert.Contains("all 7 allocation slots are in use", hog.LastCrash.Reason);
        Assert.Equal(7, hog.LastCrash.FreedObjects);
        Assert.Equal(0, k.Heap.LiveObjects);

        using var scope = k.Enter(); // the heap serves again
        Assert.Equal(1, RRef<Payload>.New(new Payload(1, 1)).Value.A);
    }

    [Fact]
    public void HostAllocationOnAFullHeapThrowsAndTheKernelCarriesOn()
    {
        using var k = TestDomains.Boot(new KernelOptions { HeapSlots = 7 });
        using var scope = k.Enter();
        var all = Enumerable.Range(0, 7).Select(i => RRef<Payload>.New(new Payload(i, i))).ToList();
        var e = Assert.Throws<OwnershipViolationException>(() => RRef<Payload>.New(default));
        Assert.Contains("shared heap full", e.Message);
        Assert.Matches(@"all \d+ allocation slots are in use", e.Message);

        all[3].Drop();
        var again = RRef<Payload>.New(new Payload(99, 0));
        Assert.Equal(99, again.Value.A);
        Assert.Equal(6, all[6].Value.A);
    }

    [Fact]
    public void RunningOutOfPhysicalMemoryFaultsTheAllocatingDomain()
    {
        using var k = TestDomains.Boot(new KernelOptions { HeapSlots = 256 }, memoryBytes: 1 << 20);
        var hog = k.Load(TestDomains.Hog);
        var bench = hog.Get<IBench>();
        Assert.Equal(1024, bench.Arg(1024).Value); // 8 KiB fits

        var r = bench.Arg(1 << 17); // 1 MiB: more than the whole machine
        Assert.Equal(RpcErrorKind.CalleeCrashed, r.Error.Kind);
        Assert.Equal(CrashKind.Fault, hog.LastCrash!.Kind);
        Assert.Contains("out of physical memory", hog.LastCrash.Reason);
        Assert.Contains("1048576 bytes", hog.LastCrash.Reason);
        Assert.Equal((1, 8192L), (hog.LastCrash.FreedObjects, hog.LastCrash.FreedBytes));
        Assert.Equal(0, k.Heap.LiveObjects);

        using var scope = k.Enter();
        var e = Assert.Throws<OwnershipViolationException>(() => RRefArray<byte>.New(2 << 20));
        Assert.Contains("physical memory", e.Message);
        Assert.Contains("2097152 bytes", e.Message);
        Assert.Equal(0, k.Heap.LiveObjects); // the failed allocation did not keep its slot
        Assert.Equal(5, RRefArray<byte>.From(new byte[] { 1, 2, 3, 4, 5 }).Length);
    }

    [Fact]
    public void ASecondKernelOnTheSameMachineDoesNotCorruptTheFirstsHeap()
    {
        // Either the second kernel is refused, or the two heaps do not overlap.
        using var machine = new RedLeaf.Hardware.Machine(new MachineConfig { MemoryBytes = 16L << 20 });
        using var k1 = new Microkernel(machine);
        RRef<Payload> first;
        using (k1.Enter()) first = RRef<Payload>.New(new Payload(1, 2));

        Microkernel k2;
        try { k2 = new Microkernel(machine); }
        catch (InvalidOperationException) { return; }
        using (k2)
        using (k2.Enter())
            RRef<Payload>.New(new Payload(5, 6));

        using (k1.Enter())
        {
            Payload seen = default;
            var e = Record.Exception(() => seen = first.Value);
            Assert.True(e is null, $"k1's object was destroyed by a second kernel on the same machine: {e?.Message}");
            Assert.Equal((1, 2), (seen.A, seen.B));
        }
    }

    [Fact]
    public void DroppingAnArrayOfStructsFreesTheRRefsInsideEachElement()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var pairs = RRefArray<Pair>.New(3);
        for (int i = 0; i < 3; i++)
            pairs[i] = new Pair { Left = RRef<Payload>.New(new Payload(i, 0)), Right = RRef<Payload>.New(new Payload(0, i)), Tag = i };
        Assert.Equal(7, k.Heap.LiveObjects);
        Assert.Equal(6, k.Heap.Snapshot().Edges.Count);

        pairs.Drop();
        Assert.Equal((0, 0L), (k.Heap.LiveObjects, k.Heap.LiveBytes));
    }

    [Fact]
    public void DroppingAnObjectFreesChildrenOfEveryHandleKind()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var h = RRef<Holder>.New(new Holder
        {
            One = RRef<Payload>.New(new Payload(1, 1)),
            Many = RRefArray<long>.New(100),
            Queue = RRefDeque<int>.New(8),
        });
        Assert.Equal(4, k.Heap.LiveObjects);
        Assert.Equal(3, k.Heap.Snapshot().Edges.Count(e => e.Parent == HeapProbe.IndexOf(h)));
        h.Drop();
        Assert.Equal((0, 0L), (k.Heap.LiveObjects, k.Heap.LiveBytes));
    }

    [Fact]
    public void ALongChainIsDroppedWithoutRecursion()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var head = RRef<Link>.New(default);
        for (int i = 0; i < 50_000; i++) head = RRef<Link>.New(new Link { Next = head, N = i });
        Assert.Equal(50_001, k.Heap.LiveObjects);
        head.Drop(); // a recursive walk this deep would overflow the stack and end the process
        Assert.Equal((0, 0L), (k.Heap.LiveObjects, k.Heap.LiveBytes));
    }

    [Fact]
    public void ACycleBuiltByHandDoesNotTrapTheWalks()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var a = RRef<Link>.New(new Link { N = 1 });
        var b = RRef<Link>.New(new Link { Next = a, N = 2 });
        a.Value = new Link { Next = b, N = 1 }; // a -> b -> a
        var snap = k.Heap.Snapshot();
        Assert.Equal(2, snap.Edges.Count);
        Assert.Empty(snap.Roots);

        a.Drop();
        Assert.Equal((0, 0L), (k.Heap.LiveObjects, k.Heap.LiveBytes));

        var c = RRef<Link>.New(new Link { N = 3 });
        c.Value = new Link { Next = c }; // a self-loop, cleaned up by DropAllOwnedBy
        Assert.Equal((1, 16L), k.Heap.DropAllOwnedBy(Microkernel.KernelId));
    }

    [Fact]
    public void AnImpossiblyLargeAllocationFailsWithAClearMessage()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var e = Record.Exception(() => RRefArray<Big8K>.New(int.MaxValue));
        Assert.True(e is OwnershipViolationException && e.Message.Contains("physical memory"),
            $"a 16 TiB allocation failed with {e?.GetType().Name}: {e?.Message}");
    }

    [Fact]
    public void AFailedAllocationKeepsNoSlot()
    {
        using var k = TestDomains.Boot(new KernelOptions { HeapSlots = 3 }); // 3 live objects at most
        using var scope = k.Enter();
        for (int i = 0; i < 3; i++)
        {
            Assert.ThrowsAny<Exception>(() => RRefArray<Big8K>.New(int.MaxValue));   // past every size class
            Assert.ThrowsAny<Exception>(() => RRefArray<long>.New(int.MaxValue));     // 16 GiB: more than the machine
        }
        Assert.Equal(0, k.Heap.LiveObjects);
        // The heap is empty, so all three slots must still be there.
        var e = Record.Exception(() => Enumerable.Range(0, 3).Select(i => RRef<long>.New(i)).ToList());
        Assert.True(e is null, $"an empty heap refused 3 small allocations after 6 failed ones: {e?.Message}");
        Assert.Equal(3, k.Heap.LiveObjects);
    }

    [Fact]
    public void AKernelCanBootAgainOnAMachineWhoseKernelShutDown()
    {
        using var machine = new RedLeaf.Hardware.Machine(new MachineConfig { MemoryBytes = 16L << 20 });
        var k1 = new Microkernel(machine);
        RRef<Payload> old;
        using (k1.Enter()) old = RRef<Payload>.New(new Payload(1, 2));
        k1.Dispose();

        using var k2 = new Microkernel(machine);
        using var scope = k2.Enter();
        var fresh = RRef<Payload>.New(new Payload(3, 4));
        Assert.Equal(HeapProbe.IndexOf(old), HeapProbe.IndexOf(fresh)); // the same slot, reused
        Assert.Throws<OwnershipViolationException>(() => old.Value); // but the old handle does not reach it
        Assert.Equal(3, fresh.Value.A);
        Assert.Equal(1, k2.Heap.LiveObjects);
    }

    [Fact]
    public void AShutDownHeapDoesNotReachIntoItsSuccessorOnTheSameMachine()
    {
        using var machine = new RedLeaf.Hardware.Machine(new MachineConfig { MemoryBytes = 16L << 20 });
        var k1 = new Microkernel(machine);
        using (k1.Enter()) RRef<Payload>.New(new Payload(1, 2));
        k1.Dispose();
        using var k2 = new Microkernel(machine);
        RRef<Payload> mine;
        using (k2.Enter()) mine = RRef<Payload>.New(new Payload(3, 4));

        // k1 is gone: its heap object must neither list nor free k2's objects.
        var listed = Record.Exception(() => Assert.Empty(k1.Heap.Snapshot().Nodes));
        Assert.True(listed is null or ObjectDisposedException, $"k1's heap after shutdown: {listed?.Message}");
        Record.Exception(() => k1.Heap.DropAllOwnedBy(Microkernel.KernelId));
        Assert.Equal(1, k2.Heap.LiveObjects);
        using (k2.Enter())
        {
            var e = Record.Exception(() => mine.Value);
            Assert.True(e is null, $"k2's object was freed through the disposed k1's heap: {e?.Message}");
        }
    }

    [Fact]
    public void BytesAllocatedCountsEveryAllocationAndNothingElse()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        long bytes = k.Heap.BytesAllocated, objects = k.Heap.Allocations;
        var a = RRefArray<byte>.New(1000);
        var r = RRef<Payload>.New(new Payload(1, 2));
        Assert.Equal(bytes + 1000 + System.Runtime.CompilerServices.Unsafe.SizeOf<Payload>(), k.Heap.BytesAllocated);
        Assert.Equal(objects + 2, k.Heap.Allocations);
        // Reading, writing and freeing allocate nothing: the counts stay, while the live ones fall.
        a[999] = 7;
        _ = r.Value;
        long live = k.Heap.LiveBytes;
        a.Drop();
        r.Drop();
        Assert.True(k.Heap.LiveBytes < live);
        Assert.Equal(bytes + 1000 + System.Runtime.CompilerServices.Unsafe.SizeOf<Payload>(), k.Heap.BytesAllocated);
        Assert.Equal(objects + 2, k.Heap.Allocations);
    }
}

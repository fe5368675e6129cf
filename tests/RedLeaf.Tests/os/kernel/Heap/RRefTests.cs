// tests/os/kernel/Heap: the RRef, RRefArray and RRefDeque API (os/abi/Ownership) as host code uses it inside
// kernel.Enter(): values, drops, the checks on stale and null handles, bounds, bulk copies, the
// deque's ring, and what happens with no kernel entered or after the kernel is gone.
using System.Runtime.CompilerServices;
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using Xunit;

namespace RedLeaf.Tests.Kernel;

[Trait("suite", "kernel")]
public class RRefTests
{
    /// <summary>Runs <paramref name="body"/> on a fresh thread (no domain entered there, whatever ran before on the test thread).</summary>
    private static void OnFreshThread(Action body)
    {
        Exception? failure = null;
        var t = new Thread(() => { try { body(); } catch (Exception e) { failure = e; } });
        t.Start();
        Assert.True(t.Join(TimeSpan.FromSeconds(30)), "the thread did not finish");
        if (failure is not null) throw new Xunit.Sdk.XunitException($"on the fresh thread: {failure}");
    }

    [Fact]
    public void NewStoresTheValueAndValueReadsAndWritesIt()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var r = RRef<Payload>.New(new Payload(3, 4));
        Assert.False(r.IsNull);
        Assert.Equal((3, 4), (r.Value.A, r.Value.B));

        r.Value = new Payload(30, 40);
        Assert.Equal((30, 40), (r.Value.A, r.Value.B));

        var copy = r; // a handle is a value: both name the same object
        copy.Value = new Payload(-1, -2);
        Assert.Equal(-1, r.Value.A);
        Assert.True(r == copy);
        Assert.True(r.Equals(copy));
        Assert.NotEqual(r, RRef<Payload>.New(new Payload(-1, -2)));
        Assert.Matches(@"^RRef<Payload>#\d+$", r.ToString());
    }

    [Fact]
    public void DropFreesTheObjectAndEveryUseAfterwardsThrows()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var r = RRef<Payload>.New(new Payload(1, 2));
        Assert.Equal(1, k.Heap.LiveObjects);
        r.Drop();
        Assert.Equal((0, 0L), (k.Heap.LiveObjects, k.Heap.LiveBytes));

        var read = Assert.Throws<OwnershipViolationException>(() => r.Value);
        Assert.Contains("use after free", read.Message);
        Assert.Throws<OwnershipViolationException>(() => r.Value = new Payload(5, 5));
        Assert.Throws<OwnershipViolationException>(() => r.Drop());

        // The slot is reused by the next allocation, and the stale handle still does not reach it.
        var next = RRef<Payload>.New(new Payload(7, 7));
        Assert.Equal(HeapProbe.IndexOf(r), HeapProbe.IndexOf(next));
        Assert.Throws<OwnershipViolationException>(() => r.Value);
        Assert.Equal(7, next.Value.A);
    }

    [Fact]
    public void TheDefaultHandleNamesNothingAndEveryUseThrows()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        RRef<Payload> none = default;
        Assert.True(none.IsNull);
        var e = Assert.Throws<OwnershipViolationException>(() => none.Value);
        Assert.Contains("null RRef", e.Message);
        Assert.Throws<OwnershipViolationException>(() => none.Value = new Payload(1, 1));
        Assert.Throws<OwnershipViolationException>(() => none.Drop());
        Assert.Throws<OwnershipViolationException>(() => default(RRefArray<int>).Length);
        Assert.Throws<OwnershipViolationException>(() => default(RRefDeque<int>).Count);
        Assert.True(default(RRefArray<int>).IsNull && default(RRefDeque<int>).IsNull);

        // The kernel is not faulted by the host's mistake: it keeps allocating.
        Assert.Equal(2, RRef<Payload>.New(new Payload(2, 2)).Value.A);
    }

    [Fact]
    public void RRefArrayIsZeroedIndexesAndChecksBounds()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var a = RRefArray<int>.New(5);
        Assert.Equal(5, a.Length);
        for (int i = 0; i < 5; i++) Assert.Equal(0, a[i]);
        for (int i = 0; i < 5; i++) a[i] = i * i;
        Assert.Equal(16, a[4]);

        var high = Assert.Throws<IndexOutOfRangeException>(() => a[5]);
        Assert.Contains("index 5 outside RRefArray of 5", high.Message);
        Assert.Throws<IndexOutOfRangeException>(() => a[-1]);
        Assert.Throws<IndexOutOfRangeException>(() => a[5] = 1);
        Assert.Throws<IndexOutOfRangeException>(() => a[int.MinValue] = 1);
        Assert.Equal(new[] { 0, 1, 4, 9, 16 }, Enumerable.Range(0, 5).Select(i => a[i]));

        Assert.Equal(0, RRefArray<int>.New(0).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => RRefArray<int>.New(-1));
    }

    [Fact]
    public void RRefArrayCopiesToAndFromSpans()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var a = RRefArray<byte>.From(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        Assert.Equal(8, a.Length);

        var all = new byte[8];
        a.CopyTo(all);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, all);

        var middle = new byte[3];
        a.CopyTo(middle, start: 2);
        Assert.Equal(new byte[] { 3, 4, 5 }, middle);

        a.CopyFrom(new byte[] { 90, 91 }, start: 6);
        a.CopyFrom(new byte[] { 10 });
        a.CopyTo(all);
        Assert.Equal(new byte[] { 10, 2, 3, 4, 5, 6, 90, 91 }, all);

        Assert.Throws<ArgumentOutOfRangeException>(() => a.CopyTo(new byte[4], start: 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.CopyFrom(new byte[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.CopyFrom(new byte[1], start: 8));
        a.CopyTo(all);
        Assert.Equal(new byte[] { 10, 2, 3, 4, 5, 6, 90, 91 }, all); // failed copies changed nothing
    }

    [Fact]
    public void RRefDequeIsABoundedFifo()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var q = RRefDeque<long>.New(3);
        Assert.Equal((3, 0), (q.Capacity, q.Count));
        Assert.False(q.TryPopFront(out _));

        Assert.True(q.TryPushBack(10));
        Assert.True(q.TryPushBack(20));
        Assert.True(q.TryPushBack(30));
        Assert.False(q.TryPushBack(40), "a full deque accepted a fourth element");
        Assert.Equal(3, q.Count);

        var popped = new List<long>();
        while (q.TryPopFront(out var x)) popped.Add(x);
        Assert.Equal(new long[] { 10, 20, 30 }, popped);
        Assert.Equal(0, q.Count);

        Assert.Throws<ArgumentOutOfRangeException>(() => RRefDeque<long>.New(0));
    }

    [Fact]
    public void RRefDequeKeepsFifoOrderAcrossTheRingsWrap()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var q = RRefDeque<int>.New(4);
        var expected = new Queue<int>();
        var seen = new List<int>();
        int next = 0;
        for (int round = 0; round < 10; round++)
        {
            while (q.TryPushBack(next)) expected.Enqueue(next++);
            for (int i = 0; i < 3; i++)
            {
                Assert.True(q.TryPopFront(out int x));
                seen.Add(x);
                Assert.Equal(expected.Dequeue(), x);
            }
        }
        Assert.Equal(1, q.Count);
        Assert.Equal(30, seen.Count);
        Assert.Equal(Enumerable.Range(0, 30), seen);
    }

    [Fact]
    public void UsingAnRRefWithNoKernelEnteredThrowsAHelpfulInvalidOperationException()
    {
        using var k = TestDomains.Boot();
        RRef<Payload> r;
        using (k.Enter()) r = RRef<Payload>.New(new Payload(1, 2));

        OnFreshThread(() =>
        {
            var e = Assert.Throws<InvalidOperationException>(() => RRef<Payload>.New(new Payload(1, 1)));
            Assert.Contains("No domain is running on this thread", e.Message);
            Assert.Contains("kernel.Enter()", e.Message);
            Assert.Throws<InvalidOperationException>(() => r.Value);
            Assert.Throws<InvalidOperationException>(() => r.Drop());
            Assert.Throws<InvalidOperationException>(() => RRefArray<int>.New(3));
        });
        using (k.Enter()) Assert.Equal(2, r.Value.B); // nothing was disturbed
    }

    [Fact]
    public void LeavingAKernelScopeRestoresWhatRanBefore()
    {
        using var outer = TestDomains.Boot();
        using var inner = TestDomains.Boot();
        OnFreshThread(() =>
        {
            using (outer.Enter())
            {
                RRef<Payload>.New(default);
                using (inner.Enter()) RRef<Payload>.New(default);
                RRef<Payload>.New(default); // back in the outer kernel
            }
            Assert.Throws<InvalidOperationException>(() => RRef<Payload>.New(default));
        });
        Assert.Equal(2, outer.Heap.LiveObjects);
        Assert.Equal(1, inner.Heap.LiveObjects);
    }

    [Fact]
    public void UsingAnRRefAfterItsKernelWasDisposedThrowsInsteadOfTouchingFreedMemory()
    {
        var (k, _, domB) = TestDomains.WithDomB();
        RRef<Payload> r;
        RRefArray<long> a;
        using (k.Enter())
        {
            r = RRef<Payload>.New(new Payload(1, 2));
            a = RRefArray<long>.New(16);
        }
        k.Dispose();

        using (k.Enter())
        {
            var e = Assert.Throws<OwnershipViolationException>(() => r.Value);
            Assert.Contains("kernel shut down", e.Message);
            Assert.Throws<OwnershipViolationException>(() => r.Value = default);
            Assert.Throws<OwnershipViolationException>(() => r.Drop());
            Assert.Throws<OwnershipViolationException>(() => a[0]);
            Assert.Throws<OwnershipViolationException>(() => a.Length);
        }
        Assert.Equal(RpcErrorKind.NotRunning, domB.Null().Error.Kind);
        Assert.Equal(RpcErrorKind.NotRunning, domB.Produce(1, 2).Error.Kind);
        k.Dispose(); // twice is fine
    }

    [Fact]
    public void AllocatingAfterTheKernelWasDisposedSaysTheKernelShutDown()
    {
        var k = TestDomains.Boot();
        k.Dispose();
        using (k.Enter())
        {
            var e = Record.Exception(() => RRef<Payload>.New(new Payload(1, 2)));
            Assert.NotNull(e);
            Assert.True(e is ObjectDisposedException || e.Message.Contains("shut down"),
                $"allocation on a disposed kernel reported {e.GetType().Name}: {e.Message}");
        }
    }

    [Fact]
    public void AHandleFromAnotherKernelIsRefused()
    {
        using var k1 = TestDomains.Boot();
        using var k2 = TestDomains.Boot();
        RRef<Payload> fromK1;
        using (k1.Enter()) fromK1 = RRef<Payload>.New(new Payload(1, 2));
        using (k2.Enter())
        {
            RRef<Payload>.New(new Payload(5, 6)); // k2's first object: same slot and generation as k1's
            Payload seen = default;
            var e = Record.Exception(() => seen = fromK1.Value);
            Assert.True(e is OwnershipViolationException,
                $"a handle of kernel 1 read kernel 2's object ({seen.A}, {seen.B}) with no violation");
        }
    }

    [Fact]
    public void AHandleReinterpretedAsAnotherTypeOrKindIsRefused()
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        var r = RRef<Payload>.New(new Payload(1, 2));
        // Domains cannot do this (no Unsafe past the IL gate); the runtime check stands behind that rule.
        var asLong = Unsafe.As<RRef<Payload>, RRef<long>>(ref r);
        var wrongType = Assert.Throws<OwnershipViolationException>(() => asLong.Value);
        Assert.Contains("holds Payload, not the type the handle claims", wrongType.Message);
        var asArray = Unsafe.As<RRef<Payload>, RRefArray<Payload>>(ref r);
        Assert.Throws<OwnershipViolationException>(() => asArray.Length);
        Assert.Throws<OwnershipViolationException>(() => asArray[0] = default);
        Assert.Equal(1, r.Value.A); // the object itself is untouched
    }

    [Theory]
    [InlineData(0x0000_DEAD_0000_0001UL)] // live slot, wrong generation
    [InlineData(0x0000_0001_0000_0007UL)] // never-used slot
    [InlineData(0x0000_0001_7FFF_FFFFUL)] // past the registry
    public void AForgedHandleIsRefused(ulong raw)
    {
        using var k = TestDomains.Boot();
        using var scope = k.Enter();
        RRef<Payload>.New(new Payload(1, 2));
        var forged = Unsafe.As<ulong, RRef<Payload>>(ref raw);
        Assert.Throws<OwnershipViolationException>(() => forged.Value);
        Assert.Throws<OwnershipViolationException>(() => forged.Drop());
        Assert.Equal(1, k.Heap.LiveObjects);
    }
}

// tests/os/kernel/Proxies: generated proxies (os/kernel/Proxies, systems/RedLeaf.Proxies): every domain interface has one;
// calls between domains go through them; RRefs move in and out (owners change in the registry),
// are lent for a call, and move with their children; domain objects cross as proxies; and the
// call path allocates nothing on the GC heap.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Heap;
using RedLeaf.Os.Proxies;
using Xunit;

namespace RedLeaf.Tests.Kernel;

[Trait("suite", "kernel")]
public class ProxyTests
{
    /// <summary>A host-side counter: domains reach it through a proxy the kernel wraps around it.</summary>
    private sealed class HostCounter : ICounter
    {
        private readonly Func<long, RpcResult<long>>? _onNext;
        public long Value;
        public HostCounter(Func<long, RpcResult<long>>? onNext = null) => _onNext = onNext;
        public RpcResult<long> Next() => _onNext is null ? ++Value : _onNext(++Value);
    }

    [Fact]
    public void EveryDomainInterfaceHasAGeneratedProxy()
    {
        var declared = typeof(IDomB).Assembly.GetTypes()
            .Where(t => t.IsInterface && t.IsDefined(typeof(DomainInterfaceAttribute), inherit: false))
            .ToList();
        Assert.Contains(typeof(IDomA), declared);
        Assert.Contains(typeof(IDomB), declared);
        Assert.Contains(typeof(ICounter), declared);
        Assert.Contains(typeof(IBench), declared);
        Assert.All(declared, t => Assert.True(ProxyRegistry.Has(t), $"no generated proxy for {t.FullName}"));
        Assert.Superset(declared.ToHashSet(), ProxyRegistry.Interfaces.ToHashSet());
        Assert.False(ProxyRegistry.Has(typeof(IDisposable)));
    }

    [Fact]
    public void ADomainsExportIsAGeneratedProxyNotTheDomainsObject()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            var proxy = Assert.IsAssignableFrom<Proxy>(b.Export);
            Assert.Same(proxy, domB);
            Assert.Equal(typeof(IDomB), proxy.Interface);
            Assert.Equal(b.Id, proxy.CalleeId);
            Assert.True(proxy.IsBound);
            // Trusted generated code, not the domain's type: it lives in the proxies assembly, not a collectible context.
            Assert.Equal(ProxyRegistry.GeneratedAssembly, proxy.GetType().Assembly.GetName().Name);
            Assert.False(proxy.GetType().Assembly.IsCollectible);
            var wrongInterface = Assert.Throws<DomainException>(() => b.Get<IDomA>());
            Assert.Contains("exports IDomB, not IDomA", wrongInterface.Message);
        }
    }

    [Fact]
    public void CallsBetweenDomainsGoThroughTheGrantedProxy()
    {
        var (k, a, b) = TestDomains.WithDomAandB();
        using (k)
        {
            Assert.Equal(new[] { "IDomB" }, a.GrantedInterfaces);
            Assert.Equal(Enumerable.Range(0, 100).Sum(i => (long)i + 1), a.Get<IDomA>().Run(100).Value);
            // dom_b counted 100 Null and 100 Add calls from dom_a, plus this one.
            Assert.Equal(201, b.Get<IDomB>().Calls().Value);
        }
    }

    [Fact]
    public void NullAndPrimitiveCallsReturnTheCalleesValues()
    {
        var (k, _, domB) = TestDomains.WithDomB();
        using (k)
        {
            var ok = domB.Null();
            Assert.True(ok.IsOk);
            Assert.False(ok.Error.IsError);
            Assert.Equal(5, domB.Add(2, 3).Value);
            Assert.Equal(-7, domB.Add(-10, 3).Value);
            Assert.Equal(long.MinValue, domB.Add(long.MaxValue, 1).Value);
            Assert.Equal(5, domB.Calls().Value); // 4 calls before this one, all reached dom_b
        }
    }

    [Fact]
    public void MovingAnRRefInMakesTheCalleeItsOwner()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var p = RRef<Payload>.New(new Payload(20, 22));
            Assert.Equal(Microkernel.KernelId, k.Heap.OwnerOf(p));

            Assert.Equal(42, domB.Keep(p).Value);
            Assert.Equal(b.Id, k.Heap.OwnerOf(p));
            Assert.Equal((1, 16L), k.Heap.OwnedBy(b.Id));

            var e = Assert.Throws<OwnershipViolationException>(() => p.Value);
            Assert.Contains("use after move", e.Message);
            Assert.Contains($"owned by domain {b.Id}", e.Message);
            // The host's mistake faults nobody: the kernel and dom_b carry on.
            Assert.Equal(3, domB.Add(1, 2).Value);
            Assert.Equal(1, RRef<Payload>.New(new Payload(1, 1)).Value.A);
        }
    }

    [Fact]
    public void PassingAnRRefTheCallerNoLongerOwnsFailsInTheCallerAndLeavesTheCalleeAlone()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var p = RRef<Payload>.New(new Payload(1, 2));
            Assert.True(domB.Keep(p).IsOk);
            long callsBefore = domB.Calls().Value;

            Assert.Throws<OwnershipViolationException>(() => domB.Keep(p));
            Assert.Equal(DomainStatus.Running, b.Status);
            Assert.Equal(callsBefore + 1, domB.Calls().Value); // the refused call never reached dom_b
            Assert.Equal(b.Id, k.Heap.OwnerOf(p));
        }
    }

    [Fact]
    public void AResultRRefMovesOutToTheCaller()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            var produced = domB.Produce(5, 6); // plain host code, no scope: the kernel is the caller
            Assert.True(produced.IsOk);
            var r = produced.Value;
            Assert.Equal(Microkernel.KernelId, k.Heap.OwnerOf(r));
            Assert.Equal((0, 0L), k.Heap.OwnedBy(b.Id));

            using var scope = k.Enter();
            Assert.Equal((5, 6), (r.Value.A, r.Value.B));
            r.Value = new Payload(7, 8); // owned: writable
            r.Drop();
            Assert.Equal(0, k.Heap.LiveObjects);
        }
    }

    [Fact]
    public void AnRRefMadeInDomBMovesToDomAAndBack()
    {
        var (k, a, b) = TestDomains.WithDomAandB();
        using (k)
        {
            Assert.Equal(14, a.Get<IDomA>().RoundTrip(3, 4).Value); // (3*2) + (4*2)
            var node = Assert.Single(k.Heap.Snapshot().Nodes);
            Assert.Equal(b.Id, node.Owner);
            Assert.Equal("Payload", node.Type);
            Assert.Equal((0, 0L), k.Heap.OwnedBy(a.Id));
        }
    }

    [Fact]
    public void ABorrowLeavesOwnershipWithTheLenderAndEndsWithTheCall()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var p = RRef<Payload>.New(new Payload(3, 4));
            Assert.Equal(3004, domB.Inspect(in p).Value);

            var node = k.Heap.Node(p);
            Assert.Equal(Microkernel.KernelId, node.Owner);
            Assert.Equal(0, node.Borrows);
            Assert.Equal((0, 0L), k.Heap.OwnedBy(b.Id));
            p.Value = new Payload(5, 6); // writable again after the call
            Assert.Equal(5006, domB.Inspect(in p).Value);
            p.Drop();
        }
    }

    [Fact]
    public void DuringABorrowTheBorrowIsRecordedAndTheOwnerCannotWrite()
    {
        using var k = TestDomains.Boot();
        HeapNode? during = null;
        string? ownerWrite = null, ownerDrop = null;
        long ownerRead = 0;
        RRef<Payload64> lent = default;
        var probe = new HostCounter(n =>
        {
            // Runs on the host (the owner) while borrow_probe holds the borrow.
            during = k.Heap.Node(lent);
            try { lent.Value = default; } catch (OwnershipViolationException e) { ownerWrite = e.Message; }
            try { lent.Drop(); } catch (OwnershipViolationException e) { ownerDrop = e.Message; }
            ownerRead = lent.Value[0];
            return n;
        });
        var d = k.Load(TestDomains.BorrowProbe, probe);
        using var scope = k.Enter();
        var value = new Payload64();
        value[0] = 77;
        lent = RRef<Payload64>.New(value);

        Assert.Equal(77, d.Get<IBench>().Borrow(in lent).Value);

        Assert.NotNull(during);
        Assert.Equal(1, during.Borrows);
        Assert.Equal(d.Id, during.Borrower);
        Assert.Equal(Microkernel.KernelId, during.Owner);
        Assert.NotNull(ownerWrite);
        Assert.Contains("lent out", ownerWrite);
        Assert.NotNull(ownerDrop);
        Assert.Contains("tried to drop", ownerDrop);
        Assert.Equal(77, ownerRead);

        var after = k.Heap.Node(lent);
        Assert.Equal((0, Microkernel.KernelId), (after.Borrows, after.Owner));
        lent.Value = default; // and writable again
    }

    [Fact]
    public void WritingABorrowCrashesTheCalleeAndLeavesTheLendersRRefIntact()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var p = RRef<Payload>.New(new Payload(1, 2));
            var r = domB.WriteBorrowed(in p);

            Assert.Equal(RpcErrorKind.CalleeCrashed, r.Error.Kind);
            Assert.Equal(b.Id, r.Error.DomainId);
            Assert.Equal(DomainStatus.Crashed, b.Status);
            Assert.Equal(CrashKind.Fault, b.LastCrash!.Kind);
            Assert.Equal((1, 2), (p.Value.A, p.Value.B));
            var node = k.Heap.Node(p);
            Assert.Equal((Microkernel.KernelId, 0), (node.Owner, node.Borrows));
            p.Value = new Payload(3, 3);
            Assert.Equal(3, p.Value.A);
        }
    }

    [Fact]
    public void AWriteToABorrowIsReportedAsABorrowViolation()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var p = RRef<Payload>.New(new Payload(1, 2));
            domB.WriteBorrowed(in p);
            var reason = b.LastCrash!.Reason;
            Assert.Contains("write", reason);
            Assert.True(reason.Contains("borrow") || reason.Contains("lent"),
                $"the crash reason does not say the RRef was borrowed: {reason}");
            Assert.DoesNotContain("use after move", reason);
        }
    }

    [Fact]
    public void NestedRRefsMoveWithTheirParent()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var pair = HeapProbe.NewPair(10, 20, tag: 3);
            var (left, right) = (pair.Value.Left, pair.Value.Right);

            Assert.Equal(30, domB.KeepPair(pair).Value);

            Assert.Equal(b.Id, k.Heap.OwnerOf(pair));
            Assert.Equal(b.Id, k.Heap.OwnerOf(left));
            Assert.Equal(b.Id, k.Heap.OwnerOf(right));
            var snap = k.Heap.Snapshot();
            Assert.Equal(2, snap.Edges.Count);
            Assert.All(snap.Edges, e => Assert.True(e.SameOwner));
            Assert.Throws<OwnershipViolationException>(() => left.Value);

            Assert.Equal(1, domB.DropKept().Value); // one root: dropping it frees the children too
            Assert.Equal(0, k.Heap.LiveObjects);
        }
    }

    [Fact]
    public void ADequeBatchMovesInAndBackWithItsChildren()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var batch = RRefDeque<RRef<Payload>>.New(4);
            var items = Enumerable.Range(0, 3).Select(i => RRef<Payload>.New(new Payload(i * 10, i))).ToArray();
            foreach (var item in items) Assert.True(batch.TryPushBack(item));
            int links = k.Heap.Snapshot().Edges.Count;

            var result = domB.Bump(batch);
            Assert.True(result.IsOk, $"Bump failed: {result}; dom_b: {b.LastCrash?.Reason}");
            Assert.Equal(3, links); // the registry saw the deque's three children
            var back = result.Value;
            Assert.Equal(batch, back);
            Assert.All(new object[] { back }.Concat(items.Cast<object>()), h => Assert.Equal(Microkernel.KernelId, k.Heap.OwnerOf(h)));
            var bumped = new List<long>();
            while (back.TryPopFront(out var item)) bumped.Add(item.Value.A);
            Assert.Equal(new long[] { 1, 11, 21 }, bumped);
            Assert.Equal((0, 0L), k.Heap.OwnedBy(b.Id));
        }
    }

    [Fact]
    public void AnInterfaceResultComesBackAsAProxyToTheCalleesObject()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            var counter = domB.NewCounter(10).Value;
            var proxy = Assert.IsAssignableFrom<Proxy>(counter);
            Assert.Equal(typeof(ICounter), proxy.Interface);
            Assert.Equal(b.Id, proxy.CalleeId);
            Assert.False(counter.GetType().Assembly.IsCollectible);
            Assert.Equal(11, counter.Next().Value);
            Assert.Equal(12, counter.Next().Value);
            Assert.NotSame(counter, domB.NewCounter(10).Value);
        }
    }

    [Fact]
    public void AHostObjectPassedInIsWrappedAndCallsIntoItRunAsTheKernel()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            var owners = new List<int>();
            var host = new HostCounter(n =>
            {
                // Whatever the host allocates here belongs to the domain the proxy switched to.
                var r = RRef<Payload>.New(new Payload(n, n));
                owners.Add(k.Heap.OwnerOf(r));
                r.Drop();
                return n;
            });

            Assert.Equal(5, domB.Drive(host, 5).Value);
            Assert.Equal(5, host.Value);
            Assert.Equal(Enumerable.Repeat(Microkernel.KernelId, 5), owners);

            var granted = k.Grant<ICounter>(host);
            var proxy = Assert.IsAssignableFrom<Proxy>(granted);
            Assert.Equal(Microkernel.KernelId, proxy.CalleeId);
            Assert.Equal(6, granted.Next().Value);
        }
    }

    [Fact]
    public void ACounterOfOneDomainCanBeDrivenByAnotherAndItsDeathIsJustAValue()
    {
        using var k = TestDomains.Boot();
        var b1 = k.Load(TestDomains.DomB);
        var b2 = k.Load(TestDomains.DomB);
        var counter = b1.Get<IDomB>().NewCounter(100).Value;

        Assert.Equal(103, b2.Get<IDomB>().Drive(counter, 3).Value);
        Assert.Equal(104, counter.Next().Value); // b1's object kept its state

        k.Kill(b1);
        var r = b2.Get<IDomB>().Drive(counter, 3);
        Assert.Equal(RpcErrorKind.NotRunning, r.Error.Kind);
        Assert.Equal(b1.Id, r.Error.DomainId); // dom_b.2 passed b1's error on
        Assert.Equal(DomainStatus.Running, b2.Status);
    }

    [Fact]
    public void TheCallPathAllocatesNothing()
    {
        var (k, _, domB) = TestDomains.WithDomB();
        using (k)
        {
            var bench = k.Load(TestDomains.NullDomain).Get<IBench>();
            using var scope = k.Enter();
            var r = RRef<Payload64>.New(default);
            long sum = 0;
            for (int i = 0; i < 1000; i++) // warm up: JIT, type ids
            {
                domB.Null();
                sum += domB.Add(i, 1).Value;
                r = bench.Bounce(r).Value;
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                if (!domB.Null().IsOk) throw new InvalidOperationException("Null failed");
                sum += domB.Add(i, 1).Value;
                r = bench.Bounce(r).Value;
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(0, allocated);
            Assert.Equal(Microkernel.KernelId, k.Heap.OwnerOf(r));
            Assert.True(sum > 0);
        }
    }
}

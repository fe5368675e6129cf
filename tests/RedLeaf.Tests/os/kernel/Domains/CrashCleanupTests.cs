// tests/os/kernel/Domains: what happens when a domain crashes (os/kernel/Kernel/Microkernel.Lifecycle.cs,
// Proxies/ProxyRuntime.cs): the caller gets an RpcError and carries on; later calls are refused;
// everything the domain owned is dropped (the heap returns to where it was); the crash record says
// what was freed; the domain's load context is collected; a use after move crashes the offender
// only; and catching the violation inside the domain does not save it.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Proxies;
using Xunit;

namespace RedLeaf.Tests.Kernel;

[Trait("suite", "kernel")]
public class CrashCleanupTests
{
    private static readonly TimeSpan CollectLimit = TimeSpan.FromSeconds(5);

    [Fact]
    public void ACalleeThatThrowsIsCrashedAndTheCallerCarriesOn()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            var bench = k.Load(TestDomains.NullDomain).Get<IBench>();
            var r = domB.Crash();
            Assert.False(r.IsOk);
            Assert.Equal(RpcErrorKind.CalleeCrashed, r.Error.Kind);
            Assert.Equal(b.Id, r.Error.DomainId);

            Assert.Equal(DomainStatus.Crashed, b.Status);
            var crash = Assert.Single(b.Crashes);
            Assert.Equal(CrashKind.Exception, crash.Kind);
            Assert.Contains("InvalidOperationException", crash.Reason);
            Assert.Contains("dom_b crashed on purpose", crash.Reason);
            Assert.Equal(b.Id, crash.InstanceId);
            Assert.Contains(k.Log.Entries, e => e.Message.Contains("dom_b crashed on purpose"));

            // The host goes on calling other domains.
            Assert.True(bench.Null().IsOk);
            Assert.Equal(9, bench.Arg(9).Value);
        }
    }

    [Fact]
    public void LaterCallsToACrashedDomainAreRefusedWithNotRunning()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            domB.Crash();
            int crashedId = b.Id;
            var add = domB.Add(1, 2);
            Assert.Equal(RpcErrorKind.NotRunning, add.Error.Kind);
            Assert.Equal(crashedId, add.Error.DomainId);
            Assert.Equal(RpcErrorKind.NotRunning, domB.Null().Error.Kind);
            Assert.Equal(RpcErrorKind.NotRunning, domB.Crash().Error.Kind);
            Assert.Single(b.Crashes); // a refused call crashes nothing more
            Assert.False(((Proxy)domB).IsBound);
            var value = Assert.Throws<InvalidOperationException>(() => add.Value);
            Assert.Contains("NotRunning", value.Message);

            // An RRef offered to a domain that is not running stays with the caller.
            using var scope = k.Enter();
            var p = RRef<Payload>.New(new Payload(1, 2));
            Assert.Equal(RpcErrorKind.NotRunning, domB.Keep(p).Error.Kind);
            Assert.Equal(Microkernel.KernelId, k.Heap.OwnerOf(p));
            Assert.Equal(2, p.Value.B);
        }
    }

    [Fact]
    public void ADomainSurvivesTheCrashOfADomainItCalls()
    {
        var (k, a, b) = TestDomains.WithDomAandB();
        using (k)
        {
            Assert.Equal(1, a.Get<IDomA>().SurviveCalleeCrash().Value);
            Assert.Equal(DomainStatus.Running, a.Status);
            Assert.Equal(DomainStatus.Crashed, b.Status);
            Assert.Empty(a.Crashes);
            // dom_a passes dom_b's refusal on as a value; dom_a itself is fine.
            var run = a.Get<IDomA>().Run(3);
            Assert.Equal(RpcErrorKind.NotRunning, run.Error.Kind);
            Assert.Equal(b.Id, run.Error.DomainId);
            Assert.Equal(DomainStatus.Running, a.Status);
        }
    }

    [Fact]
    public void ACrashWhileOwningNestedRRefsReturnsTheHeapToWhereItWas()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var survivor = RRef<Payload>.New(new Payload(9, 9)); // the host's own: untouched
            var before = (k.Heap.LiveObjects, k.Heap.LiveBytes);

            var pair = HeapProbe.NewPair(1, 3);
            var left = pair.Value.Left;
            var r = domB.CrashHolding(pair);

            Assert.Equal(RpcErrorKind.CalleeCrashed, r.Error.Kind);
            Assert.Equal(before, (k.Heap.LiveObjects, k.Heap.LiveBytes));
            Assert.Equal((0, 0L), k.Heap.OwnedBy(b.Id));
            Assert.Single(k.Heap.Snapshot().Nodes);
            Assert.Equal(9, survivor.Value.A);
            Assert.Contains("use after free", Assert.Throws<OwnershipViolationException>(() => left.Value).Message);
            Assert.Throws<OwnershipViolationException>(() => pair.Value);
        }
    }

    [Fact]
    public void TheCrashRecordListsWhatTheCleanupFreed()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            domB.NewCounter(0); // a second proxy into dom_b, to be unbound
            using var scope = k.Enter();
            domB.CrashHolding(HeapProbe.NewPair(1, 3));

            var crash = b.LastCrash!;
            Assert.Equal("dom_b", crash.Domain);
            Assert.Equal(CrashKind.Exception, crash.Kind);
            Assert.Contains("dom_b crashed while owning RRefs", crash.Reason);
            // The pair and its two payloads, the payload it allocated, and its 128-long array.
            Assert.Equal(5, crash.FreedObjects);
            Assert.Equal(24 + 16 + 16 + 16 + 128 * 8, crash.FreedBytes);
            Assert.Equal(2, crash.ProxiesUnbound);
            Assert.Contains("freed 5 objects, 1096 bytes", crash.ToString());
            Assert.Contains(k.Log.Entries, e => e.Message.Contains("freed 5 objects, 1096 bytes"));
        }
    }

    [Fact]
    public async Task TheCrashedDomainsLoadContextIsCollected()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            var counter = domB.NewCounter(1).Value; // a proxy to a dom_b object stays with the test
            CrashWithNestedRRefs(k, domB);
            Assert.Equal(RpcErrorKind.NotRunning, counter.Next().Error.Kind);

            var collected = await HeapProbe.CollectedWithin(b.LastCrash!, CollectLimit);
            Assert.True(collected.Collected, "the crashed domain's load context was not collected: something still roots its code");
            Assert.InRange(collected.FullCollections, 1, k.Options.CollectionAttempts);
            Assert.Contains(k.Log.Entries, e => e.Message.Contains("load context collected"));
        }
    }

    private static void CrashWithNestedRRefs(Microkernel k, IDomB domB)
    {
        using var scope = k.Enter();
        Assert.Equal(RpcErrorKind.CalleeCrashed, domB.CrashHolding(HeapProbe.NewPair(1, 2)).Error.Kind);
    }

    [Fact]
    public void AUseAfterMoveCrashesTheOffenderOnly()
    {
        var (k, a, b) = TestDomains.WithDomAandB();
        using (k)
        {
            var r = a.Get<IDomA>().UseAfterMove();
            Assert.Equal(RpcErrorKind.CalleeCrashed, r.Error.Kind);
            Assert.Equal(a.Id, r.Error.DomainId);

            Assert.Equal(DomainStatus.Crashed, a.Status);
            Assert.Equal(CrashKind.Fault, a.LastCrash!.Kind);
            Assert.Contains("use after move", a.LastCrash.Reason);
            Assert.Contains($"owned by domain {b.Id}", a.LastCrash.Reason);

            Assert.Equal(DomainStatus.Running, b.Status);
            Assert.Empty(b.Crashes);
            var domB = b.Get<IDomB>();
            Assert.Equal(3, domB.Add(1, 2).Value);
            Assert.Equal((1, 16L), k.Heap.OwnedBy(b.Id)); // the moved payload is still dom_b's
            Assert.Equal(1, domB.DropKept().Value);
        }
    }

    [Fact]
    public void ADomainThatCatchesTheViolationItselfIsStillCrashed()
    {
        using var k = TestDomains.Boot();
        var catcher = k.Load(TestDomains.Catcher);
        var r = catcher.Get<IBench>().Null(); // reads a null RRef inside try/catch (OwnershipViolationException)

        Assert.Equal(RpcErrorKind.CalleeCrashed, r.Error.Kind);
        Assert.Equal(catcher.Id, r.Error.DomainId);
        Assert.Equal(DomainStatus.Crashed, catcher.Status);
        Assert.Equal(CrashKind.Fault, catcher.LastCrash!.Kind);
        Assert.Contains("null RRef", catcher.LastCrash.Reason);
        Assert.Equal(RpcErrorKind.NotRunning, catcher.Get<IBench>().Null().Error.Kind);
    }

    [Fact]
    public void ACatchAllDoesNotSaveTheDomainEither()
    {
        using var k = TestDomains.Boot();
        var catcher = k.Load(TestDomains.Catcher);
        var r = catcher.Get<IBench>().Arg(5); // use after free inside catch (Exception)

        Assert.Equal(RpcErrorKind.CalleeCrashed, r.Error.Kind);
        Assert.Equal(DomainStatus.Crashed, catcher.Status);
        Assert.Contains("use after free", catcher.LastCrash!.Reason);
        Assert.Equal(0, k.Heap.LiveObjects);
    }

    [Fact]
    public void CatchingAWriteToABorrowDoesNotSaveTheDomainAndTheLenderKeepsItsValue()
    {
        using var k = TestDomains.Boot();
        var catcher = k.Load(TestDomains.Catcher);
        using var scope = k.Enter();
        var v = new Payload64();
        v[0] = 5;
        var lent = RRef<Payload64>.New(v);

        var r = catcher.Get<IBench>().Borrow(in lent);
        Assert.Equal(RpcErrorKind.CalleeCrashed, r.Error.Kind);
        Assert.Equal(DomainStatus.Crashed, catcher.Status);
        Assert.Equal(5, lent.Value[0]);
        Assert.Equal(0, k.Heap.Node(lent).Borrows);
    }

    [Fact]
    public void AFaultedCalleesResultRRefDoesNotLeakToTheCaller()
    {
        using var k = TestDomains.Boot();
        var catcher = k.Load(TestDomains.Catcher);
        using var scope = k.Enter();
        var before = (k.Heap.LiveObjects, k.Heap.LiveBytes);

        // Catcher drops the argument, swallows the use after free, then returns a fresh RRef.
        var r = catcher.Get<IBench>().Bounce(RRef<Payload64>.New(default));
        Assert.Equal(RpcErrorKind.CalleeCrashed, r.Error.Kind);
        Assert.Equal(DomainStatus.Crashed, catcher.Status);

        var leaked = k.Heap.Snapshot().Nodes;
        Assert.True(before == (k.Heap.LiveObjects, k.Heap.LiveBytes),
            $"after the crash the heap holds {leaked.Count} object(s) nobody can reach: " +
            string.Join(", ", leaked.Select(n => $"#{n.Index} {n.Type} owned by {n.Owner}")));
    }

    [Fact]
    public void AFaultInsideTheEntryPointCrashesTheDomainAtStart()
    {
        using var k = TestDomains.Boot();
        var image = RedLeaf.Os.Compiler.TrustedCompiler.Default.CompileText("faults_at_start", """
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Workloads;
            public static class Entry
            {
                [DomainEntry]
                public static IBench? Start()
                {
                    try { _ = default(RRef<long>).Value; } catch (OwnershipViolationException) { }
                    return null;
                }
            }
            """);
        var e = Assert.Throws<DomainException>(() => k.Load(image));
        Assert.Contains("faults_at_start", e.Message);
        Assert.Contains("null RRef", e.Message);
        var d = k["faults_at_start"];
        Assert.Equal(DomainStatus.Crashed, d.Status);
        Assert.Equal(CrashKind.Start, d.LastCrash!.Kind);
    }

    [Fact]
    public async Task AnRRefOfATypeDeclaredInADomainIsRefusedAndDoesNotPinTheDomain()
    {
        using var k = TestDomains.Boot();
        var image = RedLeaf.Os.Compiler.TrustedCompiler.Default.CompileText("own_type", """
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Workloads;
            public struct Secret { public long X; }
            public static class Entry { [DomainEntry] public static IBench Start() => new Impl(); }
            internal sealed class Impl : IBench
            {
                public RpcResult Null() { RRef<Secret>.New(new Secret { X = 1 }); return RpcResult.Ok; }
                public RpcResult<long> Arg(long x) => x;
                public RpcResult<RRef<Payload64>> Bounce(RRef<Payload64> r) => r;
                public RpcResult<long> Borrow(in RRef<Payload64> r) => 0;
            }
            """);
        var d = k.Load(image);
        var r = d.Get<IBench>().Null();

        Assert.Equal(RpcErrorKind.CalleeCrashed, r.Error.Kind);
        Assert.Equal(CrashKind.Fault, d.LastCrash!.Kind);
        Assert.Contains("Secret is declared in a domain", d.LastCrash.Reason);
        Assert.Equal(0, k.Heap.LiveObjects);
        var collected = await HeapProbe.CollectedWithin(d.LastCrash, CollectLimit);
        Assert.True(collected.Collected, "the refused type's registration keeps the domain's code alive");
    }
}

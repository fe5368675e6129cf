// tests/os/kernel/Proxies: a call that fails before the callee runs must leave every argument as it was (os/README.md,
// "What isolation guarantees", class 7). A proxy moves or lends its RRef arguments one by one, in the
// caller's context; when a later one fails its check, the earlier ones had already gone to the callee
// (moved: the caller lost them; lent: the caller's object stayed lent for good, so it could never be
// written, moved or dropped again). The callee never ran, so it must not end up holding anything.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class ProxyUndoAttacks
{
    /// <summary>An honest callee: keeps what it is given, counts its calls (so a test can show it never ran).</summary>
    private static readonly Lazy<DomainImage> Taker = new(() => TrustedCompiler.Default.CompileText("undo_taker", """
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;
        public static class Entry { [DomainEntry] public static ITransfer Start() { return new Taker(); } }
        sealed class Taker : ITransfer
        {
            private readonly List<RRef<Payload>> _kept = new();
            private readonly List<RRefDeque<RRef<Payload>>> _batches = new();
            public RpcResult<long> Both(RRef<Payload> a, RRef<Payload> b) { _kept.Add(a); _kept.Add(b); return a.Value.A + b.Value.A; }
            public RpcResult<long> LendThenMove(in RRef<Payload> a, RRef<Payload> b) { _kept.Add(b); return a.Value.A + b.Value.A; }
            public RpcResult<long> MoveThenLend(RRef<Payload> a, in RRef<Payload> b) { _kept.Add(a); return a.Value.A + b.Value.A; }
            public RpcResult<long> LendBoth(in RRef<Payload> a, in RRef<Payload> b) => a.Value.A + b.Value.A;
            public RpcResult<long> BatchThenOne(RRefDeque<RRef<Payload>> batch, RRef<Payload> b) { _batches.Add(batch); _kept.Add(b); return batch.Count + 1; }
            public RpcResult<long> MoveThenCounter(RRef<Payload> a, ICounter counter) { _kept.Add(a); return counter.Next(); }
            public RpcResult<long> Peek(in RRef<Payload> a) => _kept.Count + _batches.Count; // what it holds
        }
        """, "undo_taker.cs"));

    /// <summary>What the callee holds (it answers Peek with that count).</summary>
    private static long Held(Microkernel k, Domain taker)
    {
        using var _ = k.Enter();
        var probe = RRef<Payload>.New(new Payload(0, 0));
        long held = taker.Get<ITransfer>().Peek(in probe).Value;
        probe.Drop();
        return held;
    }

    /// <summary>The caller's RRef is its own again: readable, writable, droppable.</summary>
    private static void StillTheCallers(RRef<Payload> r, long a)
    {
        Assert.Equal(a, r.Value.A);
        r.Value = new Payload(a + 1, 0);
        Assert.Equal(a + 1, r.Value.A);
        r.Drop();
    }

    private static RRef<Payload> Dropped()
    {
        var r = RRef<Payload>.New(new Payload(-1, -1));
        r.Drop();
        return r;
    }

    /// <summary>The same RRef as both arguments: the first moves it, the second finds it gone. Before, the
    /// object stayed with the callee, who never ran: the host lost it (its next read was a use after move).</summary>
    [Fact]
    public void TheSameRRefPassedTwice()
    {
        using var k = Boot();
        var taker = k.Load(Taker.Value);
        long live = k.Heap.LiveObjects;
        using (k.Enter())
        {
            var a = RRef<Payload>.New(new Payload(5, 6));
            var e = Assert.Throws<OwnershipViolationException>(() => taker.Get<ITransfer>().Both(a, a));
            Assert.Contains("use after move", e.Message);
            StillTheCallers(a, 5);
        }
        Assert.Equal(live, k.Heap.LiveObjects);
        Assert.Equal(DomainStatus.Running, taker.Status);
        Assert.Equal(0, Held(k, taker));
    }

    /// <summary>A lend, then a dropped RRef: before, the first stayed lent to the callee for good, so the
    /// host could neither write nor drop its own object again.</summary>
    [Fact]
    public void ALendThenADroppedRRef()
    {
        using var k = Boot();
        var taker = k.Load(Taker.Value);
        long live = k.Heap.LiveObjects;
        using (k.Enter())
        {
            var a = RRef<Payload>.New(new Payload(3, 4));
            var stale = Dropped();
            var e = Assert.Throws<OwnershipViolationException>(() => taker.Get<ITransfer>().LendThenMove(in a, stale));
            Assert.Contains("use after free", e.Message);
            StillTheCallers(a, 3);
        }
        Assert.Equal(live, k.Heap.LiveObjects);
        Assert.Equal(0, Held(k, taker));
    }

    /// <summary>A whole batch (an RRefDeque of payloads), then a dropped RRef: before, the batch and every
    /// payload in it stayed with the callee.</summary>
    [Fact]
    public void ABatchThenADroppedRRef()
    {
        using var k = Boot();
        var taker = k.Load(Taker.Value);
        long live = k.Heap.LiveObjects;
        using (k.Enter())
        {
            var batch = RRefDeque<RRef<Payload>>.New(4);
            for (int i = 0; i < 3; i++) Assert.True(batch.TryPushBack(RRef<Payload>.New(new Payload(i, i))));
            var stale = Dropped();
            Assert.Throws<OwnershipViolationException>(() => taker.Get<ITransfer>().BatchThenOne(batch, stale));
            Assert.Equal(3, batch.Count);
            while (batch.TryPopFront(out var p)) StillTheCallers(p, p.Value.A);
            batch.Drop();
        }
        Assert.Equal(live, k.Heap.LiveObjects);
        Assert.Equal(0, Held(k, taker));
    }

    /// <summary>A move, then a lend of the same RRef (which the move just gave away): before, the object
    /// stayed moved to the callee.</summary>
    [Fact]
    public void AMoveThenALendOfTheSameRRef()
    {
        using var k = Boot();
        var taker = k.Load(Taker.Value);
        long live = k.Heap.LiveObjects;
        using (k.Enter())
        {
            var a = RRef<Payload>.New(new Payload(8, 0));
            Assert.Throws<OwnershipViolationException>(() => taker.Get<ITransfer>().MoveThenLend(a, in a));
            StillTheCallers(a, 8);
        }
        Assert.Equal(live, k.Heap.LiveObjects);
        Assert.Equal(0, Held(k, taker));
    }

    /// <summary>Two lends, the second of an RRef the host had already moved to the callee in an earlier call:
    /// before, the first stayed lent for good.</summary>
    [Fact]
    public void ALendThenALendOfAnRRefMovedAway()
    {
        using var k = Boot();
        var taker = k.Load(Taker.Value);
        var t = taker.Get<ITransfer>();
        using (k.Enter())
        {
            var given1 = RRef<Payload>.New(new Payload(1, 0));
            var given2 = RRef<Payload>.New(new Payload(2, 0));
            Assert.Equal(3, t.Both(given1, given2).Value); // the callee keeps both
            long live = k.Heap.LiveObjects;
            var a = RRef<Payload>.New(new Payload(11, 0));
            Assert.Throws<OwnershipViolationException>(() => t.LendBoth(in a, in given1));
            StillTheCallers(a, 11);
            Assert.Equal(live, k.Heap.LiveObjects);
        }
        Assert.Equal(2, Held(k, taker));
    }

    /// <summary>A domain as the caller, passing one of its RRefs twice: it faults (a bad handle is the
    /// caller's fault) and its objects are freed with it; before, the object moved by the first argument
    /// stayed with the callee, which never ran, after the caller was gone.</summary>
    [Fact]
    public async Task ADomainCallerPassingItsRRefTwice()
    {
        using var k = Boot();
        var taker = k.Load(Taker.Value);
        var image = Accepted("""
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            public static class Entry { [DomainEntry] public static IHostile Start(ITransfer t) { return new Caller(t); } }
            sealed class Caller : IHostile
            {
                private readonly ITransfer _t;
                public Caller(ITransfer t) { _t = t; }
                public RpcResult<long> Run(long argument)
                {
                    var x = RRef<Payload>.New(new Payload(argument, argument));
                    return _t.Both(x, x).IsOk ? 1 : 0;
                }
            }
            """);
        var caller = k.Load(image, taker.Export!);
        long live = k.Heap.LiveObjects;
        var outcome = Call(k, caller, 42);
        Assert.Equal(RpcErrorKind.CalleeCrashed, outcome.Result.Error.Kind);
        await AssertContained(k, caller, live, "use after move");
        Assert.Equal(DomainStatus.Running, taker.Status);
        Assert.Equal(0, Held(k, taker));
    }
}

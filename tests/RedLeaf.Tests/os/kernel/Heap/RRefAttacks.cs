// tests/os/kernel/Heap: domains that misuse RRefs to reach shared-heap objects they do not own: use after
// drop, double drop, the default (forged) handle, use after moving to another domain (at once, or a
// copy kept for later), dropping what was moved away, writing to a borrow, keeping a borrow past the
// call, returning or forwarding a borrowed RRef as if owned, adopting a borrowed RRef as a child of an
// owned one, a child held twice. Every misuse must fault the offender only: the owner's object stays
// intact, the caller gets an RpcError, and the heap ends at its baseline.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Tests.Kernel;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class RRefAttacks
{
    [Fact]
    public Task UseAfterDrop() => CrashesContained(Accepted(Source("""
                var r = RRef<Payload>.New(new Payload(argument, 2));
                r.Drop();
                return r.Value.A;
        """)), 1, "use after free");

    [Fact]
    public Task DoubleDrop() => CrashesContained(Accepted(Source("""
                var r = RRef<Payload>.New(new Payload(argument, 2));
                r.Drop();
                r.Drop();
                return 0;
        """)), 1, "use after free");

    [Fact]
    public Task TheDefaultHandleAsAForgedRRef() => CrashesContained(Accepted(Source("""
                RRef<Payload> forged = default;
                forged.Value = new Payload(argument, argument); // write through a handle that names nothing
                return 0;
        """)), 1, "null RRef");

    [Fact]
    public Task AStaleHandleAfterTheSlotIsReused() => CrashesContained(Accepted(Source("""
                var old = RRef<Payload>.New(new Payload(1, 1));
                old.Drop();
                var fresh = RRef<Payload>.New(new Payload(2, 2)); // likely the same slot
                old.Value = new Payload(-1, -1);
                return fresh.Value.A;
        """)), 1, "use after free");

    [Fact]
    public Task CatchingTheOwnershipViolationDoesNotSaveTheDomain() => CrashesContained(Accepted(Source("""
                var r = RRef<Payload>.New(new Payload(1, 1));
                r.Drop();
                try { return r.Value.A; }
                catch (OwnershipViolationException) { return 42; } // pretend nothing happened
        """)), 1, "use after free");

    [Fact]
    public Task ReadingAnRRefArrayPastItsEnd() => CrashesContained(Accepted(Source("""
                var a = RRefArray<long>.New(4);
                return a[(int)argument];
        """)), 1000, "");

    // ---- moves to another domain: the attacker is granted dom_b ------------------------------------

    private static string Mover(string run) => $$"""
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;

        public static class Entry
        {
            [DomainEntry]
            public static IHostile Start(IDomB b) => new Attack(b);
        }

        sealed class Attack : IHostile
        {
            private readonly IDomB _b;
            private RRef<Payload> _copy;
            public Attack(IDomB b) => _b = b;

            public RpcResult<long> Run(long argument)
            {
        {{run}}
            }
        }
        """;

    /// <summary>Loads dom_b and the attacker (granted dom_b), calls Run for each argument, expects the last
    /// call to crash the attacker with <paramref name="reason"/>; dom_b must still own and read what it was given.</summary>
    private static async Task MoverCrashes(string run, string reason, params long[] arguments)
    {
        using var k = Boot();
        var b = k.Load(TestDomains.DomB);
        long live = k.Heap.LiveObjects;
        var d = k.Load(Accepted(Mover(run), "Mover_" + Math.Abs(run.GetHashCode())), b.Export!);
        RpcResult<long> last = default;
        foreach (var a in arguments) last = Call(k, d, a).Result;
        Assert.True(last.Error.Kind == RpcErrorKind.CalleeCrashed, $"expected CalleeCrashed, got {last}; {d.LastCrash}");
        Assert.Contains(reason, d.LastCrash!.Reason);
        Assert.Equal(DomainStatus.Running, b.Status);
        Assert.Equal((0, 0L), k.Heap.OwnedBy(d.Id));
        Assert.Equal(1, b.Get<IDomB>().DropKept().Value); // dom_b still owns the payload it was given, and can drop it
        await AssertContained(k, d, live);
    }

    [Fact]
    public Task UseAfterMove() => MoverCrashes("""
                var p = RRef<Payload>.New(new Payload(argument, 2));
                _b.Keep(p);
                return p.Value.A; // moved to dom_b a line ago
        """, "", 1);

    [Fact]
    public Task WriteAfterMove() => MoverCrashes("""
                var p = RRef<Payload>.New(new Payload(argument, 2));
                _b.Keep(p);
                p.Value = new Payload(-1, -1); // scribble on dom_b's object
                return 0;
        """, "", 1);

    [Fact]
    public Task DropAfterMove() => MoverCrashes("""
                var p = RRef<Payload>.New(new Payload(argument, 2));
                _b.Keep(p);
                p.Drop(); // free dom_b's object under it
                return 0;
        """, "", 1);

    [Fact]
    public Task ACopyKeptAfterTheMoveAndUsedInALaterCall() => MoverCrashes("""
                if (argument == 0)
                {
                    _copy = RRef<Payload>.New(new Payload(7, 7));
                    _b.Keep(_copy); // moved; the field still holds the handle
                    return 0;
                }
                return _copy.Value.A; // a later call reads dom_b's object
        """, "", 0, 1);

    [Fact]
    public Task MovingTheSameRRefTwice() => MoverCrashes("""
                var p = RRef<Payload>.New(new Payload(argument, 2));
                _b.Keep(p);
                _b.Keep(p); // give away what is no longer ours
                return 0;
        """, "", 1);

    // ---- borrows: the attacker implements IDomB and the host lends it its RRefs ----------------------

    [Fact]
    public Task AdoptingABorrowAsTheChildOfAnOwnedRRef() => LenderSurvives(Borrower("""
                var pair = RRef<Pair>.New(new Pair { Left = p, Right = RRef<Payload>.New(new Payload(0, 0)) });
                pair.Drop(); // drops its children too: the lender's object?
                return 0;
        """), (x, mine) => x.Inspect(in mine).Error);

    [Fact]
    public Task SmugglingABorrowToAnotherDomainInsideAnOwnedParent() => LenderSurvives(Borrower("""
                var pair = RRef<Pair>.New(new Pair { Left = p, Right = RRef<Payload>.New(new Payload(0, 0)) });
                return _b.KeepPair(pair); // moves the pair and its children: the lender's object too?
        """), (x, mine) => x.Inspect(in mine).Error);

    private static string Borrower(string inspect, string produce = "RRef<Payload>.New(new Payload(a, b))", string members = "") => $$"""
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;

        public static class Entry
        {
            [DomainEntry]
            public static IDomB Start(IDomB b) => new Attack(b);
        }

        sealed class Attack : IDomB
        {
            private readonly IDomB _b;
            private RRef<Payload> _stash;
            public Attack(IDomB b) => _b = b;
        {{members}}
            public RpcResult<long> Inspect(in RRef<Payload> p)
            {
        {{inspect}}
            }
            public RpcResult WriteBorrowed(in RRef<Payload> p) { p.Value = new Payload(-1, -1); return RpcResult.Ok; }
            public RpcResult<long> Add(long a, long b) => _stash.Value.A + a + b;
            public RpcResult<RRef<Payload>> Produce(long a, long b) => {{produce}};
            public RpcResult Null() => RpcResult.Ok;
            public RpcResult<long> Keep(RRef<Payload> p) { p.Drop(); return 0; }
            public RpcResult<long> KeepPair(RRef<Pair> pair) { pair.Drop(); return 0; }
            public RpcResult<long> DropKept() { _stash.Drop(); return 0; }
            public RpcResult<RRefDeque<RRef<Payload>>> Bump(RRefDeque<RRef<Payload>> batch) => batch;
            public RpcResult<long> KeepBatch(RRefDeque<RRef<Payload>> batch) { batch.Drop(); return 0; }
            public RpcResult<RRefDeque<RRef<Pair>>> SwapPairs(RRefDeque<RRef<Pair>> batch) => batch;
            public RpcResult Crash() => throw new InvalidOperationException("crash");
            public RpcResult CrashHolding(RRef<Pair> pair) => throw new InvalidOperationException("crash");
            public RpcResult<long> Calls() => 0;
            public RpcResult<ICounter> NewCounter(long start) => _b.NewCounter(start);
            public RpcResult<long> Drive(ICounter counter, long n) => 0;
        }
        """;

    /// <summary>Lends the host's RRef to the attacker through <paramref name="attack"/>; the attacker must
    /// crash (on that call or the next), and the host's object must be untouched and still the host's.</summary>
    private static async Task LenderSurvives(string source, Func<IDomB, RRef<Payload>, RpcError> attack)
    {
        using var k = Boot();
        var b = k.Load(TestDomains.DomB);
        long live = k.Heap.LiveObjects;
        var d = k.Load(Accepted(source, "Borrower_" + Math.Abs(source.GetHashCode())), b.Export!);
        using (k.Enter())
        {
            var mine = RRef<Payload>.New(new Payload(5, 6));
            var error = attack(d.Get<IDomB>(), mine);
            Assert.True(k.Heap.IsLive(mine), $"the host's lent object was freed by the attacker (attacker {d.Status}, dom_b {b.Status}; {d.LastCrash}; {b.LastCrash})");
            Assert.True(k.Heap.OwnerOf(mine) == Microkernel.KernelId, $"the host's lent object now belongs to domain {k.Heap.OwnerOf(mine)}");
            Assert.Equal((5, 6), (mine.Value.A, mine.Value.B));
            Assert.True(b.Status == DomainStatus.Running, $"dom_b, an innocent third party, was crashed by the attacker's misuse: {b.LastCrash}");
            Assert.True(d.Status != DomainStatus.Running && error.Kind == RpcErrorKind.CalleeCrashed,
                $"the attacker was not stopped: it is {d.Status}, the host got {error}");
            mine.Drop();
        }
        await AssertContained(k, d, live);
    }

    [Fact]
    public Task WritingThroughABorrow() => LenderSurvives(Borrower("        return 0;"),
        (x, mine) => x.WriteBorrowed(in mine).Error);

    [Fact]
    public Task DroppingABorrow() => LenderSurvives(Borrower("""
                p.Drop();
                return 0;
        """), (x, mine) => x.Inspect(in mine).Error);

    [Fact]
    public Task KeepingABorrowPastTheCall() => LenderSurvives(Borrower("""
                _stash = p; // the handle is a value: copy it out of the borrow
                return p.Value.A;
        """), (x, mine) =>
        {
            Assert.Equal(5, x.Inspect(in mine).Value);
            return x.Add(0, 0).Error; // now read it without a borrow
        });

    [Fact]
    public Task ReturningABorrowAsIfOwned() => LenderSurvives(Borrower("""
                _stash = p;
                return 0;
        """, produce: "_stash"), (x, mine) =>
        {
            Assert.True(x.Inspect(in mine).IsOk);
            return x.Produce(0, 0).Error; // hand the host its own object back, "moved"
        });

    [Fact]
    public Task ForwardingABorrowToAnotherDomainAsAMove() => LenderSurvives(Borrower("""
                return _b.Keep(p); // move what is only lent
        """), (x, mine) => x.Inspect(in mine).Error);



    [Fact]
    public async Task AChildHeldTwiceIsFreedOnce()
    {
        var image = Accepted(Source("""
                    var child = RRef<Payload>.New(new Payload(argument, argument));
                    var pair = RRef<Pair>.New(new Pair { Left = child, Right = child });
                    pair.Drop();
                    return child.Value.A; // freed with its parent
            """));
        using var k = Boot();
        var d = k.Load(image);
        long live = k.Heap.LiveObjects;
        long bytes = k.Heap.LiveBytes;
        var outcome = Call(k, d, 3);
        Assert.Equal(RpcErrorKind.CalleeCrashed, outcome.Result.Error.Kind);
        Assert.Equal(bytes, k.Heap.LiveBytes);
        await AssertContained(k, d, live, "use after free");
    }
}

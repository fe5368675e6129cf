// tests/os/kernel/Heap: a lender dies while its borrower reads (issue 17, class 2). The lender lends an RRef
// of its own to an innocent reader and then crashes: killed by the host, or faulted by its own second thread.
// The crash cleanup must not free what is lent out under the reader's call (the reader would fault on a "use
// after free" it did nothing to cause): the tree stays, orphaned, readable by its borrower only, and is freed
// when the last lend ends. The reader reads the lent object, is then held by the heap's test pause point
// (HeapRaceHook) at the drop of a scratch object of its own, outside any access, while the lender crashes and is
// cleaned up; then it reads again. A fifth attack kills the lender between its lend's check and the count.
// Containment: the reader keeps running and both its reads saw the lender's value, the lender's call comes
// back with an error, the heap is back to its baseline with no orphan left, the lender's context is collected.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Heap;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
[Collection("heap races")]
public class LenderCrashAttacks
{
    private const long Magic = 0x5EC_0000_0000_0018;

    /// <summary>The innocent reader: Inspect reads, drops a scratch object (where the test holds it), reads
    /// again; Calls() answers what the second read saw (-1 if the two reads differed).</summary>
    private const string Reader = """
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;

        public static class Entry
        {
            [DomainEntry]
            public static IDomB Start() { return new Reader(); }
        }

        sealed class Reader : IDomB
        {
            private long _seen;
            private static System.Exception No() { return new System.InvalidOperationException("not used by this test"); }
            public RpcResult<long> Inspect(in RRef<Payload> p)
            {
                long first = p.Value.A;
                RRef<Payload>.New(new Payload(1, 1)).Drop(); // the test holds the reader here
                long second = p.Value.A;
                _seen = first == second ? second : -1;
                return second;
            }
            public RpcResult<long> Calls() { return _seen; }
            public RpcResult Null() { return RpcResult.Ok; }
            public RpcResult<long> Add(long a, long b) { return a + b; }
            public RpcResult<long> Keep(RRef<Payload> p) { p.Drop(); return 0; }
            public RpcResult<RRef<Payload>> Produce(long a, long b) { throw No(); }
            public RpcResult WriteBorrowed(in RRef<Payload> p) { throw No(); }
            public RpcResult<long> KeepPair(RRef<Pair> pair) { pair.Drop(); return 0; }
            public RpcResult<long> DropKept() { return 0; }
            public RpcResult<RRefDeque<RRef<Payload>>> Bump(RRefDeque<RRef<Payload>> batch) { return batch; }
            public RpcResult<long> KeepBatch(RRefDeque<RRef<Payload>> batch) { batch.Drop(); return 0; }
            public RpcResult<RRefDeque<RRef<Pair>>> SwapPairs(RRefDeque<RRef<Pair>> batch) { return batch; }
            public RpcResult Crash() { throw No(); }
            public RpcResult CrashHolding(RRef<Pair> pair) { pair.Drop(); throw No(); }
            public RpcResult<ICounter> NewCounter(long start) { throw No(); }
            public RpcResult<long> Drive(ICounter counter, long n) { throw No(); }
        }
        """;

    /// <summary>The lender: Run sets up, optionally spawns a racer, and lends to the reader.</summary>
    private static string Lender(string setup, string lend, string racer = "") => $$"""
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;

        public static class Entry
        {
            [DomainEntry]
            public static IHostile Start(IDomB reader) { return new Lender(reader); }
        }

        sealed class Shared
        {
            public RRef<Payload> Target;
            public RRefDeque<RRef<Payload>> Batch;
            public RRef<Pair> Parent;
            public IDomB Reader = null!;
        }

        sealed class Racer : IThreadBody
        {
            private readonly Shared S;
            public Racer(Shared s) { S = s; }
            public RpcResult Run()
            {
        {{racer}}
                return RpcResult.Ok;
            }
        }

        sealed class Lender : IHostile
        {
            private readonly Shared S = new Shared();
            public Lender(IDomB reader) { S.Reader = reader; }
            public RpcResult<long> Run(long argument)
            {
        {{setup}}
        {{(racer.Length == 0 ? "" : "        DomainThreads.Spawn(\"racer\", new Racer(S));")}}
        {{lend}}
            }
        }
        """;

    /// <summary>The pause points: holds the reader at its scratch drop (between its reads), a racer of the lender
    /// until then, and (if asked) the lender inside its lend's check.</summary>
    private sealed class Hold : IDisposable
    {
        private readonly int _reader, _lender;
        private readonly bool _holdLend;
        private int _readerHeld, _lendHeld;
        public readonly ManualResetEventSlim ReaderHeld = new(), LendHeld = new(), Release = new();

        public Hold(int reader, int lender, bool holdLend = false)
        {
            (_reader, _lender, _holdLend) = (reader, lender, holdLend);
            HeapRaceHook.Install(On);
        }

        private void On(HeapRacePoint point, int domain, int slot, long first)
        {
            if (point == HeapRacePoint.Begin && domain == _reader && Interlocked.CompareExchange(ref _readerHeld, 1, 0) == 0)
            {
                ReaderHeld.Set();
                Release.Wait(TimeSpan.FromSeconds(10));
            }
            else if (point == HeapRacePoint.Begin && domain == _lender && Thread.CurrentThread.Name?.EndsWith(":racer") == true)
                ReaderHeld.Wait(TimeSpan.FromSeconds(10)); // the racer acts once the reader is inside its call
            else if (_holdLend && point == HeapRacePoint.Checked && domain == _lender && first == Magic && Interlocked.CompareExchange(ref _lendHeld, 1, 0) == 0)
            {
                LendHeld.Set();
                Release.Wait(TimeSpan.FromSeconds(10));
            }
        }

        public void Dispose()
        {
            HeapRaceHook.Install(null);
            Release.Set();
        }
    }

    private static (Microkernel K, Domain Reader, Domain Lender, long Live) Setup(string setup, string lend, string racer, string name)
    {
        var k = Boot();
        var r = k.Load(Accepted(Reader, name + "_reader"));
        long live = k.Heap.LiveObjects;
        var l = k.Load(Accepted(Lender(setup, lend, racer), name), r.Export!);
        return (k, r, l, live);
    }

    /// <summary>The lender lends; once the reader is held between its reads, <paramref name="crash"/> makes the lender
    /// die and returns when its cleanup is done; then the reader goes on. Asserts containment.</summary>
    private static async Task LenderDiesWhileItsLendIsRead(string setup, string lend, string racer, Action<Microkernel, Domain> crash, string name)
    {
        var (k, r, l, live) = Setup(setup, lend, racer, name);
        using var _ = k;
        CallOutcome outcome;
        using (var h = new Hold(r.Id, l.Id))
        {
            var call = Task.Run(() => Call(k, l, 0, timeout: TimeSpan.FromSeconds(30)));
            Assert.True(h.ReaderHeld.Wait(TimeSpan.FromSeconds(10)), $"the reader was never inside the lent call; lender {l.Status}: {l.LastCrash?.Reason}");
            crash(k, l);
            h.Release.Set();
            outcome = await call;
        }
        await ReaderUnharmed(k, r, l, live, outcome);
    }

    private static async Task ReaderUnharmed(Microkernel k, Domain r, Domain l, long live, CallOutcome outcome)
    {
        Assert.True(r.Status == DomainStatus.Running, $"the reader, an innocent borrower, was crashed: {r.LastCrash}");
        // The host's call may come back before the reader's second read: the host gives up on a killed callee's worker
        // after HostCall.KillGrace (50 ms), and on a loaded machine the released reader can take longer (seen in CI as a
        // 0 here). Wait for the reader to record what it read; a refused or harmed read never records Magic.
        long seen = 0;
        for (int i = 0; i < 200 && (seen = r.Get<IDomB>().Calls().Value) == 0; i++) await Task.Delay(50);
        Assert.Equal(Magic, seen); // both reads saw the lender's value
        for (int i = 0; i < 200 && k.Heap.OrphanedTrees != 0; i++) await Task.Delay(50); // the lend's end reaps the orphan
        Assert.False(outcome.Result.IsOk, $"the dead lender's call returned {outcome.Result}");
        Assert.Equal(0, k.Heap.OrphanedTrees); // the lend ended, so the orphan went with it
        await AssertContained(k, l, live);
    }

    private static void Kill(Microkernel k, Domain l) => k.Kill(l, "killed while its lend was read");

    private static void AwaitOwnFault(Microkernel k, Domain l)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (l.LastCrash is null && DateTime.UtcNow < until) Thread.Sleep(5);
        Assert.True(l.LastCrash is not null, $"the lender's racer never faulted it (lender {l.Status})");
    }

    private const string OwnPayload = "        S.Target = RRef<Payload>.New(new Payload(0x5EC000000000018, 1));";

    [Fact]
    public Task TheHostKillsALenderWhileItsLendIsRead() =>
        LenderDiesWhileItsLendIsRead(OwnPayload, "        return S.Reader.Inspect(in S.Target);", "", Kill, nameof(TheHostKillsALenderWhileItsLendIsRead));

    [Fact]
    public Task ALendersOwnThreadFaultsItWhileItsLendIsRead() =>
        LenderDiesWhileItsLendIsRead(OwnPayload, "        return S.Reader.Inspect(in S.Target);",
            "        S.Target.Drop(); // refused (it is lent): the lender faults", AwaitOwnFault, nameof(ALendersOwnThreadFaultsItWhileItsLendIsRead));

    [Fact]
    public Task ALenderOfADequeLeafIsKilledWhileTheLeafIsRead() =>
        LenderDiesWhileItsLendIsRead("""
                    S.Batch = RRefDeque<RRef<Payload>>.New(4);
                    S.Batch.TryPushBack(RRef<Payload>.New(new Payload(0x5EC000000000018, 2)));
            """,
            "        var lent = S.Batch[0]; return S.Reader.Inspect(in lent);", "", Kill, nameof(ALenderOfADequeLeafIsKilledWhileTheLeafIsRead));

    [Fact]
    public Task ALenderOfAChildIsKilledWhileTheChildIsRead() =>
        LenderDiesWhileItsLendIsRead(
            "        S.Parent = RRef<Pair>.New(new Pair { Left = RRef<Payload>.New(new Payload(0x5EC000000000018, 3)), Right = RRef<Payload>.New(new Payload(0, 0)) });",
            "        var lent = S.Parent.Value.Left; return S.Reader.Inspect(in lent);", "", Kill, nameof(ALenderOfAChildIsKilledWhileTheChildIsRead));

    [Fact]
    public async Task AKillBetweenALendsCheckAndItsCount()
    {
        var (k, r, l, live) = Setup(OwnPayload, "        return S.Reader.Inspect(in S.Target);", "", nameof(AKillBetweenALendsCheckAndItsCount));
        using var _ = k;
        CallOutcome outcome;
        using (var h = new Hold(r.Id, l.Id, holdLend: true))
        {
            var call = Task.Run(() => Call(k, l, 0, timeout: TimeSpan.FromSeconds(30)));
            Assert.True(h.LendHeld.Wait(TimeSpan.FromSeconds(10)), "the lender's lend never reached its check");
            // The kill's cleanup may wait for the held lend to land its count (it must not free the object first).
            var kill = Task.Run(() => Kill(k, l));
            await Task.WhenAny(kill, Task.Delay(300));
            h.Release.Set(); // the lend goes on: its count lands, then the reader's call (held between reads, then let go)
            await kill.WaitAsync(TimeSpan.FromSeconds(10));
            outcome = await call;
        }
        Assert.True(r.Status == DomainStatus.Running, $"the reader, an innocent borrower, was crashed: {r.LastCrash}");
        var seen = r.Get<IDomB>().Calls().Value;
        Assert.True(seen is 0 or Magic, $"the reader saw {seen:x}: neither nothing (the call was refused) nor the lender's value");
        Assert.False(outcome.Result.IsOk, $"the dead lender's call returned {outcome.Result}");
        for (int i = 0; i < 200 && k.Heap.OrphanedTrees != 0; i++) await Task.Delay(50); // the reader may still be finishing (see ReaderUnharmed)
        Assert.Equal(0, k.Heap.OrphanedTrees);
        await AssertContained(k, l, live);
    }
}

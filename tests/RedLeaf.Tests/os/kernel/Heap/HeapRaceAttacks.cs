// tests/os/kernel/Heap: a domain racing itself on the shared heap (issue 17, class 2). Two threads of one
// attacking domain (its Run thread and one it spawned with DomainThreads) act on the same RRef: one reads,
// writes or lends it while the other drops or moves it, or drops the parent of a child that is lent out.
// The window between an RRef's check and the access it guards is a few instructions, so each attack holds
// the first thread inside it with the heap's test pause point (HeapRaceHook) until the other thread's
// drop or move has started, lets the victim (the host, or dom_b) act, then lets the first thread go on.
// Containment: no value of another domain's object ever reaches the attacker, the victim's objects are
// intact and still the victim's, dom_b (an innocent third party) keeps running, the heap is back to its
// baseline and the attacker's context is collected. The tests of this class run one at a time (the
// pause point is process-wide; the handler only pauses accesses by the attacker to its own marked object).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Heap;
using RedLeaf.Tests.Kernel;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
[Collection("heap races")]
public class HeapRaceAttacks
{
    private const long Magic = 0x5EC_0000_0000_0017;
    private const long Secret = 0x7777_1234_5678_9999;

    /// <summary>The attacker: Run sets up, spawns the racer, and makes the access; the racer waits for Run to
    /// start the access, idles a little (Run is then held inside its check's window), and races it.</summary>
    private static string Attacker(string setup, string access, string racer) => $$"""
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;

        public static class Entry
        {
            [DomainEntry]
            public static IHostile Start(IDomB b) { return new Attack(b); }
        }

        sealed class Shared
        {
            public volatile int Phase;
            public long Spin;
            public RRef<Payload> Target;
            public RRefDeque<RRef<Payload>> Batch;
            public RRef<Pair> Parent;
            public IDomB B = null!;
        }

        sealed class Racer : IThreadBody
        {
            private readonly Shared S;
            public Racer(Shared s) { S = s; }
            public RpcResult Run()
            {
                while (S.Phase == 0) { }
                for (long i = 0; i < 3000000; i++) S.Spin += i; // the other thread reaches its check meanwhile
        {{racer}}
                return RpcResult.Ok;
            }
        }

        sealed class Attack : IHostile
        {
            private readonly Shared S = new Shared();
            public Attack(IDomB b) { S.B = b; }
            public RpcResult<long> Run(long argument)
            {
        {{setup}}
                DomainThreads.Spawn("racer", new Racer(S));
                S.Phase = 1;
        {{access}}
            }
        }
        """;

    /// <summary>Holds the first access of <paramref name="domain"/> to an object marked Magic inside its window;
    /// records whether another thread of <paramref name="racer"/> then started an ownership change (the racer
    /// arrived) and whether one completed.</summary>
    private sealed class Window : IDisposable
    {
        private readonly int _domain, _racer;
        private int _paused;
        public readonly ManualResetEventSlim InWindow = new(), Changed = new(), Release = new();
        public volatile bool RacerArrived;
        private int _pausedThread;

        public Window(int domain, int racer)
        {
            _domain = domain;
            _racer = racer;
            HeapRaceHook.Install(On);
        }

        private void On(HeapRacePoint point, int domain, int slot, long first)
        {
            if (point == HeapRacePoint.Checked && domain == _domain && first == Magic && Interlocked.CompareExchange(ref _paused, 1, 0) == 0)
            {
                _pausedThread = Environment.CurrentManagedThreadId;
                InWindow.Set();
                Release.Wait(TimeSpan.FromSeconds(8));
                return;
            }
            if (!InWindow.IsSet || domain != _racer || Environment.CurrentManagedThreadId == _pausedThread || Release.IsSet) return;
            if (point == HeapRacePoint.Begin) RacerArrived = true;
            else if (point == HeapRacePoint.Changed) Changed.Set();
        }

        public void Dispose()
        {
            HeapRaceHook.Install(null);
            Release.Set();
        }
    }

    /// <summary>Runs the attack: waits until the access is held in its window and the racer has started its
    /// drop or move; gives that up to a second to complete (it does on the unfixed heap); lets the victim act;
    /// lets the access go on. Returns the attacker's result.</summary>
    private static async Task<(RpcResult<long> Result, bool Completed)> Race(Microkernel k, Domain attacker, int pausedDomain, Action victim)
    {
        bool completed;
        RpcResult<long> result;
        using (var w = new Window(pausedDomain, attacker.Id))
        {
            var call = Task.Run(() => Call(k, attacker, 0, timeout: TimeSpan.FromSeconds(30)));
            Assert.True(w.InWindow.Wait(TimeSpan.FromSeconds(10)), "the attacker's access never reached its check (the window was not hit)");
            var until = DateTime.UtcNow.AddSeconds(10);
            while (!w.RacerArrived && DateTime.UtcNow < until) Thread.Sleep(5);
            Assert.True(w.RacerArrived, "the racing thread never started its drop or move while the access was in its window");
            // Up to a second for the racer's change to complete; none does on the fixed heap (it waits for the held
            // access, or is refused: then the paused thread goes on at once, so it leaves the dead domain's code
            // while the kernel is still confirming the collection).
            var stop = DateTime.UtcNow.AddSeconds(1);
            while (!(completed = w.Changed.IsSet) && attacker.Status == DomainStatus.Running && DateTime.UtcNow < stop) Thread.Sleep(2);
            victim();
            w.Release.Set();
            result = (await call).Result;
            Console.WriteLine($"race: {result}, completed in window {completed}, attacker {attacker.Status}: {attacker.LastCrash?.Reason}");
        }
        return (result, completed);
    }

    private static (Microkernel K, Domain B, Domain Attacker, long Live) Setup(string setup, string access, string racer, string name)
    {
        var k = Boot();
        var b = k.Load(TestDomains.DomB);
        long live = k.Heap.LiveObjects;
        var d = k.Load(Accepted(Attacker(setup, access, racer), name), b.Export!);
        return (k, b, d, live);
    }

    /// <summary>What holds after every race: the victim's objects kept their values and owner, dom_b runs, and
    /// once dom_b dropped what it kept and the attacker is gone, the heap is back to its baseline.</summary>
    private static async Task Contained(Microkernel k, Domain b, Domain d, long live, IReadOnlyList<RRef<Payload>> victims)
    {
        // The racer may still be finishing its drop (waiting for the accesses it must outwait) or unwinding its fault.
        foreach (var t in k.Threads.Where(t => t.DomainId == d.Id))
            Assert.True(t.Join(TimeSpan.FromSeconds(10)), $"the attacker's {t} did not end");
        using (k.Enter())
            foreach (var v in victims)
            {
                Assert.True(k.Heap.IsLive(v), "the victim's object was freed by the attacker");
                Assert.Equal(Microkernel.KernelId, k.Heap.OwnerOf(v));
                Assert.Equal((Secret, Secret), (v.Value.A, v.Value.B));
                v.Value = new Payload(1, 1); // still the host's to write: not left lent, not aliased
                v.Drop();
            }
        Assert.True(b.Status == DomainStatus.Running, $"dom_b, an innocent third party, was crashed: {b.LastCrash}");
        b.Get<IDomB>().DropKept();
        if (d.Status == DomainStatus.Running) k.Kill(d, "end of the race");
        await AssertContained(k, d, live);
    }

    private static RRef<Payload> HostSecret(Microkernel k)
    {
        using (k.Enter()) return RRef<Payload>.New(new Payload(Secret, Secret));
    }

    [Fact]
    public async Task ADropRacingAReadSeesTheNextOwnersObject()
    {
        var (k, b, d, live) = Setup(
            "        S.Target = RRef<Payload>.New(new Payload(0x5EC000000000017, 1));",
            "        return S.Target.Value.A;",
            "        S.Target.Drop();", nameof(ADropRacingAReadSeesTheNextOwnersObject));
        using var _ = k;
        var victims = new List<RRef<Payload>>();
        var (result, _) = await Race(k, d, d.Id, () => victims.Add(HostSecret(k)));
        Assert.False(result.IsOk && result.Value == Secret, "the attacker read the host's object through the RRef its other thread dropped");
        Assert.True(!result.IsOk || result.Value == Magic, $"the attacker read {result}: not its own value");
        await Contained(k, b, d, live, victims);
    }

    [Fact]
    public async Task ADropRacingAWriteLandsInTheNextOwnersObject()
    {
        var (k, b, d, live) = Setup(
            "        S.Target = RRef<Payload>.New(new Payload(0x5EC000000000017, 1));",
            "        S.Target.Value = new Payload(-1, -1); return 0;",
            "        S.Target.Drop();", nameof(ADropRacingAWriteLandsInTheNextOwnersObject));
        using var _ = k;
        var victims = new List<RRef<Payload>>();
        await Race(k, d, d.Id, () => victims.Add(HostSecret(k)));
        await Contained(k, b, d, live, victims); // the host's new object must still hold its secret
    }

    [Fact]
    public async Task AMoveRacingAReadSeesTheObjectAfterItsNewOwnerFreedIt()
    {
        var (k, b, d, live) = Setup(
            "        S.Target = RRef<Payload>.New(new Payload(0x5EC000000000017, 1));",
            "        return S.Target.Value.A;",
            "        S.B.Keep(S.Target);", nameof(AMoveRacingAReadSeesTheObjectAfterItsNewOwnerFreedIt));
        using var _ = k;
        var victims = new List<RRef<Payload>>();
        var (result, _) = await Race(k, d, d.Id, () =>
        {
            b.Get<IDomB>().DropKept(); // dom_b is done with what it was given
            victims.Add(HostSecret(k));
        });
        Assert.False(result.IsOk && result.Value == Secret, "the attacker read the host's object through the RRef its other thread moved away");
        Assert.True(!result.IsOk || result.Value == Magic, $"the attacker read {result}: not its own value");
        await Contained(k, b, d, live, victims);
    }

    [Fact]
    public async Task ALendRacingAMoveLeavesTheNextOwnersObjectLent()
    {
        var (k, b, d, live) = Setup(
            "        S.Target = RRef<Payload>.New(new Payload(0x5EC000000000017, 1));",
            "        return S.B.Inspect(in S.Target);",
            "        S.B.Keep(S.Target);", nameof(ALendRacingAMoveLeavesTheNextOwnersObjectLent));
        using var _ = k;
        var victims = new List<RRef<Payload>>();
        var (result, _) = await Race(k, d, d.Id, () =>
        {
            b.Get<IDomB>().DropKept();
            victims.Add(HostSecret(k));
        });
        Assert.False(result.IsOk && result.Value == unchecked(Secret * 1000 + Secret), "dom_b was lent the host's object by the attacker");
        await Contained(k, b, d, live, victims); // the host's object is not left lent: the host can write it
    }

    [Fact]
    public async Task DroppingADequeWhileALeafInItIsLentToAReader()
    {
        var (k, b, d, live) = Setup("""
                    var leaf = RRef<Payload>.New(new Payload(0x5EC000000000017, 2));
                    S.Batch = RRefDeque<RRef<Payload>>.New(4);
                    S.Batch.TryPushBack(leaf);
            """,
            "        var lent = S.Batch[0]; return S.B.Inspect(in lent);",
            "        S.Batch.Drop();", nameof(DroppingADequeWhileALeafInItIsLentToAReader));
        using var _ = k;
        var victims = new List<RRef<Payload>>();
        var (result, _) = await Race(k, d, b.Id, () => { victims.Add(HostSecret(k)); victims.Add(HostSecret(k)); });
        Assert.False(result.IsOk && result.Value == unchecked(Secret * 1000 + Secret), "dom_b read the host's object through the leaf the attacker lent it");
        await Contained(k, b, d, live, victims); // and dom_b, the reader, was not crashed by the free under it
    }

    [Fact]
    public async Task DroppingAParentWhileItsChildIsLentToAReader()
    {
        var (k, b, d, live) = Setup(
            "        S.Parent = RRef<Pair>.New(new Pair { Left = RRef<Payload>.New(new Payload(0x5EC000000000017, 3)), Right = RRef<Payload>.New(new Payload(0, 0)) });",
            "        var lent = S.Parent.Value.Left; return S.B.Inspect(in lent);",
            "        S.Parent.Drop();", nameof(DroppingAParentWhileItsChildIsLentToAReader));
        using var _ = k;
        var victims = new List<RRef<Payload>>();
        var (result, _) = await Race(k, d, b.Id, () => { victims.Add(HostSecret(k)); victims.Add(HostSecret(k)); victims.Add(HostSecret(k)); });
        Assert.False(result.IsOk && result.Value == unchecked(Secret * 1000 + Secret), "dom_b read the host's object through the child the attacker lent it");
        await Contained(k, b, d, live, victims);
    }
}

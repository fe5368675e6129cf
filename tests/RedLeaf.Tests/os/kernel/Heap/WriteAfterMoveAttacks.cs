// tests/os/kernel/Heap: the red team's hunt for the heap storm's one foreign read (OPEN-ESCAPES.md, 2026-12-07: "FOREIGN
// READ: a write by the sender landed after its move", HeapStressTests, seen once in CI). Each test forces one
// interleaving with the heap's race pause points (HeapRaceHook, held per test thread as in SettleAttacks) and either
// shows a way for a write to land in an object after its move (or a foreign value to be read back), or shows the path
// safe. Every call runs on a thread of the test's, inside Microkernel.Enter, so no host-call worker is involved unless
// the test says so.
using System.Reflection;
using RedLeaf.Abi;
using RedLeaf.Benchmarks.Suites;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Heap;
using RedLeaf.Tests.Hostile;
using Xunit;
using Xunit.Abstractions;
using static RedLeaf.Tests.Kernel.Heap.HeapAttackDomains;

namespace RedLeaf.Tests.Kernel.Heap;

[Trait("suite", "hostile")]
[Collection("heap races")]
public sealed class WriteAfterMoveAttacks(ITestOutputHelper output)
{
    private const long Secret = 0x5EC2E7_5EC2E7;
    private const long Original = 7;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(8);

    // ---- the storm's own receiver ------------------------------------------------------------------------------

    // FINDING (fixed 2026-12-07 in HeapStressSuite: Keep reads the tag once; the storm's FOREIGN READ without any write
    // after the move): the storm's receiver, Stress.Keep, reads its
    // own tag twice, once for the write (`new Payload(S.Tag, v.B)`) and once for the compare (`back.A != S.Tag`). S.Tag is
    // 0 from the entry point until the engine's Start(i) calls Add(tag); but the restarted instance's export is bound at
    // the end of Microkernel.Restart (StartInstance), before that Add, and the peer's four threads call Keep on it at
    // once. An Add landing between Keep's two loads makes Keep read back exactly what it wrote (tag 0) and throw FOREIGN
    // READ. The interleaving is forced here with the storm's real domain image: the receiver is loaded (as after a
    // restart: entry returned, no Add yet), the host moves it a payload through Keep, and is held at the read-back's
    // check (the third Checked point in the receiver: the read, the write, the read back); the engine's Add then sets the
    // tag; the held read goes on and reads back the receiver's own write.
    [Fact]
    public void TheStormsKeepDoesNotReportAForeignReadWhenItsTagIsSetBetweenItsWriteAndItsReadBack()
    {
        using var k = HostileKit.Boot();
        var source = (string)typeof(HeapStressSuite).GetMethod("Source", BindingFlags.NonPublic | BindingFlags.Static)!
            .Invoke(null, [false, 0])!; // the storm's first domain (no peer), no worker threads
        var r = k.Load("stress0", TrustedCompiler.Default.CompileText("heap_stress_first", source), new NoTally());
        const long tag = 0x7A6L << 40 | 1L << 24 | 2; // stress0 instance 2: what Start(0) gives a restarted instance
        using var holds = new Holds();
        RpcResult<long> kept = default;
        long written = 0;
        var sender = Run("sender", () =>
        {
            using var _ = k.Enter();
            var p = RRef<Payload>.New(new Payload(0x7A6L << 40 | 2L << 24 | 1, 42)); // stress1 instance 1's object
            holds.Hold(r.Id, skip: 2); // Keep's read back, after its write landed
            kept = r.Get<IDomB>().Keep(p);
        });
        var h = holds.Reached(0, "Keep's read back", Bound);
        written = h.First; // the object's first 8 bytes at the read back's check: what Keep wrote (S.Tag, then 0)
        using (k.Enter()) Assert.True(r.Get<IDomB>().Add(tag, 0).IsOk); // the engine's Start(0), after k.Restart
        h.Release();
        Assert.True(sender.Join(Bound), "the sender did not come back");
        string reason = r.LastCrash?.Reason ?? "(no crash)";
        output.WriteLine($"Keep: {kept}; the object held {written} at the read back; receiver {r.Status}; crash: {reason}");
        Assert.Equal(0, written); // the heap held the receiver's own write: nothing else landed in the object
        Assert.False(reason.Contains("FOREIGN READ", StringComparison.Ordinal),
            $"STORM FALSE POSITIVE: the receiver read back its own write (tag 0, set before the engine's Add) and reported: {reason}");
    }

    // ---- a kill racing a single-threaded sender's move ----------------------------------------------------------

    // FINDING (escape, fixed 2026-12-07: the fast path swaps from what it checked, and the cleanup takes a root by the same
    // swap, so one of the two wins; before, a third domain's secret was overwritten, default options, quarantine on): the fast path of
    // HeapAccess.Move (a sender that is not Shared) checks the slot, then stores the new owner with a plain 8-byte store;
    // it is not announced (no Accesses.Enter, unlike a lend's BorrowChecked) and not a compare-and-swap (unlike MoveShared).
    // The host kills the sender V between the check and the store: the crash cleanup (SharedHeap.DropOwned) orphans V's
    // payload, its grace period (Accesses.WaitFor(0)) finds no announcement to wait for, and it frees the slot (the block
    // goes to quarantine, the slot to the free list). The move's store then lands: the freed slot names C again, with its
    // old generation. C's Keep (the storm's own receiver) reads it and passes its write's check (held there); a third
    // domain S allocates and takes the slot from the free list (a new block, a new generation); C's write then loads the
    // slot's Data, which is S's block now: C's tag lands in S's secret. Neither the quarantine (it holds blocks, not slots)
    // nor C's own checks help: C did nothing wrong.
    [Fact]
    public void AKillBetweenASingleThreadedMovesCheckAndItsStoreDoesNotLetTheReceiversWriteLandInAThirdDomainsObject()
    {
        using var k = HostileKit.Boot();
        var s = k.Load(Compile("wam_kill_secret", SecretKeeper));
        var source = (string)typeof(HeapStressSuite).GetMethod("Source", BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, [false, 0])!;
        var c = k.Load("stress0", TrustedCompiler.Default.CompileText("heap_stress_first", source), new NoTally());
        const long tagC = 0x7A6L << 40 | 1L << 24 | 1;
        using (k.Enter()) Assert.True(c.Get<IDomB>().Add(tagC, 0).IsOk);
        using var holds = new Holds();
        RpcResult<long> kept = default;
        int t1Id = 0;
        Domain? v = null;
        var t1 = Run("T1", () =>
        {
            t1Id = Environment.CurrentManagedThreadId;
            using var _ = k.Enter();
            // Loaded and used on this thread only (the loader's worker runs under this thread's record): V is not Shared.
            v = k.Load(Compile("wam_killed_sender", HostileSource(
                "if (argument == 1) { s_kept = RRef<Payload>.New(new Payload(" + Original + ", " + Original + ")); return 1; }\n" +
                "var r = s_peer.Keep(s_kept); return r.IsOk ? r.Value : -1;",
                "static RRef<Payload> s_kept; internal static IDomB s_peer;",
                entry: "IDomB peer", entryBody: "Attack.s_peer = peer;")), c.Export!);
            var p = v.Get<IHostile>();
            Assert.Equal(1, p.Run(1).Value);
            holds.Hold(v.Id); // the move's check (V is single-threaded: HeapAccess.Move's fast path)
            kept = p.Run(2);
        });
        var h1 = holds.Reached(0, "T1's move", Bound);
        long liveBefore = k.Heap.LiveObjects;
        var killer = Run("killer", () => k.Kill(v!, "killed by the host during its move"));
        Assert.True(killer.Join(Bound), "the kill did not complete while the move was held (it waited for it)");
        output.WriteLine($"V killed while its move was held; live objects {liveBefore} -> {k.Heap.LiveObjects}");
        holds.HoldThread(t1Id, c.Id, skip: 1); // then C's write, in Keep (after its read), if C is ever handed the slot
        h1.Release();
        if (holds.TryReached(1, TimeSpan.FromSeconds(3)))
        {
            // Before the fix: the move's plain store had given the freed slot to C, whose write is now held after its check.
            var h2 = holds.Reached(1, "C's write in Keep", Bound);
            using (k.Enter()) Assert.True(s.Get<IHostile>().Run(Secret).IsOk); // S allocates: the slot at the free list's head
            output.WriteLine($"C's write is held on slot {h2.Slot}; S allocated its secret");
            h2.Release();
        }
        else
        {
            // The move's swap failed (the cleanup had taken the slot): C never got it. S takes the freed slot now.
            using (k.Enter()) Assert.True(s.Get<IHostile>().Run(Secret).IsOk);
            output.WriteLine("C was never handed the slot (the move's swap failed); S allocated its secret");
        }
        Assert.True(t1.Join(Bound), "T1 did not come back");
        long secret;
        using (k.Enter()) secret = s.Get<IHostile>().Run(0).Value;
        output.WriteLine($"Keep: {kept}; C {c.Status} ({c.LastCrash?.Reason}); S's secret reads {secret:x} (was {Secret:x}; C's tag {tagC:x})");
        Assert.True(secret == Secret,
            $"ESCAPE: a write by C (the receiver of a move from V, killed between the move's check and its store) landed in domain {s.Name}'s object: its secret reads {secret:x}, C's tag is {tagC:x}");
        Assert.Equal(DomainStatus.Running, c.Status); // the innocent receiver is untouched (before the fix: "use after free")
        Assert.False(kept.IsOk, $"the killed sender's call came back Ok: {kept}");
    }

    // SAFE (the order that can be forced): the same kill against a Shared sender. MoveShared checks under the ownership lock
    // and changes the slot by a compare-and-swap from (sender, generation): the cleanup, which does not take the lock,
    // orphans and frees the payload while the move is held at its check, and the move's swap then fails (the sender is
    // faulted; C never gets the object). NOT forced (no pause point inside SharedHeap.DropOwned): the move's swap landing
    // between DropOwned's read of the root and its own change. Before 2026-12-07 that change was a plain store, which would
    // have taken C's object from it (an innocent receiver crashed, "use after free", not a foreign write); it is now a
    // compare-and-swap from what DropOwned read, which fails and leaves the object C's.
    [Fact]
    public void AKillDuringASharedSendersMoveMakesTheMovesSwapFail()
    {
        using var k = HostileKit.Boot();
        var s = k.Load(Compile("wam_kill_secret2", SecretKeeper));
        var source = (string)typeof(HeapStressSuite).GetMethod("Source", BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, [false, 0])!;
        var c = k.Load("stress0", TrustedCompiler.Default.CompileText("heap_stress_first", source), new NoTally());
        const long tagC = 0x7A6L << 40 | 1L << 24 | 1;
        using (k.Enter()) Assert.True(c.Get<IDomB>().Add(tagC, 0).IsOk);
        var v = k.Load(Compile("wam_killed_shared_sender", HostileSource(
            "if (argument == 1) { s_kept = RRef<Payload>.New(new Payload(" + Original + ", " + Original + ")); return 1; }\n" +
            "var r = s_peer.Keep(s_kept); return r.IsOk ? r.Value : -1;",
            "static RRef<Payload> s_kept; internal static IDomB s_peer;",
            entry: "IDomB peer", entryBody: "Attack.s_peer = peer;")), c.Export!);
        using (k.Enter()) Assert.Equal(1, v.Get<IHostile>().Run(1).Value); // this thread is V's resident; T1 makes it Shared
        using var holds = new Holds();
        RpcResult<long> kept = default;
        int t1Id = 0;
        var t1 = Run("T1", () =>
        {
            t1Id = Environment.CurrentManagedThreadId;
            using var _ = k.Enter();
            holds.Hold(v.Id); // MoveShared's check, inside the ownership lock
            kept = v.Get<IHostile>().Run(2);
        });
        var h1 = holds.Reached(0, "T1's move", Bound);
        var killer = Run("killer", () => k.Kill(v, "killed by the host during its move"));
        Assert.True(killer.Join(Bound), "the kill did not complete while the move was held");
        holds.HoldThread(t1Id, c.Id, skip: 1);
        h1.Release();
        bool reached = holds.TryReached(1, TimeSpan.FromSeconds(2));
        using (k.Enter()) Assert.True(s.Get<IHostile>().Run(Secret).IsOk);
        holds.Dispose();
        Assert.True(t1.Join(Bound), "T1 did not come back");
        long secret;
        using (k.Enter()) secret = s.Get<IHostile>().Run(0).Value;
        output.WriteLine($"C's write {(reached ? "was reached" : "never ran")}; Keep: {kept}; C {c.Status}; V {v.Status} ({v.LastCrash?.Reason}); S's secret {secret:x}");
        Assert.False(reached, "ESCAPE: the killed Shared sender's move still gave C the freed slot");
        Assert.True(c.Status == DomainStatus.Running, $"C was crashed: {c.LastCrash?.Reason}");
        Assert.Equal(Secret, secret);
    }

    // ---- the heap's own paths (each shown safe: the escape message names what a failure would mean) -------------

    // SAFE: a deque's leaf written through a kept copy of its handle (HeapAccess.Refused lets the owner of the deque write a
    // leaf inside it; the storm's Bump) while another thread of the Shared sender moves the deque to a receiver, which pops
    // the leaf, writes its own value and reads it back. MoveShared changes the deque's slot, then Accesses.WaitFor scans the
    // sender's records: the leaf's write is announced by the sender's id, so the move waits for it.
    [Fact]
    public void ADequeMoveWaitsForAWriteToALeafInsideIt()
    {
        using var k = HostileKit.Boot();
        var c = k.Load(Compile("wam_batch_taker", Receiver(batchThenOne:
            "batch.TryPopFront(out var x); x.Value = new Payload(" + Secret + ", " + Secret + "); long back = x.Value.A; x.Drop(); batch.Drop(); b.Drop(); return back;")));
        using var holds = new Holds();
        long t1Done = 0;
        RpcResult<long> moved = default, wrote = default;
        Domain? v = null;
        var loaded = new ManualResetEventSlim();
        var goMove = new ManualResetEventSlim();
        var t1 = Run("T1", () =>
        {
            using var _ = k.Enter();
            v = k.Load(Compile("wam_batch_sender", HostileSource(
                "if (argument == 1) { s_leaf = RRef<Payload>.New(new Payload(" + Original + ", " + Original + ")); s_q = RRefDeque<RRef<Payload>>.New(4); s_q.TryPushBack(s_leaf); s_b = RRef<Payload>.New(new Payload(1, 1)); return 1; }\n" +
                "if (argument == 2) { return s_t.BatchThenOne(s_q, s_b).Value; }\n" +
                "if (argument == 3) { s_leaf.Value = new Payload(-1, -1); return 3; }\n" +
                "return 1;",
                "static RRef<Payload> s_leaf; static RRefDeque<RRef<Payload>> s_q; static RRef<Payload> s_b; internal static ITransfer s_t;",
                entry: "ITransfer t", entryBody: "Attack.s_t = t;")), c.Export!);
            var p = v.Get<IHostile>();
            Assert.Equal(1, p.Run(1).Value);
            loaded.Set();
            goMove.Wait(Bound);
            moved = p.Run(2);
            Interlocked.Exchange(ref t1Done, 1);
        });
        Assert.True(loaded.Wait(Bound), "T1 did not load the sender");
        var t2 = Run("T2", () =>
        {
            using var _ = k.Enter();
            var p = v!.Get<IHostile>();
            Assert.Equal(1, p.Run(4).Value); // a second thread in V: Shared, settled
            holds.Hold(v.Id); // the leaf write's check (allowed: the leaf sits in V's own deque)
            wrote = p.Run(3);
        });
        var h2 = holds.Reached(0, "T2's write to the leaf", Bound);
        goMove.Set();
        bool moveReturned = SpinUntil(() => Interlocked.Read(ref t1Done) == 1, TimeSpan.FromSeconds(1));
        output.WriteLine($"T1's move of the deque {(moveReturned ? "returned while T2 was inside its write" : "waited for T2's write")}");
        h2.Release();
        Assert.True(t1.Join(Bound) && t2.Join(Bound), "a thread did not come back");
        output.WriteLine($"write: {wrote}; move: {moved} (C read back {(moved.IsOk ? moved.Value : 0)}, its own {Secret}); V {v!.Status}");
        Assert.False(moveReturned, "ESCAPE: the move of a deque returned while another thread of the sender was inside a checked write of a leaf in it");
        Assert.True(moved.IsOk && moved.Value == Secret, $"C read back {moved}, not its own write: V's write landed in C's leaf");
    }

    // SAFE: the receiver is killed between the proxy's check and the move (HeapAccess.MovedIntoStopped: the object is freed
    // at once, no quarantine) while another thread of the Shared sender is inside a checked write of the object. T1 is held
    // at the move's check (inside the ownership lock, before the slot's compare-and-swap); C is killed on a third thread
    // (its cleanup orphans nothing of the sender's and waits, in its grace period, for T2's write); T1 goes on: the slot
    // names C, then the move waits for the sender's accesses (T2) before it frees the object as C's. T2's write lands before
    // the free; a third domain's allocation that takes the block afterwards keeps its secret.
    [Fact]
    public void AMoveIntoAReceiverKilledMeanwhileWaitsForTheSendersWriteBeforeItFreesTheObject()
    {
        using var k = HostileKit.Boot();
        var s = k.Load(Compile("wam_secret", SecretKeeper));
        var c = k.Load(Compile("wam_dead_taker", Transfer(moveThenLend:
            "a.Value = new Payload(" + Secret + ", " + Secret + "); long back = a.Value.A; a.Drop(); return back;")));
        using var holds = new Holds();
        long t1Done = 0;
        RpcResult<long> moved = default, wrote = default;
        Domain? v = null;
        var loaded = new ManualResetEventSlim();
        var goMove = new ManualResetEventSlim();
        var t1 = Run("T1", () =>
        {
            using var _ = k.Enter();
            v = k.Load(Compile("wam_mover", HostileSource(
                "if (argument == 1) { s_kept = RRef<Payload>.New(new Payload(" + Original + ", " + Original + ")); s_other = RRef<Payload>.New(new Payload(1, 1)); return 1; }\n" +
                "if (argument == 2) { return s_t.MoveThenLend(s_kept, in s_other).Value; }\n" +
                "if (argument == 3) { s_kept.Value = new Payload(-1, -1); return 3; }\n" +
                "return s_other.Value.A;",
                "static RRef<Payload> s_kept; static RRef<Payload> s_other; internal static ITransfer s_t;",
                entry: "ITransfer t", entryBody: "Attack.s_t = t;")), c.Export!);
            var p = v.Get<IHostile>();
            Assert.Equal(1, p.Run(1).Value);
            loaded.Set();
            goMove.Wait(Bound);
            holds.Hold(v.Id); // the move's check (MoveShared, before the compare-and-swap)
            moved = p.Run(2);
            Interlocked.Exchange(ref t1Done, 1);
        });
        Assert.True(loaded.Wait(Bound), "T1 did not load the sender");
        var t2 = Run("T2", () =>
        {
            using var _ = k.Enter();
            var p = v!.Get<IHostile>();
            Assert.Equal(1, p.Run(4).Value); // Shared, settled
            holds.Hold(v.Id); // the write's check
            wrote = p.Run(3);
        });
        var h2 = holds.Reached(0, "T2's write", Bound);
        goMove.Set();
        var h1 = holds.Reached(1, "T1's move", Bound);
        var killer = Run("killer", () => k.Kill(c, "killed between the proxy's check and the move"));
        Assert.True(SpinUntil(() => c.Status != DomainStatus.Running, Bound), "C was not stopped");
        h1.Release();
        bool moveReturned = SpinUntil(() => Interlocked.Read(ref t1Done) == 1, TimeSpan.FromSeconds(1));
        output.WriteLine($"T1's move into the killed C {(moveReturned ? "returned while T2 was inside its write" : "waited for T2's write")}");
        h2.Release();
        Assert.True(t1.Join(Bound) && t2.Join(Bound) && killer.Join(Bound), "a thread did not come back");
        using (k.Enter()) Assert.True(s.Get<IHostile>().Run(Secret).IsOk); // S takes a block (the freed payload's, LIFO)
        long kept;
        using (k.Enter()) kept = s.Get<IHostile>().Run(0).Value;
        output.WriteLine($"write: {wrote}; move: {moved}; C {c.Status}; S reads its secret back as {kept}");
        Assert.False(moveReturned, "ESCAPE: the move into a killed receiver returned (and freed the object) while the sender's write was in flight");
        Assert.Equal(Secret, kept);
    }

    // SAFE across domains, a documented limit within one: a generation is 20 bits (SharedHeap.NextGeneration) and the slot
    // free list is LIFO, so a domain that drops an object and allocates and drops 1,048,574 more gets the same slot with the
    // same generation back on its next allocation: a copy of the first handle then passes its check again. Within the
    // domain it reaches the domain's own newer object (a use after free not refused); across domains the owner is part of
    // the same compare, so when a third domain takes the slot at that generation the stale copy's write is refused.
    [Fact]
    public void AWrappedGenerationLetsAStaleHandleReachOnlyItsOwnDomainsObject()
    {
        using var k = HostileKit.Boot();
        var s = k.Load(Compile("wam_wrap_secret", SecretKeeper));
        var v = k.Load(Compile("wam_wrapper", HostileSource(
            "if (argument == 1) { var p = RRef<Payload>.New(new Payload(1, 1)); s_copy = p; p.Drop(); long n = 0;\n" +
            "  while (n < 3000000) { n++; var x = RRef<Payload>.New(new Payload(2, 2)); if (x == s_copy) { s_same = x; return n; } x.Drop(); }\n" +
            "  return -1; }\n" +
            "if (argument == 2) { return s_copy.Value.A; }\n" +
            "if (argument == 3) { s_same.Drop(); for (long i = 1; i < s_cycle; i++) RRef<Payload>.New(new Payload(3, 3)).Drop(); return 3; }\n" +
            "if (argument == 4) { s_copy.Value = new Payload(-1, -1); return 4; }\n" +
            "s_cycle = argument; return 0;",
            "static RRef<Payload> s_copy; static RRef<Payload> s_same; static long s_cycle;")));
        using var _ = k.Enter();
        var p = v.Get<IHostile>();
        long cycle = p.Run(1).Value;
        output.WriteLine($"the slot came back with the dropped handle's generation after {cycle} allocations");
        Assert.Equal(0xFFFFF, cycle);
        var same = p.Run(2);
        output.WriteLine($"the stale copy read {same} in V's own newer object (use after free within V, not refused)");
        Assert.True(p.Run(cycle).IsOk);
        Assert.True(p.Run(3).IsOk);
        Assert.True(s.Get<IHostile>().Run(Secret).IsOk); // S's object: the same slot, the same generation, owner S
        var wrote = p.Run(4);
        long kept = s.Get<IHostile>().Run(0).Value;
        output.WriteLine($"V's stale write into S's object: {wrote}; S's secret reads {kept}; V {v.Status}");
        Assert.False(wrote.IsOk, "ESCAPE: a stale handle whose generation wrapped wrote into another domain's object");
        Assert.Equal(Secret, kept);
    }

    // ---- tools -------------------------------------------------------------------------------------------------

    /// <summary>An ITransfer domain whose BatchThenOne runs <paramref name="batchThenOne"/> (HeapAttackDomains.Transfer's returns 0).</summary>
    private static string Receiver(string batchThenOne) =>
        "using RedLeaf.Abi;\nusing RedLeaf.Interfaces.Test;\n" +
        "public static class Entry\n{\n    [DomainEntry]\n    public static ITransfer Start() { return new Attack(); }\n}\n" +
        "sealed class Attack : ITransfer\n{\n" +
        "    public RpcResult<long> Both(RRef<Payload> a, RRef<Payload> b) { return 0; }\n" +
        "    public RpcResult<long> LendThenMove(in RRef<Payload> a, RRef<Payload> b) { return 0; }\n" +
        "    public RpcResult<long> MoveThenLend(RRef<Payload> a, in RRef<Payload> b) { return 0; }\n" +
        "    public RpcResult<long> LendBoth(in RRef<Payload> a, in RRef<Payload> b) { return 0; }\n" +
        "    public RpcResult<long> BatchThenOne(RRefDeque<RRef<Payload>> batch, RRef<Payload> b) { " + batchThenOne + " }\n" +
        "    public RpcResult<long> MoveThenCounter(RRef<Payload> a, ICounter counter) { return 0; }\n" +
        "    public RpcResult<long> Peek(in RRef<Payload> a) { return 0; }\n" +
        "}\n";

    private sealed class NoTally : ICounter
    {
        public RpcResult<long> Next() => 0;
    }
}

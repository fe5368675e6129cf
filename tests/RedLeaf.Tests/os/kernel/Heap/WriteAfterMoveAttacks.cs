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

    // FINDING (the storm's FOREIGN READ without any write after the move): the storm's receiver, Stress.Keep, reads its
    // own tag twice, once for the write (`new Payload(S.Tag, v.B)`) and once for the compare (`back.A != S.Tag`). S.Tag is
    // 0 from the entry point until the engine's Start(i) calls Add(tag); but the restarted instance's export is bound at
    // the end of Microkernel.Restart (StartInstance), before that Add, and the peer's four threads call Keep on it at
    // once. An Add landing between Keep's two loads makes Keep read back exactly what it wrote (tag 0) and throw FOREIGN
    // READ. The interleaving is forced here with the storm's real domain image: the receiver is loaded (as after a
    // restart: entry returned, no Add yet), the host moves it a payload through Keep, and is held at the read-back's
    // check (the third Checked point in the receiver: the read, the write, the read back); the engine's Add then sets the
    // tag; the held read goes on and reads back the receiver's own write.
    [Fact]
    public void TheStormsKeepReportsAForeignReadWhenItsTagIsSetBetweenItsWriteAndItsReadBack()
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

    // ---- tools -------------------------------------------------------------------------------------------------

    private sealed class NoTally : ICounter
    {
        public RpcResult<long> Next() => 0;
    }

    private static Thread Run(string name, Action body)
    {
        var t = new Thread(() => body(), 4 << 20) { IsBackground = true, Name = "write-after-move attack " + name };
        t.Start();
        return t;
    }

    private static bool SpinUntil(Func<bool> condition, TimeSpan bound) => SpinWait.SpinUntil(condition, bound);

    /// <summary>Holds a thread of the test at the first Checked pause point it reaches in a given domain (as SettleAttacks').</summary>
    private sealed class Holds : IDisposable
    {
        private readonly Dictionary<int, Hold> _byThread = new();
        private readonly List<Hold> _order = new();

        public Holds() => HeapRaceHook.Install(OnPoint);

        public void Hold(int domainId, int skip = 0)
        {
            var h = new Hold(domainId) { Skip = skip };
            lock (_byThread)
            {
                _byThread[Environment.CurrentManagedThreadId] = h;
                _order.Add(h);
            }
        }

        public Hold Reached(int index, string what, TimeSpan bound)
        {
            Hold? h = null;
            Assert.True(SpinUntil(() => { lock (_byThread) h = _order.Count <= index ? null : _order[index]; return h is not null; }, bound), $"{what}: no hold was set");
            Assert.True(h!.At.Wait(bound), $"{what}: the thread never reached its check");
            return h;
        }

        private void OnPoint(HeapRacePoint point, int domain, int slot, long first)
        {
            if (point != HeapRacePoint.Checked) return;
            Hold? h;
            lock (_byThread) _byThread.TryGetValue(Environment.CurrentManagedThreadId, out h);
            if (h is null || h.DomainId != domain || Interlocked.Decrement(ref h.Skip) >= 0 || Interlocked.Exchange(ref h.Used, 1) != 0) return;
            h.Slot = slot;
            h.First = first;
            h.At.Set();
            h.Go.Wait(Bound);
        }

        public void Dispose()
        {
            HeapRaceHook.Install(null);
            lock (_byThread) foreach (var h in _order) h.Go.Set();
        }
    }

    private sealed class Hold(int domainId)
    {
        public readonly int DomainId = domainId;
        public readonly ManualResetEventSlim At = new();
        public readonly ManualResetEventSlim Go = new();
        public int Used;
        public int Skip;
        public int Slot;
        public long First;
        public void Release() => Go.Set();
    }
}

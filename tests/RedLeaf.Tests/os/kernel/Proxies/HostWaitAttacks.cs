// tests/os/kernel/Proxies: attacks on the host's waits (os/README.md, "What isolation guarantees", class 6). A domain
// stuck inside one long base-library call runs no check, so a kill cannot stop its thread until the call
// ends; host code waiting on it (a call, a Load, a notebook cell) must still get its error within a bound
// of the kill, and a domain may not spawn threads without limit. Each attack here made the host wait as
// long as the domain liked, or let a domain start as many threads as it asked for.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Notebook.Session;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Tests.Notebooks;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
[Collection(NotebookCollection.Name)] // one attack boots a notebook kernel (Lab.Current is process-wide)
public class HostWaitAttacks
{
    /// <summary>One base-library call of a few seconds with no check inside: a HashSet built from keys chosen to
    /// collide (every long (i &lt;&lt; 32 | i) hashes to 0), n²/2 comparisons. It ends by itself (so the thread
    /// given up on leaves and the domain's code can be collected within the suite's bounds).</summary>
    private const string LongCall = """
                    var keys = new long[70_000]; // seconds of work: 35,000 once finished before an 800 ms kill (2026-12-07)
                    for (int i = 0; i < keys.Length; i++) keys[i] = ((long)i << 32) | (long)(uint)i;
                    var set = new HashSet<long>(keys); // one call, no domain code inside
        """;

    private static string Stuck(string rest) => Source(LongCall + "\n" + rest, usings: "using System.Collections.Generic;");

    /// <summary>A HashSet built from keys chosen to collide (every long (i &lt;&lt; 32 | i) hashes to 0): one
    /// constructor call doing n²/2 comparisons, seconds of work in the base library with no check.</summary>
    [Fact]
    public async Task AHostCallerOfADomainBuildingACollidingHashSet()
    {
        var image = Accepted(Stuck("        return set.Count;"));
        using var k = Boot();
        var d = k.Load(image);
        long live = k.Heap.LiveObjects;
        var outcome = Call(k, d, 0, killAfter: TimeSpan.FromMilliseconds(800), timeout: TimeSpan.FromSeconds(60));
        Assert.True(outcome.Killed, "the set was built before the kill; use more keys");
        Assert.Equal(RpcErrorKind.CalleeKilled, outcome.Result.Error.Kind);
        Assert.True(outcome.StoppedAfterKill < TimeSpan.FromMilliseconds(500),
            $"the host caller waited {outcome.StoppedAfterKill!.Value.TotalMilliseconds:F0} ms after the kill");
        await AssertContained(k, d, live, "killed by the hostile suite");
    }

    /// <summary>An entry point that never returns: Load used to wait for it forever. Now the loader kills the
    /// domain after KernelOptions.EntryTimeout and fails, naming the timeout.</summary>
    [Fact]
    public async Task ALoadWhoseEntryPointNeverReturns()
    {
        var image = Accepted("""
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            public static class Entry
            {
                [DomainEntry]
                public static IHostile Start() { long n = 0; while (true) n++; }
            }
            """);
        using var k = Microkernel.Boot(new RedLeaf.Hardware.MachineConfig { MemoryBytes = 64L << 20 }, new KernelOptions { EntryTimeout = TimeSpan.FromSeconds(1) });
        var (failure, took) = LoadOnAThread(k, image, TimeSpan.FromSeconds(20));
        Assert.True(took < TimeSpan.FromSeconds(5), $"Load took {took.TotalSeconds:F1} s with a 1 s entry timeout");
        Assert.Contains("entry point did not return within 1 s", failure.Message);
        var d = k.Domains.Single();
        await AssertContained(k, d, 0, "entry point did not return within 1 s");
    }

    /// <summary>A static constructor stuck in one long base-library call while the domain loads, killed from
    /// another thread: Load fails promptly instead of waiting for the call.</summary>
    [Fact]
    public async Task ALoadKilledWhileItsStaticConstructorIsInALongCall()
    {
        var image = Accepted($$"""
            using System.Collections.Generic;
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            public static class Entry
            {
                public static long First;
                static Entry()
                {
            {{LongCall}}
                    First = set.Count;
                }
                [DomainEntry]
                public static IHostile Start() { return new Nothing(); }
            }
            sealed class Nothing : IHostile { public RpcResult<long> Run(long argument) => Entry.First; }
            """);
        using var k = Boot();
        var killer = Task.Run(async () =>
        {
            await Task.Delay(800);
            var d = k.Domains.Single();
            var at = System.Diagnostics.Stopwatch.StartNew();
            k.Kill(d, "killed by the hostile suite while loading");
            return at;
        });
        var (failure, _) = LoadOnAThread(k, image, TimeSpan.FromSeconds(30));
        var sinceKill = (await killer).Elapsed;
        Assert.True(sinceKill < TimeSpan.FromMilliseconds(500), $"Load failed {sinceKill.TotalMilliseconds:F0} ms after the kill: it waited for the base-library call");
        Assert.Contains("killed by the hostile suite while loading", failure.Message);
        await AssertContained(k, k.Domains.Single(), 0, "killed by the hostile suite while loading");
    }

    /// <summary>A fault injected (as a failed check would) while the domain is inside a long base-library call: the host
    /// caller gets CalleeCrashed within the bound, and the crash is cleaned up by the kernel, not left for the
    /// stuck thread to find.</summary>
    [Fact]
    public async Task AFaultInjectedWhileTheDomainIsInsideALongCall()
    {
        var image = Accepted(Stuck("        return set.Count;"));
        using var k = Boot();
        var d = k.Load(image);
        long live = k.Heap.LiveObjects;
        var proxy = d.Get<IHostile>();
        RpcResult<long> result = default;
        var caller = new Thread(() => result = proxy.Run(0)) { IsBackground = true };
        caller.Start();
        Assert.False(caller.Join(800), "the call finished before the fault; make it longer");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(k.InjectFault(d, "fault injected by the hostile suite"));
        Assert.True(caller.Join(TimeSpan.FromSeconds(30)), "the host caller never returned");
        Assert.True(sw.Elapsed < TimeSpan.FromMilliseconds(500), $"the host caller waited {sw.Elapsed.TotalMilliseconds:F0} ms after the fault");
        Assert.Equal(RpcErrorKind.CalleeCrashed, result.Error.Kind);
        await AssertContained(k, d, live, "fault injected by the hostile suite");
    }

    /// <summary>A thread bomb past the domain's thread limit: the spawn that goes over faults the domain
    /// (before, nothing limited it: all 64 spinning threads started).</summary>
    [Fact]
    public async Task AThreadBombPastTheThreadLimit()
    {
        var image = Accepted(Source("""
                    for (int i = 0; i < 64; i++) DomainThreads.Spawn("bomb", new Spin());
                    return 64;
            """, types: """
            sealed class Spin : IThreadBody
            {
                private long _n;
                public RpcResult Run() { while (true) _n++; }
            }
            """));
        using var k = Boot();
        var d = k.Load(image);
        k.SetLimits(d, d.Limits with { MaxThreads = 8 });
        long live = k.Heap.LiveObjects;
        var outcome = Call(k, d, 0);
        Assert.Equal(RpcErrorKind.CalleeCrashed, outcome.Result.Error.Kind);
        var crash = await AssertContained(k, d, live, "thread limit");
        Assert.Equal(8, k.Threads.Count(t => t.DomainId == d.Id));
        Assert.Equal(8, crash.ThreadsReleased);
        Assert.All(k.Threads.Where(t => t.DomainId == d.Id), t => Assert.True(t.Join(TimeSpan.FromSeconds(5)), $"{t} still runs after the crash"));
    }

    /// <summary>The notebook host as the victim: a cell calls a domain stuck in a long base-library call, and the runner's
    /// cell timeout kills it (Microkernel.Kill, as NotebookRunner does): the kill returns at once, and the
    /// cell gets CalleeKilled within the bound instead of waiting for the call.</summary>
    [Fact]
    public async Task ANotebookCellCallingADomainStuckInALongCall()
    {
        using var kernel = Lab.Boot();
        kernel.Define("colliding", Stuck("        return set.Count;"));
        var d = kernel.Core["colliding"];
        long live = kernel.Core.Heap.LiveObjects;
        RpcResult<long> result = default;
        var cell = new Thread(() => result = kernel.Use<IHostile>("colliding").Run(0)) { IsBackground = true };
        cell.Start();
        Assert.False(cell.Join(800), "the call finished before the kill; make it longer");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        kernel.Core.Kill(d, "the notebook cell calling it ran past its timeout");
        var kill = sw.Elapsed;
        Assert.True(cell.Join(TimeSpan.FromSeconds(30)), "the cell never returned");
        var cellDone = sw.Elapsed;
        Assert.True(kill < TimeSpan.FromMilliseconds(500), $"Kill itself took {kill.TotalMilliseconds:F0} ms");
        Assert.True(cellDone < TimeSpan.FromMilliseconds(500), $"the cell got its error {cellDone.TotalMilliseconds:F0} ms after the kill");
        Assert.Equal(RpcErrorKind.CalleeKilled, result.Error.Kind);
        await AssertContained(kernel.Core, d, live, "ran past its timeout");
    }

    /// <summary>Loads on a thread of its own (as the hostile sandbox does) and expects a DomainException within
    /// <paramref name="bound"/>; returns it and how long Load took.</summary>
    private static (DomainException Failure, TimeSpan Took) LoadOnAThread(Microkernel k, RedLeaf.Os.Domains.DomainImage image, TimeSpan bound)
    {
        DomainException? failure = null;
        Exception? other = null;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var t = new Thread(() =>
        {
            try { k.Load(image); }
            catch (DomainException e) { failure = e; }
            catch (Exception e) { other = e; }
        })
        { IsBackground = true };
        t.Start();
        bool done = t.Join(bound);
        var took = sw.Elapsed;
        if (!done)
        {
            foreach (var d in k.Domains) k.Kill(d, "killed by the hostile suite after Load overran");
            t.Join(TimeSpan.FromSeconds(5));
        }
        Assert.True(done, $"Load did not return within {bound.TotalSeconds} s");
        Assert.True(other is null, $"Load threw {other}");
        Assert.True(failure is not null, "Load succeeded");
        return (failure!, took);
    }
}

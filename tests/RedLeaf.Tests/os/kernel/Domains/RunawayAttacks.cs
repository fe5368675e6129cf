// tests/os/kernel/Domains: domains that never give the CPU back or never stop growing their stack: infinite
// loops of every shape (while, goto, iterators under LINQ, a static constructor, a spawned kernel
// thread), catch-alls, exception filters and finally blocks that try to survive the kill, infinite
// recursion through methods, properties and lambdas, and faults the domain tries to catch. The
// trusted compiler accepts them (only run time shows them); the kernel must stop each one, give the
// caller an RpcError, and clean up completely.
using RedLeaf.Abi;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class RunawayAttacks
{
    private const string Counter = "    private long _n;";

    [Fact]
    public Task AnInfiniteLoop() => KilledContained(Accepted(Source("        while (true) _n++;", Counter)));

    [Fact]
    public Task AnInfiniteLoopMadeOfGoto() => KilledContained(Accepted(Source("""
                again:
                _n++;
                goto again;
        """, Counter)));

    [Fact]
    public Task AnEmptyForLoop() => KilledContained(Accepted(Source("        for (;;) { }")));

    [Theory]
    [InlineData("catch { _n = -1; }")]
    [InlineData("catch (Exception) { _n = -1; }")]
    [InlineData("catch (DomainStoppedException) { _n = -1; }")]
    [InlineData("catch (Exception e) when (e is DomainStoppedException) { _n = -1; }")]
    public Task ACatchAllThatTriesToSwallowTheKill(string handler) => KilledContained(Accepted(Source($$"""
                while (true)
                {
                    try { while (true) _n++; }
                    {{handler}}
                }
        """, Counter)));

    /// <summary>A catch-all whose handler loops inside another catch-all. (Two nested catch clauses
    /// without a variable are legal C#; the instrumentation must not break them.)</summary>
    [Fact]
    public Task ACatchAllNestedInACatchAll() => KilledContained(Accepted(Source("""
                while (true)
                {
                    try { while (true) _n++; }
                    catch { try { while (true) _n++; } catch { _n = -1; } }
                }
        """, Counter)));

    [Fact]
    public Task AnExceptionFilterThatSpinsWhenTheKillPasses() => KilledContained(Accepted(Source("""
                while (true)
                {
                    try { while (true) _n++; }
                    catch (Exception e) when (Spin(e)) { }
                }
        """, Counter + "\n    private static bool Spin(Exception e) { while (true) { } }")));

    [Fact]
    public Task AnExceptionFilterThatCallsTheRunAgain() => KilledContained(Accepted(Source("""
                try { while (true) _n++; }
                catch (Exception) when (Run(argument).IsOk) { }
                return _n;
        """, Counter)));

    [Fact]
    public Task AFinallyThatThrowsItsOwnExceptionToHideTheKill() => KilledContained(Accepted(Source("""
                while (true)
                {
                    try
                    {
                        try { while (true) _n++; }
                        finally { throw new InvalidOperationException("not a kill, honest"); }
                    }
                    catch (InvalidOperationException) { _n = 0; }
                }
        """, Counter)));

    [Fact]
    public Task ADisposeThatSpinsWhenTheKillUnwinds() => KilledContained(Accepted(Source("""
                using (new Sticky())
                {
                    while (true) _n++;
                }
        """, Counter, types: """
        sealed class Sticky : IDisposable
        {
            public void Dispose() { while (true) { } }
        }
        """)));

    [Fact]
    public Task AStaticConstructorThatNeverFinishes() => KilledContained(Accepted(Source("        return Forever.Value;", types: """
        static class Forever
        {
            public static long Value;
            static Forever() { while (true) Value++; }
        }
        """)));

    [Fact]
    public Task AnIteratorThatNeverEndsConsumedByLinq() => KilledContained(Accepted(Source("""
                return Naturals().Where(x => x >= 0).Select(x => x * 2).Count();
        """, """
            private static IEnumerable<long> Naturals()
            {
                long i = 0;
                while (true) yield return i++;
            }
        """)));

    [Fact]
    public Task ALinqLoopInTheBaseLibraryWithADomainCallback() => KilledContained(Accepted(Source("""
                return Enumerable.Range(0, 100_000).SelectMany(_ => Enumerable.Range(0, 100_000)).Select(x => x + 1L).LongCount(); // 10^10 items
        """)));

    [Fact]
    public async Task ASpawnedKernelThreadThatSpinsForever()
    {
        var image = Accepted(Source("""
                    DomainThreads.Spawn("spinner", new Spin());
                    while (true) { }
            """, types: """
            sealed class Spin : IThreadBody
            {
                private long _n;
                public RpcResult Run() { while (true) _n++; }
            }
            """));
        using var k = Boot();
        var d = k.Load(image);
        long live = k.Heap.LiveObjects;
        var outcome = Call(k, d, 0, killAfter: TimeSpan.FromMilliseconds(150));
        Assert.Equal(RpcErrorKind.CalleeKilled, outcome.Result.Error.Kind);
        var crash = await AssertContained(k, d, live);
        Assert.Equal(1, crash.ThreadsReleased);
        var thread = Assert.Single(k.Threads, t => t.DomainId == d.Id);
        Assert.True(thread.Join(TimeSpan.FromSeconds(5)), "the domain's kernel thread is still running after the kill");
    }

    /// <summary>A thread bomb: sixteen kernel threads spinning at once (under DomainLimits.MaxThreads; past
    /// it, see HostWaitAttacks.AThreadBombPastTheThreadLimit). The kill must end every one.</summary>
    [Fact]
    public async Task AThreadBombIsStoppedByAKill()
    {
        var image = Accepted(Source("""
                    for (int i = 0; i < 16; i++) DomainThreads.Spawn("bomb", new Spin());
                    while (true) { }
            """, types: """
            sealed class Spin : IThreadBody
            {
                private long _n;
                public RpcResult Run() { while (true) _n++; }
            }
            """));
        using var k = Boot();
        var d = k.Load(image);
        long live = k.Heap.LiveObjects;
        var outcome = Call(k, d, 0, killAfter: TimeSpan.FromMilliseconds(300));
        Assert.Equal(RpcErrorKind.CalleeKilled, outcome.Result.Error.Kind);
        var crash = await AssertContained(k, d, live);
        int spawned = k.Threads.Count(t => t.DomainId == d.Id);
        Assert.True(spawned > 0, "no thread was spawned before the kill");
        Assert.Equal(spawned, crash.ThreadsReleased);
        Assert.All(k.Threads.Where(t => t.DomainId == d.Id), t => Assert.True(t.Join(TimeSpan.FromSeconds(5)), $"{t} still runs after the kill"));
    }

    [Fact]
    public Task InfiniteRecursion() => CrashesContained(Accepted(Source("        return Down(argument);", """
            private static long Down(long n) => Down(n + 1) + 1;
        """)), 0, "stack depth limit");

    [Fact]
    public Task APropertyGetterThatCallsItself() => CrashesContained(Accepted(Source("        return Depth;", """
            private long Depth => Depth + 1;
        """)), 0, "stack depth limit");

    [Fact]
    public Task MutualRecursionThroughLambdas() => CrashesContained(Accepted(Source("""
                Func<long, long>? ping = null, pong = null;
                ping = n => pong!(n + 1) + 1;
                pong = n => ping(n + 1) + 1;
                return ping(0);
        """)), 0, "stack depth limit");

    /// <summary>Recursion in tail position. When the JIT turns the delegate calls into jumps the stack never
    /// grows and it is an infinite loop the kill must stop; when it does not (it makes no promise: the same
    /// build went either way from run to run), the stack guard must crash it. Either way it is contained.</summary>
    [Fact]
    public async Task TailRecursionThroughLambdasIsStoppedByTheKillOrTheStackGuard()
    {
        var image = Accepted(Source("""
                Func<long, long>? ping = null, pong = null;
                ping = n => pong!(n + 1);
                pong = n => ping(n + 1);
                return ping(0);
        """));
        using var k = Boot();
        var d = k.Load(image);
        long live = k.Heap.LiveObjects;
        var outcome = Call(k, d, 0, killAfter: TimeSpan.FromMilliseconds(150));
        // Judged by how the call ended, not by whether the kill was sent: on a loaded machine the guard can
        // fire just as the kill goes out, or just after.
        var kind = outcome.Result.IsOk ? RpcErrorKind.None : outcome.Result.Error.Kind;
        Assert.True(kind is RpcErrorKind.CalleeKilled or RpcErrorKind.CalleeCrashed, $"expected the kill or a crash, got {outcome.Result}; crash: {d.LastCrash}");
        await AssertContained(k, d, live, kind == RpcErrorKind.CalleeKilled ? "killed by the hostile suite" : "stack depth limit");
    }

    [Fact]
    public Task RecursionThroughABaseLibraryCallback() => CrashesContained(Accepted(Source("""
                return Nest(0);
        """, """
            private static long Nest(long n) => new[] { n }.Select(x => Nest(x + 1)).Sum();
        """)), 0, "stack depth limit");

    [Fact]
    public Task RecursionInsideACatchAll() => CrashesContained(Accepted(Source("""
                try { return Down(0); }
                catch { return -1; } // the stack fault must not be swallowed
        """, """
            private static long Down(long n) => Down(n + 1) + 1;
        """)), 0, "stack depth limit");

    [Fact]
    public Task RecursionWithLargeFramesFromAnInlineArray() => CrashesContained(Accepted(Source("""
                return Deep(argument);
        """, """
            private static long Deep(long n)
            {
                Chunk c = default;
                c[(int)(n % 8192)] = n;
                return n == 0 ? 0 : Deep(n - 1) + c[(int)(n % 8192)];
            }
        """, types: """
        [System.Runtime.CompilerServices.InlineArray(8192)]
        struct Chunk { private long _e; }
        """)), 1000, "stack depth limit");

    /// <summary>A domain that spends a long time inside one base-library call (no domain code runs, so no
    /// check runs): its host caller still gets CalleeKilled promptly after a kill (HostCall gives up on the
    /// worker the call runs on; the worker leaves when the sort ends, and then the context is collected). Bounded: Array.Sort of 16 M longs takes
    /// about 1.5 s on this machine and then ends by itself; the test measures how long after the kill
    /// the call came back.</summary>
    [Fact]
    public async Task AKillDuringALongBaseLibraryCallIsPrompt()
    {
        var image = Accepted(Source("""
                    var x = new long[16_000_000];
                    ulong s = 12345;
                    for (int i = 0; i < x.Length; i++) { s = s * 6364136223846793005UL + 1442695040888963407UL; x[i] = (long)(s >> 1); }
                    Array.Sort(x); // one call, about 1.5 s, no domain code inside
                    return x[0];
            """));
        using var k = Boot();
        var d = k.Load(image);
        long live = k.Heap.LiveObjects;
        var outcome = Call(k, d, 0, killAfter: TimeSpan.FromMilliseconds(800), timeout: TimeSpan.FromSeconds(30));
        Assert.True(outcome.Killed, "the sort finished before the kill; make it longer");
        Assert.Equal(RpcErrorKind.CalleeKilled, outcome.Result.Error.Kind);
        Assert.True(outcome.StoppedAfterKill < TimeSpan.FromMilliseconds(500),
            $"the killed domain kept its caller waiting {outcome.StoppedAfterKill!.Value.TotalMilliseconds:F0} ms: a kill cannot stop a domain inside one long base-library call (no check runs there)");
        await AssertContained(k, d, live);
    }
}

// tests/os/compiler: an independent red team's attacks on domain isolation, written without reading the
// existing *Attacks.cs suites. Each test is an attack a student could hand in as a domain (or as source
// for the trusted compiler) and asserts that it is contained: the process survives, the caller gets an
// RpcError or an honest answer, the heap is back to its baseline, the killed domain's code is collected.
// Attacks that may take the process down or leave a thread stuck run in a child kernel (Sandbox).
// A test marked "// FINDING" failed when it was written: the attack got through (see the comment); each says how it
// was fixed (2026-12-07 and 2026-12-08).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os.Domains;
using RedLeaf.Tests.Kernel;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public sealed class RedTeamAttacks(Xunit.Abstractions.ITestOutputHelper log)
{
    /// <summary>Compiles an attack; null when the trusted compiler refuses it (a refusal is containment too).</summary>
    private DomainImage? CompiledOrRefused(string source, string test)
    {
        try { return RedLeaf.Os.Compiler.TrustedCompiler.Default.CompileText(test, source, $"{test}.cs"); }
        catch (RedLeaf.Os.Compiler.DomainCompileException e) when (!e.Diagnostics.Any(d => d.Id.StartsWith("CS", StringComparison.Ordinal)))
        {
            log.WriteLine("REFUSED by the trusted compiler:\n" + string.Join("\n", e.Diagnostics));
            return null;
        }
    }

    /// <summary>Runs the attack in a child kernel and asserts the process survived it and still runs another domain.</summary>
    private SandboxOutcome Survives(string source, long argument = 0, int killAfterMs = -1, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var image = CompiledOrRefused(source, test);
        if (image is null) return new SandboxOutcome(0, "REFUSED", "", false);
        var o = Sandbox.Run(image, argument, killAfterMs);
        log.WriteLine(o.Describe());
        Assert.True(o.Survived, "the attack took the kernel process down or hung it: " + o.Describe());
        Assert.True(o.Line("ALIVE") == "42", "the kernel did not run another domain afterwards: " + o.Describe());
        return o;
    }

    // ---- (b) recursion inside the base library, with no domain frame on the way down -------------------

    // Exception.ToString prints InnerException.ToString(): a chain of inner exceptions is walked by
    // recursion inside System.Private.CoreLib, where no stack guard is inserted.
    [Fact]
    public void AChainOfInnerExceptionsPrintedByToString() => Survives(Source("""
            System.Exception e = new System.Exception("x");
            for (int i = 0; i < 400_000; i++) e = new System.Exception("x", e);
            return e.ToString().Length;
        """));

    // ReadOnlyDictionary.Keys wraps its inner dictionary's Keys (not a tail call): a chain of wrappers
    // recurses once per level.
    [Fact]
    public void AChainOfReadOnlyDictionariesAskedForTheirKeys() => Survives(Source("""
            System.Collections.Generic.IDictionary<int, int> d = new System.Collections.Generic.Dictionary<int, int> { [1] = 1 };
            for (int i = 0; i < 400_000; i++) d = new System.Collections.ObjectModel.ReadOnlyDictionary<int, int>(d);
            return d.Keys.Count;
        """));

    // ReadOnlyCollection forwards Count, the indexer, Contains and CopyTo to the list it wraps.
    [Fact]
    public void AChainOfReadOnlyCollections() => Survives(Source("""
            System.Collections.Generic.IList<int> l = new System.Collections.Generic.List<int> { 7 };
            for (int i = 0; i < 400_000; i++) l = new System.Collections.ObjectModel.ReadOnlyCollection<int>(l);
            var copy = new System.Collections.Generic.List<int>(l);
            return l.Count + l[0] + (l.Contains(7) ? 1 : 0) + l.IndexOf(7) + copy.Count;
        """));

    // Collection<T>.Add asks items.Count and then items.Insert through a chain of wrappers.
    [Fact]
    public void AChainOfCollectionsAddedTo() => Survives(Source("""
            System.Collections.Generic.IList<int> c = new System.Collections.Generic.List<int>();
            for (int i = 0; i < 400_000; i++) c = new System.Collections.ObjectModel.Collection<int>(c);
            c.Add(1);
            return c.Count;
        """));

    // A comparer built from a comparer built from ...: Comparer<T>.Create wraps a Comparison, the
    // Comparison is the previous comparer's Compare (a method group of a base-library type).
    [Fact]
    public void AChainOfComparersCalledBySort() => Survives(Source("""
            System.Collections.Generic.IComparer<int> c = System.Collections.Generic.Comparer<int>.Default;
            for (int i = 0; i < 400_000; i++) c = System.Collections.Generic.Comparer<int>.Create(c.Compare);
            var a = new int[] { 3, 1, 2 };
            System.Array.Sort(a, c);
            return a[0];
        """));

    // The same with EqualityComparer<T>.Create over the previous comparer's Equals and GetHashCode.
    [Fact]
    public void AChainOfEqualityComparersUsedByAHashSet() => Survives(Source("""
            System.Collections.Generic.IEqualityComparer<int> c = System.Collections.Generic.EqualityComparer<int>.Default;
            for (int i = 0; i < 400_000; i++) c = System.Collections.Generic.EqualityComparer<int>.Create(c.Equals, c.GetHashCode);
            var s = new System.Collections.Generic.HashSet<int>(c);
            s.Add(1);
            return s.Count;
        """));

    // A delegate whose invocation list is combined with itself: invoking it walks the list (a loop), but
    // a delegate built from the previous delegate's Invoke nests.
    [Fact]
    public void AChainOfFuncsOverInvoke() => Survives(Source("""
            System.Func<int, int> f = x => x;
            for (int i = 0; i < 400_000; i++) f = new System.Func<int, int>(f.Invoke);
            return f(5);
        """));

    // ---- (c) a killed domain's threads that no stop check can reach -----------------------------------

    // Two Lazy<T> whose factories take each other's Value on two threads: both block in Monitor.Enter
    // inside Lazy, where no stop check runs. The kill must still end the domain and let its code go.
    // FINDING (fixed 2026-12-07: the gate refuses Lazy<T>, RLGATE007, so the source is refused): the kill returns (CalleeKilled in time) but both domain threads stay blocked in Monitor.Enter
    // inside Lazy<T>.Value for good: no stop check runs there, so the killed domain's code never leaves and
    // its load context is never collected (COLLECTED False). Every such domain is a permanent leak of its
    // code, its statics and two OS threads, and a domain caller blocked behind it waits forever.
    [Fact]
    public void TwoLaziesDeadlockedOnTwoThreads()
    {
        var o = Survives(Source("""
                A = new System.Lazy<int>(() => { System.Threading.Volatile.Write(ref fa, 1); while (System.Threading.Volatile.Read(ref fb) == 0) { } return B.Value; });
                B = new System.Lazy<int>(() => { System.Threading.Volatile.Write(ref fb, 1); while (System.Threading.Volatile.Read(ref fa) == 0) { } return A.Value; });
                DomainThreads.Spawn("b", new TakeB());
                return A.Value;
            """, """
                public static System.Lazy<int> A = null!, B = null!;
                public static int fa, fb;
            """, """
                sealed class TakeB : IThreadBody { public RpcResult Run() { int v = Attack.B.Value; return RpcResult.Ok; } }
            """), killAfterMs: 500);
        if (o.Out == "REFUSED") return;
        Sandbox.AssertContained(o, "CalleeKilled");
    }

    // A loop that swallows every exception with a filter: the kill's exception must not be swallowed.
    [Fact]
    public void AFilterThatCatchesEverythingAroundASpin()
    {
        var o = Survives(Source("""
                long n = 0;
                while (true)
                {
                    try { while (true) { n++; } }
                    catch (System.Exception e) when (Keep(e)) { n--; }
                }
            """, """
                static bool Keep(System.Exception e) { try { return true; } catch { return true; } }
            """), killAfterMs: 300);
        if (o.Out == "REFUSED") return;
        Sandbox.AssertContained(o, "CalleeKilled");
    }

    // A finally and a catch that spin again after the kill's exception passed through them.
    [Fact]
    public void AFinallyThatSpinsAgain()
    {
        var o = Survives(Source("""
                long n = 0;
                for (;;)
                {
                    try { try { for (;;) n++; } finally { for (;;) { try { n++; } catch { } } } }
                    catch { }
                    finally { n = Again(n); }
                }
            """, """
                static long Again(long n) { for (;;) { try { for (;;) n++; } catch { } } }
            """), killAfterMs: 300);
        if (o.Out == "REFUSED") return;
        Sandbox.AssertContained(o, "CalleeKilled");
    }

    // A static constructor that spins, reached from a type initializer check inside the base library
    // (EqualityComparer<T>.Default over a domain type runs no domain code; Array.Sort calls CompareTo).
    [Fact]
    public void AStaticConstructorThatSpinsReachedFromSort()
    {
        var o = Survives(Source("""
                var a = new Key[] { new Key(2), new Key(1) };
                System.Array.Sort(a);
                return a[0].V;
            """, "", """
                readonly struct Key : System.IComparable<Key>
                {
                    public readonly int V;
                    public Key(int v) { V = v; }
                    public int CompareTo(Key o) => Spin.Value + V.CompareTo(o.V);
                }
                static class Spin { public static readonly int Value = Forever(); static int Forever() { long n = 0; while (true) n++; } }
            """), killAfterMs: 300);
        if (o.Out == "REFUSED") return;
        Sandbox.AssertContained(o, "CalleeKilled");
    }

    // ---- (a) the shared heap: children handles copied by value ------------------------------------------

    // RRefArray<RRef<long>>.CopyFrom copies handles as bytes: the same child twice in one parent, then the
    // parent dropped. If the child is freed twice, two later allocations share a block.
    [Fact]
    public async Task TheSameChildTwiceInAnArrayThenDropped()
    {
        var image = CompiledOrRefused(Source("""
                var r = RRef<long>.New(1);
                var parent = RRefArray<RRef<long>>.New(2);
                parent.CopyFrom(new[] { r, r });
                parent.Drop();
                var a = RRef<long>.New(10);
                var b = RRef<long>.New(20);
                a.Value = 99;
                long seen = b.Value;
                a.Drop(); b.Drop();
                return seen == 99 ? 1 : 0;
            """), nameof(TheSameChildTwiceInAnArrayThenDropped));
        if (image is null) return;
        await AliasingNotSeen(image);
    }

    // A child dropped on its own while its handle is still in a parent; its slot is reused; then the parent
    // is dropped: the stale child handle must not free the new object.
    [Fact]
    public async Task AStaleChildHandleInAParentDroppedAfterReuse()
    {
        var image = CompiledOrRefused(Source("""
                var r = RRef<long>.New(1);
                var parent = RRefArray<RRef<long>>.New(1);
                parent[0] = r;
                r.Drop();
                var x = RRef<long>.New(10);
                parent.Drop();
                var y = RRef<long>.New(20);
                x.Value = 99;
                long seen = y.Value;
                x.Drop(); y.Drop();
                return seen == 99 ? 1 : 0;
            """), nameof(AStaleChildHandleInAParentDroppedAfterReuse));
        if (image is null) return;
        await AliasingNotSeen(image);
    }

    // A parent holding a handle to itself (a cycle), then read through the child after the parent's drop.
    [Fact]
    public async Task AParentThatHoldsItsOwnHandle()
    {
        var image = CompiledOrRefused(Source("""
                var n = RRef<Node>.New(new Node { V = 1 });
                var copy = n.Value;
                copy.Next = n;
                n.Value = copy;
                n.Drop();
                var a = RRef<Node>.New(new Node { V = 2 });
                var b = RRef<Node>.New(new Node { V = 3 });
                var x = a.Value; x.V = 99; a.Value = x;
                long seen = b.Value.V;
                return seen == 99 ? 1 : 0;
            """, types: "public struct Node { public long V; public RRef<Node> Next; }"), nameof(AParentThatHoldsItsOwnHandle));
        if (image is null) return;
        await AliasingNotSeen(image);
    }

    private async Task AliasingNotSeen(DomainImage image)
    {
        using var k = Boot();
        var d = k.Load(image);
        long live = k.Heap.LiveObjects;
        var outcome = Call(k, d, 0);
        log.WriteLine($"{outcome.Result}; crash: {d.LastCrash?.Reason}");
        if (outcome.Result.IsOk)
        {
            Assert.True(outcome.Result.Value == 0, "two live RRefs share one block: a write through one is read through the other");
            Assert.Equal(live, k.Heap.LiveObjects);
            return;
        }
        Assert.Equal(RpcErrorKind.CalleeCrashed, outcome.Result.Error.Kind);
        await AssertContained(k, d, live);
    }

    // RRefDeque and RRefArray at their edges: negative and huge sizes and indices, a huge copy start.
    // Each must be refused with an exception the domain can catch, never a write outside the block.
    [Fact]
    public void DequeAndArrayEdges()
    {
        var image = CompiledOrRefused(Source("""
                long refused = 0;
                try { RRefDeque<long>.New(-1); } catch (System.Exception) { refused++; }
                try { RRefDeque<long>.New(int.MaxValue); } catch (System.Exception) { refused++; }
                try { RRefArray<long>.New(int.MaxValue); } catch (System.Exception) { refused++; }
                try { RRefArray<decimal>.New(int.MaxValue / 4); } catch (System.Exception) { refused++; }
                var a = RRefArray<long>.New(4);
                try { a[-1] = 5; } catch (System.Exception) { refused++; }
                try { a[int.MinValue] = 5; } catch (System.Exception) { refused++; }
                try { a.CopyFrom(new long[1], -1); } catch (System.Exception) { refused++; }
                try { a.CopyFrom(new long[2], int.MaxValue); } catch (System.Exception) { refused++; }
                try { a.CopyTo(new long[8], 0); } catch (System.Exception) { refused++; }
                var q = RRefDeque<long>.New(2);
                try { long v = q[-1]; } catch (System.Exception) { refused++; }
                try { long v = q[2]; } catch (System.Exception) { refused++; }
                q.TryPushBack(1); q.TryPushBack(2);
                bool third = q.TryPushBack(3);
                try { long v = q[int.MaxValue]; } catch (System.Exception) { refused++; }
                a.Drop(); q.Drop();
                return refused * 10 + (third ? 1 : 0);
            """), nameof(DequeAndArrayEdges));
        if (image is null) return;
        var o = Sandbox.Run(image, 0);
        log.WriteLine(o.Describe());
        Assert.True(o.Survived, o.Describe());
        Assert.True(o.Line("RESULT") is "CalleeCrashed" or null || o.Out.Contains("RESULT", StringComparison.Ordinal), o.Describe());
        Assert.Equal("42", o.Line("ALIVE"));
    }

    // ---- (d) sources that make the trusted compiler itself do unbounded work ---------------------------

    // Constant folding: 31 lines of const strings, each the previous one twice, make a 2^33-character
    // constant in the compiler's memory (well under the 1 MiB source bound).
    [Fact]
    public void ConstantStringsDoubledThirtyTimes()
    {
        var sb = new System.Text.StringBuilder("static class K {\n    public const string S0 = \"01234567\";\n");
        for (int i = 1; i <= 30; i++) sb.Append($"    public const string S{i} = S{i - 1} + S{i - 1};\n");
        sb.Append("}\n");
        var o = Sandbox.Compile(Source("return K.S30.Length;", types: sb.ToString()), "Doubled.cs", waitMs: 60_000);
        log.WriteLine(o.Describe());
        Assert.True(o.Survived, "the trusted compiler did not finish compiling a 31-line source: " + o.Describe());
    }

    // Overload resolution of nested lambdas: each level binds its body once per candidate of the outer
    // call, 2^depth bindings (a known Roslyn cost), in a source of a few hundred characters.
    // FINDING (fixed 2026-12-07: lambdas may nest 8 deep, RL0006, and a compile past 20 s is stopped): the trusted compiler was still compiling this ~700-character source after 60 s (the child was
    // killed): overload resolution binds each lambda body once per candidate of every enclosing call
    // (3^24 here), and no bound (source size, nesting depth 24 < 256, tree depth) or time limit stops it.
    // In the notebook kernel or `redleaf verify` the compile runs in the host process and never returns.
    // Measured in the child (start-up about 2.5 s included): depth 8 2.9 s, 10 5.8 s, 12 32.9 s (x3 a level),
    // each ending in CS0121 (ambiguous call): the refusal comes only after the exponential work.
    [Fact]
    public void NestedLambdasUnderOverloads()
    {
        const int depth = 24;
        string body = "0";
        for (int i = 0; i < depth; i++) body = $"M(x{i} => {body})";
        var o = Sandbox.Compile(Source($"return {body};", """
                static int M(System.Func<int, int> f) => 1;
                static int M(System.Func<string, int> f) => 2;
                static int M(System.Func<long, int> f) => 3;
            """), "Lambdas.cs", waitMs: 60_000);
        Assert.True(o.Survived, "the trusted compiler did not finish compiling nested lambdas: " + o.Describe());
    }

    // A generic type nested 250 deep in one type argument (under the 256 bound of the token scan), used
    // so that the gate's recursion-over-type-arguments checks walk it on every instruction.
    [Fact]
    public void AGenericTypeNestedUnderTheBound()
    {
        string t = "int";
        for (int i = 0; i < 250; i++) t = $"W<{t}>";
        var o = Sandbox.Compile(Source($"var w = new {t}(); return 1;", types: "sealed class W<T> { }"), "Nested.cs", waitMs: 60_000);
        log.WriteLine(o.Describe());
        Assert.True(o.Survived, "the trusted compiler did not finish: " + o.Describe());
    }

    // ---- (b, e) kernel state a domain makes the kernel keep --------------------------------------------

    // Every DomainThreads.Spawn adds a KernelThread record (holding its Thread object) and a boot-log line
    // that nothing removes, not even the domain's death; and each spawn counts the domain's running threads
    // by scanning every record ever made, under the table's lock. A domain that spawns short threads in a
    // loop (never more than a few running, far under MaxThreads) grows kernel memory without bound, outlives
    // its own kill, and makes every later spawn (any domain's) slower.
    // FINDING (fixed 2026-12-07: the thread table keeps the newest 200 ended threads, the log the boot and the last 900 entries): 5,000 spawns (16 running at most) left 5,000 KernelThread records and 5,003 boot-log lines in
    // the kernel after the domain was killed; nothing ever removes them, and Spawn counts running threads by
    // scanning all of them under the table's lock (O(spawns so far) per spawn). Unbounded kernel memory
    // growth on a domain's behalf, surviving its kill (and restarts), slowing every other domain's spawns.
    [Fact]
    public void ShortThreadsSpawnedInALoopLeaveKernelRecords()
    {
        var image = CompiledOrRefused(Source("""
                int spawned = 0;
                while (spawned < argument)
                {
                    if (System.Threading.Volatile.Read(ref live) >= 16) continue;
                    System.Threading.Interlocked.Increment(ref live);
                    DomainThreads.Spawn("t", new Quick());
                    spawned++;
                }
                while (System.Threading.Volatile.Read(ref live) > 0) { }
                return spawned;
            """, """
                public static int live;
            """, """
                sealed class Quick : IThreadBody { public RpcResult Run() { System.Threading.Interlocked.Decrement(ref Attack.live); return RpcResult.Ok; } }
            """), nameof(ShortThreadsSpawnedInALoopLeaveKernelRecords));
        if (image is null) return;
        using var k = Boot();
        int threadsBefore = k.Threads.Count, logBefore = k.Log.Entries.Count;
        var d = k.Load(image);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var outcome = Call(k, d, 5_000, timeout: TimeSpan.FromSeconds(60));
        log.WriteLine($"{outcome.Result} in {sw.ElapsedMilliseconds} ms");
        k.Kill(d, "killed by the red team");
        int kept = k.Threads.Count - threadsBefore, lines = k.Log.Entries.Count - logBefore;
        log.WriteLine($"after the kill the kernel keeps {kept} thread records and {lines} more log lines");
        Assert.True(kept <= 256 && lines <= 1_000,
            $"a killed domain that ran at most 16 threads at once left {kept} kernel thread records and {lines} log lines behind");
    }

    // The same deadlock, but on the thread of the crash report: the exception's Message getter (which the
    // kernel runs as the domain, on the call's thread, before it switches back) takes a Lazy held by a
    // second thread that waits for a Lazy the getter's thread holds.
    // FINDING (fixed 2026-12-07 as above: Lazy<T> refused): as above, reached from the crash report: the kernel's Describe runs the Message getter, which
    // blocks in Lazy<T>.Value; the host caller got CalleeKilled after the kill, but the domain's code is
    // never collected.
    [Fact]
    public void AMessageGetterThatDeadlocksInLazy()
    {
        var o = Survives(Source("""
                A = new System.Lazy<int>(() => { System.Threading.Volatile.Write(ref fa, 1); while (System.Threading.Volatile.Read(ref fb) == 0) { } return B.Value; });
                B = new System.Lazy<int>(() => { System.Threading.Volatile.Write(ref fb, 1); while (System.Threading.Volatile.Read(ref fa) == 0) { } return A.Value; });
                throw new Stuck();
            """, """
                public static System.Lazy<int> A = null!, B = null!;
                public static int fa, fb;
            """, """
                sealed class TakeB : IThreadBody { public RpcResult Run() { int v = Attack.B.Value; return RpcResult.Ok; } }
                sealed class Stuck : System.Exception
                {
                    public override string Message { get { DomainThreads.Spawn("b", new TakeB()); return "stuck " + Attack.A.Value; } }
                }
            """), killAfterMs: 500);
        if (o.Out == "REFUSED") return;
        Assert.True(o.Line("COLLECTED") == "True", "the domain's code was never collected: " + o.Describe());
        Assert.True(o.Line("RESULT") is "CalleeKilled" or "CalleeCrashed", o.Describe());
    }

    // A Message getter that spawns a thread which spins: it runs while the kernel describes the crash.
    [Fact]
    public void AMessageGetterThatSpawnsASpinningThread()
    {
        var o = Survives(Source("""
                throw new Loud();
            """, "", """
                sealed class Spinner : IThreadBody { public RpcResult Run() { long n = 0; while (true) n++; } }
                sealed class Loud : System.Exception
                {
                    public override string Message { get { DomainThreads.Spawn("spin", new Spinner()); return "loud"; } }
                }
            """));
        if (o.Out == "REFUSED") return;
        Sandbox.AssertContained(o, "CalleeCrashed");
    }

    // A thread body that throws: the exception must end at the kernel thread's proxy, not the process.
    [Fact]
    public void AThreadBodyThatThrows()
    {
        var o = Survives(Source("""
                DomainThreads.Spawn("boom", new Boom());
                long n = 0;
                while (n < 2_000_000_000) n++;
                return n;
            """, "", """
                sealed class Boom : IThreadBody { public RpcResult Run() { throw new System.InvalidOperationException("boom"); } }
            """), killAfterMs: 1_000);
        if (o.Out == "REFUSED") return;
        Assert.True(o.Line("COLLECTED") is null or "True", o.Describe());
    }

    // ---- (b) stack frames too big for the guard's headroom -----------------------------------------------

    // One local of an inline array of 2 MiB: the frame is taken in the prologue, before any check.
    [Fact]
    public void AHugeInlineArrayLocal()
    {
        var o = Survives(Source("""
                var b = new Big();
                b[1] = 5;
                return b[1];
            """, "", """
                [System.Runtime.CompilerServices.InlineArray(1 << 18)] struct Big { long e; }
            """));
        if (o.Out == "REFUSED") return;
        Assert.True(o.Line("RESULT") is "CalleeCrashed" or "None", o.Describe());
    }

    // A struct doubled 18 times by generics: 2 MiB by value, with no array or inline array in sight.
    [Fact]
    public void AStructDoubledByGenerics()
    {
        string t = "long";
        for (int i = 0; i < 18; i++) t = $"Two<{t}>";
        var o = Survives(Source($$"""
                var b = new {{t}}();
                return Pass(b);
            """, $$"""
                static long Pass({{t}} v) { var w = v; return 1; }
            """, """
                struct Two<T> { public T A; public T B; }
            """));
        if (o.Out == "REFUSED") return;
        Assert.True(o.Line("RESULT") is "CalleeCrashed" or "None", o.Describe());
    }

    // stackalloc is safe C# when it goes into a Span: 64 MiB at once.
    [Fact]
    public void AHugeStackalloc()
    {
        var o = Survives(Source("""
                System.Span<byte> s = stackalloc byte[(int)argument];
                s[0] = 1;
                return s.Length;
            """), argument: 64 << 20);
        if (o.Out == "REFUSED") return;
        Assert.True(o.Line("RESULT") is "CalleeCrashed" or "None", o.Describe());
    }

    // ---- (b) memory: a domain that keeps what it allocates, under a heap limit -----------------------------

    [Fact]
    public void KeepingBigArraysUnderAHeapLimit()
    {
        var image = CompiledOrRefused(Source("""
                var keep = new System.Collections.Generic.List<long[]>();
                while (true) keep.Add(new long[4 << 20]);
            """), nameof(KeepingBigArraysUnderAHeapLimit));
        if (image is null) return;
        var o = Sandbox.Run(image, 0, environment: new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x30000000" });
        log.WriteLine(o.Describe());
        Sandbox.AssertContained(o, "CalleeCrashed");
    }

    // ---- two domains ---------------------------------------------------------------------------------

    private const string TransferStubs = """
            public RpcResult<long> Both(RRef<Payload> a, RRef<Payload> b) { a.Drop(); b.Drop(); return 0; }
            public RpcResult<long> LendThenMove(in RRef<Payload> a, RRef<Payload> b) { b.Drop(); return 0; }
            public RpcResult<long> MoveThenLend(RRef<Payload> a, in RRef<Payload> b) { a.Drop(); return 0; }
            public RpcResult<long> LendBoth(in RRef<Payload> a, in RRef<Payload> b) { return 0; }
            public RpcResult<long> BatchThenOne(RRefDeque<RRef<Payload>> batch, RRef<Payload> b) { batch.Drop(); b.Drop(); return 0; }
            public RpcResult<long> Peek(in RRef<Payload> a) { return a.Value.A; }
        """;

    // An innocent domain calls a domain whose method deadlocks two of its threads in Lazy<T>; the host kills
    // the callee. The caller's thread is the one stuck inside the callee's code (domain-to-domain calls run
    // on the caller's thread), so the kill of the callee must still give the caller its RpcError.
    // FINDING (fixed 2026-12-07: the gate refuses Lazy<T>, RLGATE007; the test now checks the refusal): after the
    // callee was killed (500 ms in) its caller's call had not come back 5 s later: the
    // caller's own thread is blocked inside the killed callee's Lazy<T>.Value, and a kill only stops code
    // that reaches a check. An innocent domain hangs (and, once killed itself, is never collected) because
    // a domain it called misbehaved: the misbehaving domain does not end alone.
    [Fact]
    public void AnInnocentCallerBehindACalleeDeadlockedInLazy()
    {
        const string callee = """
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            public static class Entry { [DomainEntry] public static ICounter Start() { return new Stuck(); } }
            sealed class Stuck : ICounter
            {
                public static System.Lazy<int> A = null!, B = null!;
                public static int fa, fb;
                public RpcResult<long> Next()
                {
                    A = new System.Lazy<int>(() => { System.Threading.Volatile.Write(ref fa, 1); while (System.Threading.Volatile.Read(ref fb) == 0) { } return B.Value; });
                    B = new System.Lazy<int>(() => { System.Threading.Volatile.Write(ref fb, 1); while (System.Threading.Volatile.Read(ref fa) == 0) { } return A.Value; });
                    DomainThreads.Spawn("b", new TakeB());
                    return A.Value;
                }
            }
            sealed class TakeB : IThreadBody { public RpcResult Run() { int v = Stuck.B.Value; return RpcResult.Ok; } }
            """;
        var refused = Assert.Throws<RedLeaf.Os.Compiler.DomainCompileException>(() => RedLeaf.Os.Compiler.TrustedCompiler.Default.CompileText("RedTeamLazyCallee", callee, "RedTeamLazyCallee.cs"));
        Assert.Contains(refused.Diagnostics, d => d.Id == "RLGATE007" && d.Message.Contains("Lazy", StringComparison.Ordinal));
    }

    // Two domains call each other through interface arguments, deeper and deeper (caller -> callee -> the
    // caller's ICounter -> callee ...), each hop a proxy: the stack guard must stop one of them, and the
    // chain unwind to the host with every payload freed. Risky (a stack overflow ends the test host): run alone.
    [Fact]
    public async Task PingPongRecursionAcrossTwoDomains()
    {
        var callee = Accepted("""
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            public static class Entry { [DomainEntry] public static ITransfer Start() { return new X(); } }
            sealed class X : ITransfer
            {
                public RpcResult<long> MoveThenCounter(RRef<Payload> a, ICounter counter) { a.Drop(); var r = counter.Next(); return r.IsOk ? r.Value + 1 : -1; }
            """ + TransferStubs + "\n}\n", "RedTeamPong");
        var caller = Accepted("""
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            public static class Entry { [DomainEntry] public static IHostile Start(ITransfer x) { Attack.X = x; return new Attack(); } }
            sealed class Attack : IHostile
            {
                public static ITransfer X = null!;
                public RpcResult<long> Run(long argument) { var r = X.MoveThenCounter(RRef<Payload>.New(new Payload(1, 2)), new Back()); return r.IsOk ? r.Value : -1000 - (long)r.Error.Kind; }
            }
            sealed class Back : ICounter
            {
                public RpcResult<long> Next() { var r = Attack.X.MoveThenCounter(RRef<Payload>.New(new Payload(1, 2)), this); return r.IsOk ? r.Value + 1 : -1; }
            }
            """, "RedTeamPing");
        using var k = Boot();
        long live = k.Heap.LiveObjects;
        var x = k.Load(callee);
        var y = k.Load(caller, x.Get<ITransfer>());
        var outcome = Call(k, y, 0, timeout: TimeSpan.FromSeconds(30));
        log.WriteLine($"{outcome.Result}; ping {y.Status} {y.LastCrash?.Reason}; pong {x.Status} {x.LastCrash?.Reason}");
        Assert.Equal(live, k.Heap.LiveObjects);
        var b = k.Load(TestDomains.DomB);
        Assert.Equal(3, b.Get<IDomB>().Add(1, 2).Value);
        await Task.CompletedTask;
    }

    // ---- (b) the same wrapper chains, made by the base library's extension methods -----------------------

    // IDictionary<K,V>.AsReadOnly() makes the ReadOnlyDictionary the gate refuses to see constructed.
    [Fact]
    public void AChainOfAsReadOnlyDictionaries() => Survives(Source("""
            System.Collections.Generic.IDictionary<int, int> d = new System.Collections.Generic.Dictionary<int, int> { [1] = 1 };
            for (int i = 0; i < 400_000; i++) d = System.Collections.Generic.CollectionExtensions.AsReadOnly(d);
            return d.Keys.Count;
        """));

    // IList<T>.AsReadOnly() makes a ReadOnlyCollection over the list it is given.
    [Fact]
    public void AChainOfAsReadOnlyLists() => Survives(Source("""
            System.Collections.Generic.IList<int> l = new System.Collections.Generic.List<int> { 7 };
            for (int i = 0; i < 400_000; i++) l = System.Collections.Generic.CollectionExtensions.AsReadOnly(l);
            var copy = new System.Collections.Generic.List<int>(l);
            return l.Count + l[0] + (l.Contains(7) ? 1 : 0) + l.IndexOf(7) + copy.Count;
        """));

    // CollectionsMarshal.SetCount is on the allow-list: a count far past the limit grows the list in one call.
    [Fact]
    public void SetCountFarPastTheLimit()
    {
        var o = Survives(Source("""
                var l = new System.Collections.Generic.List<long>();
                System.Runtime.InteropServices.CollectionsMarshal.SetCount(l, (int)argument);
                return l.Count;
            """), argument: int.MaxValue - 64);
        if (o.Out == "REFUSED") return;
        Assert.True(o.Line("RESULT") == "CalleeCrashed", "a list of more elements than the array limit was made in one call: " + o.Describe());
    }

    // ---- (a) a lend kept past its call by a second thread ---------------------------------------------

    // The callee keeps the handle it was lent and a thread of its own reads it in a loop; after the call
    // returns the host writes a secret into its object. The reader must never see it.
    [Fact]
    public void ALendReadOnByASecondThreadAfterTheCall()
    {
        var keeper = Accepted("""
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            public static class Entry { [DomainEntry] public static ITransfer Start() { return new X(); } }
            sealed class Reader : IThreadBody
            {
                public RpcResult Run() { while (true) { try { long v = X.S.Value.A; if (v > X.Leaked) X.Leaked = v; } catch (System.Exception) { } } }
            }
            sealed class X : ITransfer
            {
                public static RRef<Payload> S;
                public static long Leaked;
                static bool started;
                public RpcResult<long> Peek(in RRef<Payload> a)
                {
                    S = a;
                    if (!started) { started = true; DomainThreads.Spawn("reader", new Reader()); long n = 0; while (n < 20_000_000) n++; }
                    return a.Value.A;
                }
                public RpcResult<long> Both(RRef<Payload> a, RRef<Payload> b) { a.Drop(); b.Drop(); return Leaked; }
                public RpcResult<long> LendThenMove(in RRef<Payload> a, RRef<Payload> b) { b.Drop(); return 0; }
                public RpcResult<long> MoveThenLend(RRef<Payload> a, in RRef<Payload> b) { a.Drop(); return 0; }
                public RpcResult<long> LendBoth(in RRef<Payload> a, in RRef<Payload> b) { return 0; }
                public RpcResult<long> BatchThenOne(RRefDeque<RRef<Payload>> batch, RRef<Payload> b) { batch.Drop(); b.Drop(); return 0; }
                public RpcResult<long> MoveThenCounter(RRef<Payload> a, ICounter counter) { a.Drop(); return 0; }
            }
            """, "RedTeamLendKeeper");
        using var k = Boot();
        var x = k.Load(keeper);
        var t = x.Get<ITransfer>();
        using var scope = k.Enter();
        var p = RRef<Payload>.New(new Payload(1, 2));
        var first = t.Peek(p);
        p.Value = new Payload(777, 0); // the host's secret, in the object the lend has ended on
        Thread.Sleep(300);
        var seen = t.Both(RRef<Payload>.New(default), RRef<Payload>.New(default));
        log.WriteLine($"peek {first}; later {seen}; keeper {x.Status} {x.LastCrash?.Reason}");
        Assert.False(seen.IsOk && seen.Value == 777, "the callee's second thread read the host's object after the lend ended");
        Assert.Equal(777, p.Value.A);
    }

    // FINDING (fixed 2026-12-08: the kernel tracks the proxies a domain hands out weakly, os/kernel/Domains/ExportedProxies.cs,
    // without its global lock): every interface object a domain hands out (an argument of a call, a thread body) gets a
    // proxy, and the kernel kept each one, and the callback object it binds, in the domain's list until the domain died.
    // After 100,000 calls that each passed a fresh callback it held 100,001 proxies: kernel memory grew for as long as the
    // domain lived, and each wrap took the kernel's global lock.
    [Fact]
    public void AFreshCallbackOnEveryCallIsKeptByTheKernel()
    {
        using var k = Boot();
        var (giver, _) = LoadCallbackPair(k, keepOne: false);
        var outcome = Call(k, giver, 100_000, timeout: TimeSpan.FromSeconds(60));
        Assert.True(outcome.Result.IsOk, outcome.Result.ToString());
        Assert.Equal(100_000, outcome.Result.Value);
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        int kept = ExportedAlive(giver);
        log.WriteLine($"{outcome.Result}; the kernel keeps {kept} proxies for the caller's exported objects");
        Assert.True(kept < 1_000, $"after 100,000 calls that each passed a fresh callback, the kernel keeps {kept} proxies (and the callbacks) for a domain that holds none of them");
    }

    // The other side of the weak registry: a callback the callee does keep is still unbound when its giver dies, so the
    // callee's later call returns an error (not a call into a dead domain) and the giver's code is collected.
    [Fact]
    public async Task ACallbackKeptByTheCalleeIsUnboundWhenItsGiverDies()
    {
        using var k = Boot();
        var (giver, taker) = LoadCallbackPair(k, keepOne: true);
        var outcome = Call(k, giver, 1_000, timeout: TimeSpan.FromSeconds(60));
        Assert.True(outcome.Result.IsOk, outcome.Result.ToString());
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        k.Kill(giver);
        var record = giver.LastCrash!;
        log.WriteLine(record.ToString());
        Assert.True(record.ProxiesUnbound >= 2, $"the kept callback and the giver's export should have been unbound; {record.ProxiesUnbound} were");
        var collected = await record.Collection.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(collected.Collected, $"the giver's code was not collected: {collected}");
        var t = taker.Get<ITransfer>();
        using var scope = k.Enter();
        var again = t.MoveThenCounter(RRef<Payload>.New(new Payload(1, 2)), new HostCounter()); // the taker calls the kept one
        log.WriteLine($"taker calls the callback it kept: {again}");
        Assert.False(again.IsOk && again.Value == 1, "the taker reached the dead giver's callback");
        Assert.Equal(DomainStatus.Running, taker.Status);
    }

    private sealed class HostCounter : ICounter { public RpcResult<long> Next() => 5; }

    private static int ExportedAlive(Domain d)
    {
        var flags = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public;
        var instance = typeof(Domain).GetProperty("Instance", flags)!.GetValue(d)!;
        var exported = instance.GetType().GetProperty("Exported", flags)!.GetValue(instance)!;
        return (int)exported.GetType().GetMethod("CountAlive", flags)!.Invoke(exported, null)!;
    }

    /// <summary>A taker whose MoveThenCounter calls the callback it is given (and, with keepOne, keeps the first and
    /// calls that one instead on later calls once its giver is gone), and a giver passing a fresh callback on every call.</summary>
    private static (Domain Giver, Domain Taker) LoadCallbackPair(RedLeaf.Os.Microkernel k, bool keepOne, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var callee = Accepted("""
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            public static class Entry { [DomainEntry] public static ITransfer Start() { return new X(); } }
            sealed class X : ITransfer
            {
                static ICounter? kept;
                public RpcResult<long> MoveThenCounter(RRef<Payload> a, ICounter counter)
                {
                    a.Drop();
                    if (KEEP && kept is not null) { var old = kept.Next(); if (!old.IsOk) kept = null; return old.IsOk ? old.Value : -1; }
                    if (KEEP) kept = counter;
                    var r = counter.Next(); return r.IsOk ? r.Value : -1;
                }
            """.Replace("KEEP", keepOne ? "true" : "false") + TransferStubs + "\n}\n", test + "Taker");
        var caller = Accepted("""
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            public static class Entry { [DomainEntry] public static IHostile Start(ITransfer x) { Attack.X = x; return new Attack(); } }
            sealed class Attack : IHostile
            {
                public static ITransfer X = null!;
                public RpcResult<long> Run(long argument)
                {
                    long sum = 0;
                    for (long i = 0; i < argument; i++) sum += X.MoveThenCounter(RRef<Payload>.New(new Payload(1, 2)), new One()).Value;
                    return sum;
                }
            }
            sealed class One : ICounter { public RpcResult<long> Next() { return 1; } }
            """, test + "Giver");
        var taker = k.Load(callee);
        var giver = k.Load(caller, taker.Get<ITransfer>());
        return (giver, taker);
    }
}

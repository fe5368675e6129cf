// tests/os/compiler: attacks that would take the whole kernel process down if they were not contained: a
// stack overflow cannot be caught in .NET, so recursion must be stopped by the stack guard before it
// happens, also when it runs in code the instrumentation never sees (compiler-generated members,
// the base library); value types and frames too big for the guard's headroom (refused by the gate, and
// the largest allowed still stopped by the guard); a runtime crash; instrumentation
// switched off by a domain that declares its own RedLeaf.Abi.Guard. Each runs in a child kernel
// process (Sandbox) so the test host survives; the child must survive too and contain the attack.
using RedLeaf.Os.Compiler.Gate;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class ProcessKillerAttacks
{
    private const int Depth = 200_000; // deep enough to overflow a 4 MiB stack many times over

    [Fact]
    public void TheSandboxItselfContainsPlainInfiniteRecursion() => Sandbox.AssertContained(Sandbox.Run(Accepted(Source("""
                return Down(argument);
        """, "    private static long Down(long n) => Down(n + 1) + 1;")), 0), reason: "stack depth limit");

    /// <summary>A loop in a try and another in its finally, the domain killed while in the first: the kill's
    /// stop unwinds into the finally, whose loop is stopped too. With .NET 10.0.12's tiered PGO on, the JIT's
    /// on-stack replacement of such a method crashed the whole runtime (SIGSEGV) about 300 ms in; the product
    /// runs with TieredPGO off (Directory.Build.props; the sandbox's host mirrors it), which this test holds.</summary>
    [Fact]
    public void ATryAndFinallyThatBothNeverEnd() => Sandbox.AssertContained(Sandbox.Run(Accepted(Source("""
                try { while (true) { argument++; } }
                finally { while (true) { argument--; } }
        """)), 0, killAfterMs: 500), kind: "CalleeKilled");

    /// <summary>An 8 MiB [InlineArray] local would overflow a 4 MiB thread in the method's prolog, before
    /// its first check: the gate caps value types (length times element) and names the declaration.</summary>
    [Fact]
    public void AnInlineArrayLocalBiggerThanTheStack()
    {
        var hit = Refused(Source("""
                    Huge h = default;
                    h[(int)(argument & 1023)] = argument;
                    return h[0];
            """, types: """
            [System.Runtime.CompilerServices.InlineArray(1 << 20)]
            struct Huge // <-
            {
                private long _e;
            }
            """), GateIds.StackSize, "declares Huge, a value type of 8,388,608 bytes (8 MiB)");
        Assert.Contains("at most 65,536 bytes (64 KiB)", hit.Message);
    }

    /// <summary>Structs nested in structs add up: three 40 KiB inline arrays make a 120 KiB struct.</summary>
    [Fact]
    public void NestedStructsAddUpPastTheLimit() => Refused(Source("        return 0;", types: """
        [System.Runtime.CompilerServices.InlineArray(5120)]
        struct Chunk { private long _e; }
        struct Three // <-
        {
            public Chunk A, B, C;
        }
        """), GateIds.StackSize, "declares Three, a value type of 122,880 bytes (120 KiB)");

    /// <summary>A generic struct of the base library instantiated with the domain's structs is measured
    /// too, at the line that writes it: no type declaration is too big, the tuple is.</summary>
    [Fact]
    public void ATupleOfLargeStructsIsMeasuredWhereItIsUsed() => Refused(Source("""
                var pair = (new Chunk(), new Chunk()); // <-
                return pair.GetHashCode();
        """, types: """
        [System.Runtime.CompilerServices.InlineArray(5120)]
        struct Chunk { private long _e; }
        """), GateIds.StackSize, "uses System.ValueTuple<Chunk, Chunk>, a value type of 81,920 bytes (80 KiB)");

    /// <summary>Forty 60 KiB locals, each under the type limit, make a 2.4 MiB frame that recursion would
    /// carry far past the guard's headroom in one call: the gate caps frames and names the method.</summary>
    [Fact]
    public void RecursionWithFramesLargerThanTheGuardsHeadroom()
    {
        var locals = string.Join("\n", Enumerable.Range(0, 40).Select(i => $"        Chunk c{i} = default; c{i}[(int)(n % 7680)] = n;"));
        var sum = string.Join(" + ", Enumerable.Range(0, 40).Select(i => $"c{i}[1]"));
        var hit = Refused(Source("                return Deep(argument);", members: $$"""
                private static long Deep(long n) // <-
                {
            {{locals}}
                    return n == 0 ? 0 : Deep(n - 1) + {{sum}};
                }
            """, types: """
            [System.Runtime.CompilerServices.InlineArray(7680)]
            struct Chunk { private long _e; }
            """), GateIds.StackSize, "Attack.Deep needs a stack frame of about");
        Assert.Contains("at most 131,072 bytes (128 KiB)", hit.Message);
    }

    /// <summary>The other half of the same rule: recursion with the largest frames the gate accepts (two
    /// 60 KiB locals and their temporaries, just under the frame limit) is still stopped by the stack
    /// guard, because its headroom stays above the largest frame allowed.</summary>
    [Fact]
    public void RecursionWithTheLargestFramesAllowedIsStoppedByTheGuard() => Sandbox.AssertContained(Sandbox.Run(Accepted(Source("""
                return Deep(argument);
        """, """
            private static long Deep(long n)
            {
                Chunk a = default, b = default;
                a[(int)(n % 7680)] = n;
                b[(int)((n + 1) % 7680)] = n;
                return Deep(n + 1) + a[(int)(n % 7680)] + b[1];
            }
        """, types: """
        [System.Runtime.CompilerServices.InlineArray(7680)]
        struct Chunk { private long _e; }
        """)), 0), reason: "stack depth limit");

    /// <summary>No recursion at all: a chain of 80 distinct methods (not inlined), each with a 60 KiB
    /// local, is 4.8 MiB on a 4 MiB thread. None is on a call cycle, so none needed the depth guard
    /// before; the compiler now guards a chain where its frames add up past its budget.</summary>
    [Fact]
    public void AChainOfDistinctMethodsWithLargeFrames()
    {
        var methods = string.Join("\n", Enumerable.Range(0, 80).Select(i => $$"""
                [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
                private static long M{{i}}(long n)
                {
                    Chunk c = default;
                    c[(int)(n % 7680)] = n;
                    return {{(i == 79 ? "n" : $"M{i + 1}(n + 1)")}} + c[(int)(n % 7680)];
                }
            """));
        Sandbox.AssertContained(Sandbox.Run(Accepted(Source("        return M0(argument);", methods, types: """
            [System.Runtime.CompilerServices.InlineArray(7680)]
            struct Chunk { private long _e; }
            """)), 0), reason: "stack depth limit");
    }

    /// <summary>A generic method that calls itself with a struct of its own type argument doubles the struct
    /// at every level: Pair&lt;long&gt;, Pair&lt;Pair&lt;long&gt;&gt;, ...; by the twentieth call one frame is larger
    /// than the guard's headroom. No line names a large type; the gate finds the expanding cycle of
    /// generic instantiations (ECMA-335 II.9.2) and refuses the call that expands.</summary>
    [Fact]
    public void AGenericMethodThatDoublesItsStructEachCall() => Refused(Source("""
                return Grow(argument, 30);
        """, """
            private static long Grow<T>(T value, int n) where T : struct
            {
                var pair = new Pair<T>(value, value);
                return n == 0 ? 0 : Grow(pair, n - 1) + 1; // <-
            }
        """, types: "readonly record struct Pair<T>(T A, T B);"), GateIds.StackSize, "instantiates a bigger type at every level");

    /// <summary>The same cycle through an interface's generic method and the class that implements it,
    /// and through a lambda (a closure class generic over the method's parameter).</summary>
    [Fact]
    public void AnExpandingCycleThroughAnInterfaceAndALambda() => Refused(Source("""
                return new Grower().Grow(argument, 30);
        """, types: """
        readonly record struct Pair<T>(T A, T B);
        interface IGrow { long Grow<T>(T value, int n); }
        sealed class Grower : IGrow
        {
            public long Grow<T>(T value, int n)
            {
                IGrow self = this;
                Func<long> next = () => self.Grow(new Pair<T>(value, value), n - 1); // <-
                return n == 0 ? 0 : next() + 1;
            }
        }
        """), GateIds.StackSize, "instantiates a bigger type at every level");

    /// <summary>Generic recursion that passes its type arguments on as they are is fine.</summary>
    [Fact]
    public void GenericRecursionWithoutExpansionIsAccepted()
    {
        var image = Accepted(Source("""
                    return Count(new List<long> { 1, 2, 3 }, 3) + Swap<long, int>(5, 0);
            """, """
                private static long Count<T>(List<T> items, int n) => n == 0 ? 0 : Count(items, n - 1) + items.Count;
                private static long Swap<A, B>(A a, B b) where A : struct where B : struct => b is int i && i > 2 ? 1 : Swap<B, A>(b, a) + 0 * 0 + (b is long ? 0 : 1) + Stop(b);
                private static long Stop<X>(X x) => 0;
            """, usings: "using System.Collections.Generic;"));
        Assert.NotNull(image);
    }
}

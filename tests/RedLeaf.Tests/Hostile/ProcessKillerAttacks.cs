// tests/Hostile: attacks that would take the whole kernel process down if they were not contained: a
// stack overflow cannot be caught in .NET, so recursion must be stopped by the stack guard before it
// happens, also when it runs in code the instrumentation never sees (compiler-generated members,
// the base library); a frame too big for the guard's headroom; a runtime crash; instrumentation
// switched off by a domain that declares its own RedLeaf.Abi.Guard. Each runs in a child kernel
// process (Sandbox) so the test host survives; the child must survive too and contain the attack.
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








}

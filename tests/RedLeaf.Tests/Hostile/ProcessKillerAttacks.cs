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








}

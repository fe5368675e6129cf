// tests/Hostile: the line a refusal names must be the student's line whatever else the file holds. The
// gate reads lines from the PDB of the instrumented code, so the instrumentation must not add or remove
// line breaks: expression-bodied members (`=> expr;`, the usual style of domain code) become blocks and
// must keep the line break that followed their semicolon. (The other hostile tests use a block-bodied
// entry point so their line checks test the gate, not this.)
using RedLeaf.Os.Compiler.Gate;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class LineNumberAttacks
{
    [Theory]
    [InlineData("    private static long One() => 1;")]
    [InlineData("    private long Two => 2;")]
    public void AnAttackBelowExpressionBodiedMembersIsReportedAtItsLine(string members) => Refused(Source("""
                long n = argument;
                n += Environment.ProcessorCount; // <-
                return n;
        """, members), GateIds.Environment, "System.Environment.ProcessorCount");

    [Fact]
    public void AnAttackBelowAnExpressionBodiedEntryPointIsReportedAtItsLine()
    {
        var source = """
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;

            public static class Entry
            {
                [DomainEntry]
                public static IHostile Start() => new Attack();
            }

            sealed class Attack : IHostile
            {
                public RpcResult<long> Run(long argument)
                {
                    long n = argument;
                    n += Environment.ProcessorCount; // <-
                    return n;
                }
            }
            """;
        Refused(source, GateIds.Environment, "System.Environment.ProcessorCount");
    }
}

// tests/Hostile: the line a refusal names must be the student's line whatever else the file holds. The
// gate reads lines from the PDB of the instrumented code, so the instrumentation must not add or remove
// line breaks: expression-bodied members (`=> expr;`, the usual style of domain code) become blocks and
// must keep the line break that followed their semicolon. (The other hostile tests use a block-bodied
// entry point so their line checks test the gate, not this.) Declarations have no IL: they are placed
// through the compilation (Gate/DeclarationSites), also among overloads and in nested types.
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

    /// <summary>A declaration is found among overloads by its signature, not just its name.</summary>
    [Fact]
    public void AnExternOverloadIsReportedAtItsOwnLine() => Refused(Source("        return Secret(argument);", members: """
                private static long Secret(long a) { return a; }
                private static extern long Secret(string s); // <-
                private static long Secret(long a, long b) { return a + b; }
            """), GateIds.NativeCode, "declares Attack.Secret without a body");

    /// <summary>A field's attribute is named at the field, a nested type's layout at the nested type.</summary>
    [Fact]
    public void ANestedTypesLayoutIsReportedAtItsDeclaration() => Refused(Source("        return 0;", members: """
                [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)]
                private struct Overlay // <-
                {
                    [System.Runtime.InteropServices.FieldOffset(0)] public object Ref;
                    [System.Runtime.InteropServices.FieldOffset(0)] public long Bits;
                }
            """), GateIds.UnsafeCode, "Attack.Overlay with explicit field offsets");
}

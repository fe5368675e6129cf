// tests/os/compiler: the line a refusal names must be the student's line whatever else the file holds. The
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

// ---- class 8: refusals of assembly-level and other metadata-only constructs name their line -------------

[Trait("suite", "hostile")]
public class MetadataLineNumberAttacks
{
    private static string WithAttribute(string attribute, string types = "") =>
        Source("        return argument;", types: attribute + " // <-\n" + types);

    /// <summary>Each diagnostic of a refused source: none may be at line 0 (the image, not the source).</summary>
    private static void NoneAtLineZero(string source, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var found = Diagnostics(source, $"{test}.cs");
        Assert.True(found.All(d => d.Line > 0 && d.File == $"{test}.cs"), "a refusal does not name a source line:\n" + string.Join("\n", found));
    }

    [Fact]
    public void AnAssemblyTypeForwardIsReportedAtItsLine()
    {
        var source = WithAttribute("[assembly: System.Runtime.CompilerServices.TypeForwardedTo(typeof(System.IO.File))]");
        NoneAtLineZero(source);
        Refused(source, GateIds.Assembly, "forwards the type");
    }

    [Fact]
    public void AnAssemblyMetadataAttributeIsReportedAtItsLine()
    {
        var source = WithAttribute("[assembly: System.Reflection.AssemblyMetadata(\"a\", \"b\")]");
        NoneAtLineZero(source);
    }

    [Fact]
    public void AnInternalsVisibleToTheKernelIsReportedAtItsLine()
    {
        var source = WithAttribute("[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"RedLeaf.Os\")]");
        NoneAtLineZero(source);
    }

    [Fact]
    public void AModuleUnverifiableCodeAttributeIsReportedAtItsLine()
    {
        var source = WithAttribute("[module: System.Security.UnverifiableCode]");
        NoneAtLineZero(source);
    }

    [Fact]
    public void DisableRuntimeMarshallingIsReportedAtItsLine()
    {
        var source = WithAttribute("[assembly: System.Runtime.CompilerServices.DisableRuntimeMarshalling]");
        NoneAtLineZero(source);
    }

    [Fact]
    public void AnAssemblyAttributeOfTheDomainsOwnNamingAForbiddenTypeIsReportedAtItsLine()
    {
        var source = WithAttribute("[assembly: Marker(typeof(System.IO.File))]",
            "sealed class MarkerAttribute : Attribute { public MarkerAttribute(Type t) { } }");
        NoneAtLineZero(source);
        Refused(source, GateIds.InputOutput, "System.IO.File");
    }

    [Fact]
    public void AnAttributeOnALambdaIsReportedAtItsLine()
    {
        var source = Source("""
                    var f = [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.InternalCall)] (long x) => x; // <-
                    return f(argument);
            """);
        NoneAtLineZero(source);
    }

    /// <summary>The forbidden type only in a named argument of an attribute on the assembly.</summary>
    [Fact]
    public void AForbiddenTypeInANamedAttributeArgumentIsReportedAtItsLine()
    {
        var source = WithAttribute("[assembly: Marker(Kind = typeof(System.Threading.Thread))]",
            "sealed class MarkerAttribute : Attribute { public Type? Kind { get; set; } }");
        NoneAtLineZero(source);
        Refused(source, GateIds.Threads, "System.Threading.Thread");
    }

    /// <summary>The forbidden type only in an attribute on a method's return value.</summary>
    [Fact]
    public void AForbiddenTypeInAReturnValueAttributeIsReportedAtItsLine()
    {
        var source = Source("        return Twice(argument);", members: """
                [return: Marker(typeof(System.IO.File))] // <-
                private static long Twice(long x) { return 2 * x; }
            """, types: "sealed class MarkerAttribute : Attribute { public MarkerAttribute(Type t) { } }");
        NoneAtLineZero(source);
        Refused(source, GateIds.InputOutput, "System.IO.File");
    }

    /// <summary>The forbidden type only in an attribute on a generic parameter.</summary>
    [Fact]
    public void AForbiddenTypeInAGenericParameterAttributeIsReportedAtItsLine()
    {
        var source = Source("        return new Box<long>().Id(argument);",
            types: "sealed class MarkerAttribute : Attribute { public MarkerAttribute(Type t) { } }\nsealed class Box<[Marker(typeof(System.IO.Directory))] T> { public T Id(T x) { return x; } } // <-");
        NoneAtLineZero(source);
        Refused(source, GateIds.InputOutput, "System.IO.Directory");
    }
}

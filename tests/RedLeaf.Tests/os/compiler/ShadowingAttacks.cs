// tests/os/compiler: attacks on the instrumentation's names. The trusted compiler inserts calls such as
// `global::RedLeaf.Abi.Guard.Tick()` into a domain's source; a domain that declares something the name
// resolves to first (a type named RedLeaf or System in the global namespace, file-local or not; a type
// in the RedLeaf or System namespaces, which C# prefers over the imported one; an alias or extern alias)
// would have the checks call its own code, and a loop it spins in could never be stopped. Each capture
// route is refused at its declaration (RL0003), and the inserted calls are shown, in the IL of an
// instrumented domain, to be member references into the RedLeaf.Abi assembly.
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;
using RedLeaf.Abi;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class ShadowingAttacks
{
    /// <summary>The second file of a two-file domain: the entry, which calls Spin.Forever() in the first.</summary>
    private const string EntryFile = """
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;
        public static class Entry
        {
            [DomainEntry]
            public static IHostile Start() { return new Attack(); }
        }
        sealed class Attack : IHostile
        {
            public RpcResult<long> Run(long argument) { return Spin.Forever(argument); }
        }
        """;

    /// <summary>No-op stand-ins for the checks a spinning loop gets (delegates to base-library methods, so
    /// their own instrumentation does not recurse).</summary>
    private const string FakeChecks = """
                public static readonly System.Action Tick = new System.Collections.Generic.List<int>().Clear;
                public static readonly System.Action Loop = new System.Collections.Generic.List<int>().Clear;
        """;

    private const string Spin = """
        static class Spin
        {
            public static long Forever(long n) { while (true) { n++; } }
        }
        """;

    /// <summary>Compiles a domain of several files and expects <paramref name="id"/> in <paramref name="file"/>
    /// on the line marked "// &lt;-", with a message mentioning <paramref name="mentions"/>.</summary>
    private static DomainDiagnostic RefusedIn(IReadOnlyList<(string File, string Text)> files, string file, string id, string mentions,
        [CallerMemberName] string test = "")
    {
        var sources = files.Select(f => new DomainSource(f.File, f.Text)).ToList();
        var e = Assert.Throws<DomainCompileException>(() => TrustedCompiler.Default.Compile(test, sources, "hostile test"));
        int line = LineOf(files.Single(f => f.File == file).Text);
        var hit = e.Diagnostics.FirstOrDefault(d => d.Id == id && d.File == file && d.Line == line && d.Message.Contains(mentions, StringComparison.Ordinal));
        Assert.True(hit is not null, $"expected {id} at {file} line {line} mentioning '{mentions}'; the trusted compiler said:\n{string.Join("\n", e.Diagnostics)}");
        return hit!;
    }

    /// <summary>A file-local type RedLeaf in the global namespace: inside its file `global::RedLeaf.Abi.Guard`
    /// is the domain's own, so the loop there checks nothing; the other file still names the real ABI.</summary>
    [Fact]
    public void AFileLocalTypeNamedRedLeafCapturesTheChecksOfItsFile() => RefusedIn(new[]
    {
        ("spin.cs", Spin + "\nfile static class RedLeaf // <-\n{\n    public static class Abi\n    {\n        public static class Guard\n        {\n" + FakeChecks + "\n        }\n    }\n}\n"),
        ("entry.cs", EntryFile),
    }, "spin.cs", "RL0003", "RedLeaf");

    /// <summary>The same through a nested type of a file-local struct, with the fake checks as methods
    /// whose bodies are the only place the inserted call would reach the real Guard.</summary>
    [Fact]
    public void AFileLocalStructNamedRedLeafCapturesTheChecksOfItsFile() => RefusedIn(new[]
    {
        ("spin.cs", Spin + "\nfile struct RedLeaf // <-\n{\n    public struct Abi\n    {\n        public static class Guard\n        {\n" + FakeChecks + "\n        }\n    }\n}\n"),
        ("entry.cs", EntryFile),
    }, "spin.cs", "RL0003", "RedLeaf");

    /// <summary>A file-local Guard declared in the ABI's own namespace: C# prefers a source type over an
    /// imported one of the same name (CS0436 is only a warning).</summary>
    [Fact]
    public void AFileLocalGuardInTheAbiNamespace() => RefusedIn(new[]
    {
        ("spin.cs", Spin + "\nnamespace RedLeaf.Abi\n{\n    file static class Guard // <-\n    {\n" + FakeChecks + "\n    }\n}\n"),
        ("entry.cs", EntryFile),
    }, "spin.cs", "RL0003", "RedLeaf.Abi.Guard");

    /// <summary>A file-local type System in the global namespace captures `global::System.Exception`, the type
    /// the instrumentation gives a bare `catch`, and the record members' `global::System.Type`.</summary>
    [Fact]
    public void AFileLocalTypeNamedSystemCapturesTheCatchAllType() => RefusedIn(new[]
    {
        ("spin.cs", """
            static class Spin
            {
                public static long Forever(long n) { try { return n; } catch { return -1; } }
            }
            file static class System // <-
            {
                public sealed class Exception : InvalidOperationException { } // the implicit `global using System;` still names the real one
            }
            """),
        ("entry.cs", EntryFile),
    }, "spin.cs", "RL0003", "System");

    /// <summary>A source type in a base-library namespace, preferred over the imported one: the comparer the
    /// instrumentation's record members call becomes the domain's own.</summary>
    [Fact]
    public void ASourceTypeInTheSystemNamespaceCapturesTheRecordComparer() => RefusedIn(new[]
    {
        ("spin.cs", """
            static class Spin
            {
                public static long Forever(long n) { return new Pair(n, n).Equals(new Pair(n, 0)) ? 1 : 0; }
            }
            readonly record struct Pair(long A, long B);
            namespace System.Collections.Generic
            {
                file sealed class EqualityComparer<T> // <-
                {
                    public static EqualityComparer<T> Default { get { return new EqualityComparer<T>(); } }
                    public bool Equals(T a, T b) { return true; }
                    public int GetHashCode(T a) { return 0; }
                }
            }
            """),
        ("entry.cs", EntryFile),
    }, "spin.cs", "RL0003", "System.Collections.Generic.EqualityComparer");

    /// <summary>An alias named global (CS0440, a warning): `global::` still means the global namespace, but
    /// a name that reads like the qualifier is refused rather than left to the reader to get right.</summary>
    [Fact]
    public void AnAliasNamedGlobal() => Refused(Source("        return argument;", usings: "using global = RedLeaf.Interfaces.Test; // <-"),
        "RL0003", "alias named 'global'");

    /// <summary>An extern alias would name another assembly's root namespace; a domain has no such reference,
    /// and the directive is refused as a capture route in its own right.</summary>
    [Fact]
    public void AnExternAliasForTheAbi() => Refused("extern alias abi; // <-\n" + Source("        return argument;"), "RL0003", "extern alias");

    /// <summary>Shadows that cannot capture a `global::` name (a namespace Homework.RedLeaf.Abi with a Guard,
    /// a type Guard and a type Abi in the global namespace, aliases named Guard and RedLeaf, a using static)
    /// are allowed; the IL shows every call to a Guard member is a member reference whose type is
    /// RedLeaf.Abi.Guard in the RedLeaf.Abi assembly, and every method of the domain starts with one.</summary>
    [Fact]
    public void EveryInsertedCallLandsInTheAbiAssembly()
    {
        var source = """
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            using Guard = Homework.RedLeaf.Abi.Guard;
            using static Homework.RedLeaf.Abi.Guard;
            public static class Entry
            {
                [DomainEntry]
                public static IHostile Start() { return new Attack(); }
            }
            sealed class Attack : IHostile
            {
                private readonly int[] _cells = new int[16];
                public RpcResult<long> Run(long argument)
                {
                    long sum = 0;
                    for (int i = 0; i < _cells.Length; i++) sum += _cells[i] + Guard.Tick() + Loop();
                    try { sum += new long[argument].Length; } catch { sum = -1; } finally { sum++; }
                    System.Func<long, long> twice = x => x * 2;
                    return twice(sum) + Abi.Marker + Global.Marker;
                }
            }
            static class Abi { public const int Marker = 0; }
            static class Global { public const int Marker = 0; }
            namespace Homework.RedLeaf.Abi
            {
                static class Guard
                {
                    public static int Tick() { return 0; }
                    public static int Loop() { return 0; }
                }
            }
            """;
        var image = TrustedCompiler.Default.CompileText("shadow_il", source, "shadow_il.cs");
        using var pe = new PEReader(new MemoryStream(image.Assembly));
        var md = pe.GetMetadataReader();
        string abi = typeof(RRef<>).Assembly.GetName().Name!;
        int toAbi = 0;
        foreach (var th in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(th);
            foreach (var mh in type.GetMethods())
            {
                var method = md.GetMethodDefinition(mh);
                if (method.RelativeVirtualAddress == 0) continue;
                string where = $"{md.GetString(type.Namespace)}.{md.GetString(type.Name)}.{md.GetString(method.Name)}";
                var calls = IlCalls.Of(pe.GetMethodBody(method.RelativeVirtualAddress)).ToList();
                foreach (var token in calls)
                {
                    var (ns, typeName, scope) = IlCalls.Target(md, token);
                    if (typeName != "Guard") continue;
                    if (ns == "Homework.RedLeaf.Abi") continue; // the domain's own Guard, called by name from its own code
                    Assert.True(ns == "RedLeaf.Abi" && scope == abi,
                        $"{where} calls {ns}.{typeName}, declared in {scope ?? "the domain itself"}, not RedLeaf.Abi.Guard in {abi}");
                    toAbi++;
                }
                if (md.GetString(method.Name) is not (".ctor" or ".cctor")) // constructors the compiler wrote hold no check
                    Assert.True(calls.Count > 0 && IlCalls.Target(md, calls[0]) is ("RedLeaf.Abi", "Guard", var s) && s == abi,
                        $"{where} does not start with a call into {abi}'s Guard");
            }
        }
        Assert.True(toAbi >= 8, $"only {toAbi} calls into {abi}'s Guard were found");
        AssertReturns(image, 2 * (0 + 0 + 1)); // the domain's own Guard still means what it says
    }
}

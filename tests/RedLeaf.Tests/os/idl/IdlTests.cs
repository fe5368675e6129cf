// tests/os/idl: the IDL compiler (os/idl, RedLeaf.Idl.IdlGenerator) run in-process on small
// interfaces: each rule's diagnostic names the member and the offending type; valid interfaces pass
// clean (the project's own IDL included); and a trusted compilation, one that references the kernel,
// gets a proxy per interface plus a registration, and the result compiles.
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RedLeaf.Abi;
using RedLeaf.Idl;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Proxies;
using Xunit;

namespace RedLeaf.Tests.Kernel;

[Trait("suite", "kernel")]
public class IdlTests
{
    private static readonly Lazy<MetadataReference[]> Framework = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return tpa.Where(p => Path.GetDirectoryName(p) == runtimeDir)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    });

    private static MetadataReference Ref(Type t) => MetadataReference.CreateFromFile(t.Assembly.Location);

    private sealed record Run(ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<GeneratedSourceResult> Sources, Compilation Output);

    /// <summary>Runs the IDL generator over <paramref name="source"/>, as a domain-side (untrusted) compilation unless told otherwise.</summary>
    private static Run Generate(string source, bool trusted = false, bool withInterfaces = false, IEnumerable<SyntaxTree>? more = null)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var refs = Framework.Value.Append(Ref(typeof(RRef<>)));
        if (trusted) refs = refs.Append(Ref(typeof(Proxy)));
        if (withInterfaces) refs = refs.Append(Ref(typeof(RedLeaf.Interfaces.Test.IDomB)));
        var trees = new[] { CSharpSyntaxTree.ParseText(source, parse, "idl.cs") }.Concat(more ?? []);
        var compilation = CSharpCompilation.Create("IdlTest", trees, refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CSharpGeneratorDriver.Create(new[] { new IdlGenerator().AsSourceGenerator() }, parseOptions: parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        return new Run(result.Diagnostics, result.GeneratedSources, output);
    }

    private static string Interface(string members, string extra = "") => $$"""
        using RedLeaf.Abi;
        namespace T;
        public struct Point { public int X; public int Y; }
        public sealed class Box { public int V; }
        {{extra}}
        [DomainInterface]
        public interface IBad
        {
            {{members}}
        }
        """;

    private static Diagnostic Single(Run run, string id)
    {
        var d = Assert.Single(run.Diagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        return d;
    }

    [Fact]
    public void AStringParameterIsNotExchangeable()
    {
        var d = Single(Generate(Interface("RpcResult Say(string text);")), "RLIDL001");
        var message = d.GetMessage();
        Assert.Contains("IBad.Say parameter 'text'", message);
        Assert.Contains("string is not exchangeable", message);
        Assert.Contains("RRefArray<byte>", message); // says what to use instead
        // Reported at the parameter, where the student will look.
        Assert.Equal("idl.cs", d.Location.GetLineSpan().Path);
        Assert.Equal("text", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
    }

    [Fact]
    public void AClassParameterIsNotExchangeable()
    {
        var d = Single(Generate(Interface("RpcResult Put(Box box);")), "RLIDL001");
        Assert.Contains("IBad.Put parameter 'box'", d.GetMessage());
        Assert.Contains("T.Box", d.GetMessage());
        Assert.Contains("class instance lives on the sender's private heap", d.GetMessage());
    }

    [Fact]
    public void AManagedArrayParameterIsNotExchangeable()
    {
        var d = Single(Generate(Interface("RpcResult Sum(int[] values);")), "RLIDL001");
        Assert.Contains("IBad.Sum parameter 'values'", d.GetMessage());
        Assert.Contains("int[]", d.GetMessage());
        Assert.Contains("use RRefArray<T>", d.GetMessage());
    }

    [Theory]
    [InlineData("RpcResult M(nint p);", "native-sized")]
    [InlineData("RpcResult M(System.Action p);", "delegate")]
    [InlineData("RpcResult M(System.IDisposable p);", "only [DomainInterface] interfaces")]
    [InlineData("RpcResult M(object p);", "class instance")]
    [InlineData("RpcResult M(RRef<Point> a, System.Span<int> p);", "ref struct")]
    public void OtherNonExchangeableParametersAreNamed(string member, string why)
    {
        var d = Single(Generate(Interface(member)), "RLIDL001");
        Assert.Contains("IBad.M parameter 'p'", d.GetMessage());
        Assert.Contains(why, d.GetMessage());
    }

    [Fact]
    public void AMethodReturningAPlainValueMustReturnRpcResult()
    {
        var d = Single(Generate(Interface("int Count();")), "RLIDL002");
        Assert.Contains("IBad.Count returns int", d.GetMessage());
        Assert.Contains("RpcResult or RpcResult<T>", d.GetMessage());
    }

    [Fact]
    public void ANonExchangeableResultIsNamed()
    {
        var d = Single(Generate(Interface("RpcResult<string> Name();")), "RLIDL001");
        Assert.Contains("IBad.Name result", d.GetMessage());
        Assert.Contains("string", d.GetMessage());
    }

    [Fact]
    public void APropertyIsNotAllowed()
    {
        var d = Single(Generate(Interface("RpcResult Size { get; }")), "RLIDL003");
        Assert.Contains("IBad.Size", d.GetMessage());
        Assert.Contains("holds only methods", d.GetMessage());
    }

    [Theory]
    [InlineData("event System.Action Changed;", "holds only methods")]
    [InlineData("static RpcResult Make() => default;", "static members")]
    [InlineData("RpcResult Twice() => default;", "default implementations")]
    [InlineData("RpcResult Pick<TValue>(TValue v) where TValue : unmanaged;", "generic methods")]
    public void OtherMembersThatAreNotPlainMethodsAreRefused(string member, string why)
    {
        var d = Single(Generate(Interface(member)), "RLIDL003");
        Assert.Contains(why, d.GetMessage());
    }

    [Theory]
    [InlineData("[DomainInterface] public interface IGen<TItem> { RpcResult M(); }", "cannot be generic")]
    [InlineData("public interface IBase { } [DomainInterface] public interface IDerived : IBase { RpcResult M(); }", "cannot inherit")]
    [InlineData("[DomainInterface] internal interface IHidden { RpcResult M(); }", "must be public")]
    public void TheInterfaceItselfMustBePlain(string declaration, string why)
    {
        var run = Generate($"using RedLeaf.Abi; namespace T; {declaration}");
        var d = Assert.Single(run.Diagnostics, x => x.Id == "RLIDL003");
        Assert.Contains(why, d.GetMessage());
    }

    [Fact]
    public void ARefParameterIsRefused()
    {
        var d = Single(Generate(Interface("RpcResult Swap(ref long x);")), "RLIDL004");
        Assert.Contains("IBad.Swap: parameter 'x' is passed by 'ref'", d.GetMessage());
    }

    [Theory]
    [InlineData("RpcResult M(out long x);", "by 'out'")]
    [InlineData("RpcResult M(in long x);", "only RRefs may use")]
    public void OtherPassingModesAreRefused(string member, string how)
    {
        var d = Single(Generate(Interface(member)), "RLIDL004");
        Assert.Contains("parameter 'x'", d.GetMessage());
        Assert.Contains(how, d.GetMessage());
    }

    [Fact]
    public void AStructPassedByValueMayNotHoldAnRRef()
    {
        var d = Single(Generate(Interface("RpcResult Send(Holder h);", "public struct Holder { public RRef<Point> Inside; public int N; }")), "RLIDL001");
        Assert.Contains("IBad.Send parameter 'h'", d.GetMessage());
        Assert.Contains("field Inside", d.GetMessage());
        Assert.Contains("may not hold RRefs", d.GetMessage());
    }

    [Fact]
    public void AValidInterfaceHasNoDiagnosticsAndDomainsGetNoProxies()
    {
        var run = Generate("""
            using RedLeaf.Abi;
            namespace T;
            public enum Mode : byte { Off, On }
            public struct Point { public int X; public int Y; }
            public struct Node { public RRef<Point> Here; public RRefArray<long> Data; public Mode Mode; }
            [DomainInterface] public interface ISink { RpcResult<long> Take(RRef<Node> n); }
            [DomainInterface]
            public interface IGood
            {
                RpcResult Null();
                RpcResult<long> Add(long a, int b, Mode m, Point p, bool flag, double d, char c);
                RpcResult<RRef<Node>> Make(RRefArray<byte> name);
                RpcResult<long> Peek(in RRef<Node> n, in RRefDeque<Point> q);
                RpcResult<ISink> Sink(ISink other);
            }
            """);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Sources); // no reference to the kernel: an untrusted compilation gets no proxies
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void TheProjectsOwnIdlPassesClean()
    {
        var folder = Path.Combine(DomainTree.Root, "domains", "Interfaces");
        var trees = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Latest), f))
            .ToList();
        Assert.NotEmpty(trees);
        var run = Generate("namespace Empty;", more: trees);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void ATrustedCompilationGetsAProxyPerInterfaceAndARegistrationThatCompile()
    {
        var run = Generate("""
            using RedLeaf.Abi;
            namespace T;
            public struct Point { public int X; public int Y; }
            [DomainInterface]
            public interface IShapes
            {
                RpcResult Null();
                RpcResult<long> Area(RRef<Point> p);
                RpcResult<long> Peek(in RRef<Point> p);
                RpcResult<RRef<Point>> Make(int x, int y);
                RpcResult<IShapes> Self(IShapes other);
            }
            """, trusted: true);
        Assert.Empty(run.Diagnostics);
        var names = run.Sources.Select(s => s.HintName).ToList();
        Assert.Contains("RedLeaf.Generated.T.ShapesProxy.g.cs", names);
        Assert.Contains("RedLeaf.Generated.ProxyRegistration.g.cs", names);

        string proxy = run.Sources.Single(s => s.HintName == "RedLeaf.Generated.T.ShapesProxy.g.cs").SourceText.ToString();
        Assert.Contains("class ShapesProxy : global::RedLeaf.Os.Proxies.Proxy<global::T.IShapes>, global::T.IShapes", proxy);
        Assert.Contains("CallFrame.Move(@p, __caller, __callee)", proxy);      // argument moved in
        Assert.Contains("CallFrame.Lend(in @p, __caller, __callee)", proxy);   // borrow lent
        Assert.Contains("CallFrame.Return(in @p, __caller,", proxy);          // and returned
        Assert.Contains("CallFrame.Move(__moved, __callee, __caller)", proxy); // result moved out
        Assert.Contains("CallFrame.Wrap(@other, __caller)", proxy);           // interface argument wrapped
        Assert.Contains("CallFrame.Wrap(__exported, __callee)", proxy);      // interface result wrapped
        Assert.Contains("CallFrame.Crash(", proxy);

        string registration = run.Sources.Single(s => s.HintName == "RedLeaf.Generated.ProxyRegistration.g.cs").SourceText.ToString();
        Assert.Contains("[global::System.Runtime.CompilerServices.ModuleInitializer]", registration);
        Assert.Contains("ProxyRegistry.Register<global::T.IShapes>(() => new global::RedLeaf.Generated.T.ShapesProxy())", registration);

        using var pe = new MemoryStream();
        var emit = run.Output.Emit(pe);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
    }

    [Fact]
    public void ATrustedCompilationAlsoGetsProxiesForTheReferencedInterfacesItNames()
    {
        var run = Generate("[assembly: RedLeaf.Os.Proxies.ProxiesFor(\"RedLeaf.Interfaces\")] namespace Host; public static class Nothing { }", trusted: true, withInterfaces: true);
        Assert.Empty(run.Diagnostics);
        var names = run.Sources.Select(s => s.HintName).ToList();
        Assert.Contains("RedLeaf.Generated.RedLeaf.Interfaces.Test.DomBProxy.g.cs", names);
        Assert.Contains("RedLeaf.Generated.RedLeaf.Interfaces.Workloads.BenchProxy.g.cs", names);
        Assert.Contains("RedLeaf.Generated.ProxyRegistration.g.cs", names);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void EveryDomainInterfaceOfTheAbiAndTheIdlHasAGeneratedProxy()
    {
        var declared = new[] { typeof(RRef<>).Assembly, typeof(RedLeaf.Interfaces.Test.IDomB).Assembly }
            .SelectMany(a => a.GetTypes()).Where(t => t.IsInterface && t.IsDefined(typeof(DomainInterfaceAttribute), false)).ToList();
        Assert.Contains(typeof(IInterruptHandler), declared);
        Assert.Contains(typeof(IThreadBody), declared);
        Assert.All(declared, t => Assert.True(ProxyRegistry.Has(t), $"{t.FullName} has no generated proxy (systems/RedLeaf.Proxies' [assembly: ProxiesFor] must name its assembly)"));
    }

    [Fact]
    public void ATrustedCompilationThatNamesNoInterfaceAssemblyWritesNoProxiesForWhatItReferences()
    {
        var run = Generate("namespace Host; public static class Nothing { }", trusted: true, withInterfaces: true);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void AnInvalidInterfaceGetsNoProxyEvenInATrustedCompilation()
    {
        var run = Generate(Interface("RpcResult Say(string text);"), trusted: true);
        Assert.Equal("RLIDL001", Assert.Single(run.Diagnostics).Id);
        Assert.DoesNotContain(run.Sources, s => s.HintName.Contains("BadProxy"));
    }

    [Fact]
    public void WithoutTheAbiTheGeneratorDoesNothing()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create("NoAbi", new[] { CSharpSyntaxTree.ParseText("public interface IPlain { int M(string s); }", parse) },
            Framework.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var result = CSharpGeneratorDriver.Create(new IdlGenerator().AsSourceGenerator()).RunGenerators(compilation).GetRunResult().Results.Single();
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.GeneratedSources);
    }
}

// tests/systems/RedLeaf.Proxies: pins the source the IDL compiler (os/idl) writes for one proxy, so a change to the
// cross-domain call path (the steps of os/kernel/Proxies/CallFrame, in the order a proxy takes them)
// shows in review as a diff of generated code. The interface is IBlockDevice (domains/Interfaces/Block):
// its methods take every passing mode the IDL has (an RRefArray moved in and back out by Read, one lent
// with `in` by Write, a deque moved in and back by SubmitAndPoll and lent by WriteBatch, plain values
// returned by BlockSize/BlockCount), and a driver's loop crosses it on every batch. The generator runs
// in-process over a trusted compilation that names RedLeaf.Interfaces in [assembly: ProxiesFor], as
// systems/RedLeaf.Proxies does at build time; on a difference the test writes BlockDeviceProxy.received.txt
// beside the approved file and fails (tests/Approval.cs).
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RedLeaf.Abi;
using RedLeaf.Idl;
using RedLeaf.Interfaces.Block;
using RedLeaf.Os.Proxies;
using Xunit;

namespace RedLeaf.Tests.Proxies;

[Trait("suite", "architecture")]
public class ProxySourceTests
{
    private const string HintName = "RedLeaf.Generated.RedLeaf.Interfaces.Block.BlockDeviceProxy.g.cs";

    /// <summary>What the IDL compiler generates for RedLeaf.Interfaces, as systems/RedLeaf.Proxies' build runs it, by hint name.</summary>
    private static (IReadOnlyDictionary<string, string> Sources, Compilation Output) Generate()
    {
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var refs = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == runtimeDir)
            .Concat(new[] { typeof(RRef<>).Assembly.Location, typeof(Proxy).Assembly.Location, typeof(IBlockDevice).Assembly.Location })
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var tree = CSharpSyntaxTree.ParseText("[assembly: RedLeaf.Os.Proxies.ProxiesFor(\"RedLeaf.Interfaces\")]", parse, "AssemblyInfo.cs");
        var compilation = CSharpCompilation.Create("RedLeaf.Proxies", new[] { tree }, refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var driver = CSharpGeneratorDriver.Create(new[] { new IdlGenerator().AsSourceGenerator() }, parseOptions: parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        return (result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString()), output);
    }

    [Fact]
    public void TheBlockDeviceProxysSourceMatchesTheApprovedSource()
    {
        var (sources, _) = Generate();
        Assert.True(sources.TryGetValue(HintName, out var source), $"the IDL compiler wrote no {HintName}; it wrote: {string.Join(", ", sources.Keys.Order(StringComparer.Ordinal))}");
        Approval.Verify(source!, "BlockDeviceProxy", "the generated proxy of IBlockDevice (os/idl's ProxyEmitter)");
    }

    [Fact]
    public void TheSnapshotIsOfTheProxyTheKernelRuns()
    {
        // The same generator, the same input: the proxy it writes compiles, and a class of that name is what
        // systems/RedLeaf.Proxies registered for IBlockDevice, so the snapshot is not of some other path.
        var (_, output) = Generate();
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var shipped = Type.GetType("RedLeaf.Generated.RedLeaf.Interfaces.Block.BlockDeviceProxy, RedLeaf.Proxies", throwOnError: true)!;
        Assert.True(typeof(Proxy<IBlockDevice>).IsAssignableFrom(shipped));
        Assert.Equal("RedLeaf.Generated.RedLeaf.Interfaces.Block.BlockDeviceProxy", output.GetTypeByMetadataName(shipped.FullName!)?.ToDisplayString());
    }
}

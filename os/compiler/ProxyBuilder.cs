// os/compiler: builds the trusted proxies for an interface set, in-process, the way systems/RedLeaf.Proxies
// is built for domains/Interfaces: a compilation of nothing but [assembly: ProxiesFor(set)], with
// the kernel's proxy runtime referenced, so the IDL compiler writes a proxy per interface and a module
// initializer that registers them. Domains never see this assembly; only InterfaceSets loads it.
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RedLeaf.Abi;
using RedLeaf.Os.Domains;

namespace RedLeaf.Os.Compiler;

internal sealed class ProxyBuilder : IProxyBuilder
{
    public static readonly ProxyBuilder Instance = new();

    private ProxyBuilder() { }

    public const string NamePrefix = InterfaceImage.ProxiesPrefix;

    /// <summary>The proxies assembly for <paramref name="set"/>; <paramref name="dependencies"/> are the
    /// interface sets it was compiled against (their images, already loaded).</summary>
    public byte[] Build(InterfaceImage set, IReadOnlyList<InterfaceImage> dependencies)
    {
        string source = $"[assembly: global::RedLeaf.Os.Proxies.ProxiesFor(\"{set.Name}\")]\n";
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), "proxies.cs", Encoding.UTF8);
        var hostAssemblies = new[] { typeof(RRef<>).Assembly, typeof(Proxies.ProxyRegistry).Assembly, typeof(Hardware.Machine).Assembly, SharedAssemblies.Get("RedLeaf.Interfaces") };
        var references = TrustedCompiler.FrameworkPaths()
            .Concat(hostAssemblies.Select(a => a.Location))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Concat(dependencies.Append(set).Select(d => MetadataReference.CreateFromImage(d.Assembly)))
            .ToList();
        var compilation = CSharpCompilation.Create(NamePrefix + set.Name[InterfaceImage.NamePrefix.Length..], new[] { tree }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                deterministic: true, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false));
        CSharpGeneratorDriver.Create(new Idl.IdlGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out var withProxies, out var generatorErrors);
        using var pe = new MemoryStream();
        var result = withProxies.Emit(pe);
        // CS8785: the generator itself failed (Roslyn reports that as a warning); no proxies would exist.
        var errors = generatorErrors.Concat(result.Diagnostics).Where(d => d.Severity == DiagnosticSeverity.Error || d.Id == "CS8785").ToList();
        if (errors.Count > 0)
            throw new DomainException($"interface image '{set.Name}': its proxies did not compile (a bug in the trusted pipeline, please report it): {string.Join("; ", errors.Take(3))}");
        return pe.ToArray();
    }
}

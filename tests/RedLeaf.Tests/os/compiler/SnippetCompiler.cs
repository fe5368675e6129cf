// tests/os/compiler: compiles C# text with Roslyn into the bytes the IL gate reads (a PE image and its
// portable PDB), either the way the trusted compiler compiles a domain (its fixed reference set,
// unsafe off, release) or against the whole base library with unsafe allowed, so a test can make
// any construct appear in IL and check that the gate refuses what the IL contains.
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace RedLeaf.Tests.Trusted;

internal sealed record CompiledImage(byte[] Pe, byte[] Pdb);

internal static class SnippetCompiler
{
    /// <summary>The base-library assemblies a domain compiles against (as the trusted compiler's list).</summary>
    public static readonly string[] DomainFramework = { "System.Private.CoreLib", "System.Runtime", "System.Collections", "System.Linq", "System.Memory" };

    /// <summary>What every domain file may use without a using directive (as the trusted compiler adds).</summary>
    public const string ImplicitUsings = "global using System;\nglobal using System.Collections.Generic;\nglobal using System.Linq;\n";

    private static readonly string[] Tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
    private static readonly string RuntimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
    private static readonly string[] Shared = { Path.Combine(AppContext.BaseDirectory, "RedLeaf.Abi.dll"), Path.Combine(AppContext.BaseDirectory, "RedLeaf.Interfaces.dll") };

    private static readonly Lazy<MetadataReference[]> DomainRefs = new(() =>
        DomainFramework.Select(n => Tpa.First(p => Path.GetFileNameWithoutExtension(p) == n)).Concat(Shared).Select(Reference).ToArray());

    private static readonly Lazy<MetadataReference[]> AllRefs = new(() =>
        Tpa.Where(p => Path.GetDirectoryName(p) == RuntimeDir).Concat(Shared).Select(Reference).ToArray());

    private static readonly Lazy<MetadataReference[]> SharedOnly = new(() => DomainRefs.Value.Take(DomainFramework.Length).ToArray());

    private static MetadataReference Reference(string path) => MetadataReference.CreateFromFile(path);

    /// <summary>Compiles one snippet as a domain would be compiled.</summary>
    public static CompiledImage Domain(string source, string path = "snippet.cs") => Build(new[] { (path, source) }, DomainRefs.Value, allowUnsafe: false);

    /// <summary>Compiles source files as a domain would be compiled (a folder under domains/).</summary>
    public static CompiledImage DomainFiles(IEnumerable<(string Path, string Text)> files, string name = "Domain.Folder") => Build(files, DomainRefs.Value, allowUnsafe: false, name);

    /// <summary>Compiles a snippet against the whole base library, unsafe allowed: how a hostile or
    /// hand-made image could look, whatever the trusted compiler would have refused.</summary>
    public static CompiledImage Hostile(string source, bool allowUnsafe = true, string path = "hostile.cs", IEnumerable<MetadataReference>? extra = null) =>
        Build(new[] { (path, source) }, AllRefs.Value.Concat(extra ?? Array.Empty<MetadataReference>()).ToArray(), allowUnsafe);

    /// <summary>Compiles a snippet against the domain base library plus <paramref name="extra"/> instead of the real ABI and IDL.</summary>
    public static CompiledImage WithReferences(string source, IEnumerable<MetadataReference> extra, string path = "snippet.cs") =>
        Build(new[] { (path, source) }, SharedOnly.Value.Concat(extra).ToArray(), allowUnsafe: false);

    /// <summary>A library (a stand-in interface assembly, a fake ABI) as a reference for other snippets.</summary>
    public static MetadataReference Library(string assemblyName, string source, bool allowUnsafe = false)
    {
        var image = Build(new[] { ("library.cs", source) }, DomainRefs.Value.Take(DomainFramework.Length).ToArray(), allowUnsafe, assemblyName);
        return MetadataReference.CreateFromImage(image.Pe);
    }

    /// <summary>The 1-based line of the first line of <paramref name="source"/> that contains <paramref name="marker"/>.</summary>
    public static int LineOf(string source, string marker)
    {
        var lines = source.Split('\n');
        int i = Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal));
        if (i < 0) throw new ArgumentException($"marker '{marker}' not in the source");
        return i + 1;
    }

    private static CompiledImage Build(IEnumerable<(string Path, string Text)> files, MetadataReference[] refs, bool allowUnsafe, string name = "Domain.Snippet")
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Text, parse, f.Path, Encoding.UTF8))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "<implicit usings>", Encoding.UTF8));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
            allowUnsafe: allowUnsafe, deterministic: true, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false);
        var compilation = CSharpCompilation.Create(name, trees, refs, options);
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!result.Success)
            throw new InvalidOperationException("test source did not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return new CompiledImage(pe.ToArray(), pdb.ToArray());
    }
}

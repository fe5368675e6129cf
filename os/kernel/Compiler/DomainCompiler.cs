// os/kernel/Compiler: compiles domain source (a folder under domains/, or a notebook cell's text)
// into a DomainImage with Roslyn: unsafe code off and a fixed reference set (the ABI, the IDL, and a
// slice of the base library), so a domain cannot even name the kernel. Images are cached by a hash
// of their sources, so compiling the same domain twice in a process costs a dictionary lookup.
// (The IL gate and signing of the trusted-compilation issue build on this class.)
using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RedLeaf.Abi;
using RedLeaf.Os.Domains;

namespace RedLeaf.Os.Compiler;

public sealed class DomainCompiler
{
    /// <summary>Base-library assemblies a domain compiles against (reachable surface is narrowed further by the IL gate).</summary>
    public static readonly IReadOnlyList<string> FrameworkReferences =
        new[] { "System.Private.CoreLib", "System.Runtime", "System.Collections", "System.Linq", "System.Memory" };

    private static readonly Lazy<DomainCompiler> Shared = new(() => new DomainCompiler(new[] { Assembly.Load("RedLeaf.Interfaces") }));
    private readonly ConcurrentDictionary<string, DomainImage> _cache = new();
    private readonly MetadataReference[] _references;

    public DomainCompiler(IEnumerable<Assembly> interfaceAssemblies)
    {
        var tpa = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator);
        var framework = FrameworkReferences.Select(n => tpa.FirstOrDefault(p => Path.GetFileNameWithoutExtension(p) == n)
            ?? throw new InvalidOperationException($"base library assembly {n} not found in this runtime"));
        _references = framework.Concat(new[] { typeof(RRef<>).Assembly.Location })
            .Concat(interfaceAssemblies.Select(a => a.Location))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    }

    /// <summary>The compiler for the project's own IDL (domains/Interfaces).</summary>
    public static DomainCompiler Default => Shared.Value;

    /// <summary>Compiles every .cs file under <paramref name="folder"/> (recursively, skipping bin/obj).</summary>
    public DomainImage CompileFolder(string folder, string? name = null)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"no domain folder at {folder}");
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new DomainSource(DisplayPath(f), File.ReadAllText(f)))
            .ToList();
        if (files.Count == 0) throw new DomainCompileException(name ?? Path.GetFileName(folder), new[] { new DomainDiagnostic(folder, 0, 0, "RL0001", "the folder holds no .cs files") });
        return Compile(name ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), files, folder);
    }

    /// <summary>Compiles one piece of source text (a notebook cell, a test).</summary>
    public DomainImage CompileText(string name, string source, string path = "cell.cs") =>
        Compile(name, new[] { new DomainSource(path, source) }, "text");

    public DomainImage Compile(string name, IReadOnlyList<DomainSource> sources, string origin)
    {
        string key = Hash(name, sources);
        if (_cache.TryGetValue(key, out var cached)) return cached;

        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path, Encoding.UTF8))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "<implicit usings>", Encoding.UTF8));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release, allowUnsafe: false, deterministic: true,
            nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false);
        var compilation = CSharpCompilation.Create($"Domain.{Sanitize(name)}.{key[..8]}", trees, _references, options);
        using var pe = new MemoryStream();
        var result = compilation.Emit(pe);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(ToDiagnostic).ToList();
        if (!result.Success) throw new DomainCompileException(name, errors);
        return _cache.GetOrAdd(key, new DomainImage(name, pe.ToArray(), origin));
    }

    /// <summary>What every domain file may use without a using directive (like an SDK project's implicit usings).</summary>
    public const string ImplicitUsings = "global using System;\nglobal using System.Collections.Generic;\nglobal using System.Linq;\n";

    /// <summary>Paths in diagnostics: relative to the repository when the file is in it.</summary>
    private static string DisplayPath(string file)
    {
        try
        {
            var rel = Path.GetRelativePath(DomainTree.Root, file);
            return rel.StartsWith("..", StringComparison.Ordinal) ? file : rel;
        }
        catch (DirectoryNotFoundException) { return file; }
    }

    private static DomainDiagnostic ToDiagnostic(Diagnostic d)
    {
        var span = d.Location.GetMappedLineSpan();
        return new DomainDiagnostic(span.Path ?? "", span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, d.Id, d.GetMessage());
    }

    private static string Sanitize(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());

    private static string Hash(string name, IEnumerable<DomainSource> sources)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(Encoding.UTF8.GetBytes(name + "\0"));
        foreach (var s in sources) h.AppendData(Encoding.UTF8.GetBytes(s.Path + "\0" + s.Text + "\0"));
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }
}

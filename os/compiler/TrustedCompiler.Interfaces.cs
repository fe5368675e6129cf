// os/compiler: interface sets, the IDL a notebook cell declares. The same pipeline as a
// domain's, for an assembly that holds no code: compile against this compiler's references, run the
// IDL compiler (each [DomainInterface] checked), hold the source to the interface-set rules (only
// interfaces, structs of fields, enums, constants; lines in the diagnostics), emit, let the loader's
// InterfaceInspector look at the IL, sign as an interface set. WithInterfaces then gives a compiler
// whose domains compile against the sets, are gated with them and signed with their hashes.
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Signing;

namespace RedLeaf.Os.Compiler;

public sealed partial class TrustedCompiler
{
    private static readonly CSharpCompilationOptions InterfaceOptions = new(OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release, allowUnsafe: false, deterministic: true,
        nullableContextOptions: NullableContextOptions.Disable, concurrentBuild: false); // nullable annotations would embed attribute classes (code)

    private readonly ConcurrentDictionary<string, InterfaceImage> _setMemory = new();

    /// <summary>Compiles one piece of source text (a notebook cell) as an interface set.</summary>
    public InterfaceImage CompileInterfacesText(string source, string path = "cell.cs") =>
        CompileInterfaces(new[] { new DomainSource(path, source) }, path);

    /// <summary>Compiles <paramref name="sources"/> as an interface set: an assembly named
    /// Cell.Interfaces.&lt;hash&gt;, signed, for <see cref="WithInterfaces"/> and Microkernel.LoadInterfaces.
    /// Throws DomainCompileException with every diagnostic when the sources are not a valid set.</summary>
    public InterfaceImage CompileInterfaces(IReadOnlyList<DomainSource> sources, string origin)
    {
        string key = CacheKey("interfaces", sources);
        if (_setMemory.TryGetValue(key, out var cached)) return cached;
        return SourceBounds.OnBigStack(() => BuildInterfaces(sources, origin, key)); // Roslyn recurses per level of nesting
    }

    private InterfaceImage BuildInterfaces(IReadOnlyList<DomainSource> sources, string origin, string key)
    {
        string name = InterfaceImage.NamePrefix + key[..16];
        var trees = ParseBounded(origin, sources, "interface set");
        var compilation = CSharpCompilation.Create(name, trees, _references, InterfaceOptions);
        CSharpGeneratorDriver.Create(new Idl.IdlGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out var checkedCompilation, out var idl);
        var errors = idl.Concat(checkedCompilation.GetDiagnostics()).Concat(Idl.InterfaceSetRules.Check(compilation))
            .Where(d => d.Severity == DiagnosticSeverity.Error).Select(ToDiagnostic).Distinct().ToList();
        errors.AddRange(ReservedNames.Declarations(compilation));
        if (errors.Count > 0) throw new DomainCompileException(origin, errors, "interface set");

        using var pe = new MemoryStream();
        var result = compilation.Emit(pe);
        if (!result.Success)
            throw new DomainCompileException(origin, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(ToDiagnostic).ToList(), "interface set");
        var image = new InterfaceImage(name, pe.ToArray(), origin, signature: null);
        try { InterfaceInspector.Inspect(image, new HashSet<string>(FrameworkReferences.Concat(_interfaces.Keys), StringComparer.Ordinal)); }
        catch (DomainException e)
        {
            throw new DomainCompileException(origin, new[] { new DomainDiagnostic(sources[0].Path, 0, 0, Idl.InterfaceSetRules.Id,
                $"{e.Message} (the loader's inspection of the compiled set refused it; the source rules should have named a line, so please report it)") }, "interface set");
        }
        var signature = ImageSignature.Sign(name, SourceHash(sources), image.Assembly, _interfaces, PipelineVersion, OptionsText + Domains.InterfaceSets.OptionsMarker, _key);
        return _setMemory.GetOrAdd(key, new InterfaceImage(name, image.Assembly, origin, signature));
    }

    /// <summary>The full names of the types <paramref name="source"/> declares, read from its syntax alone (no
    /// compilation): so a notebook can tell which earlier set a new definition replaces before compiling it.</summary>
    public static IReadOnlyList<string> DeclaredTypeNames(string source) =>
        SourceBounds.Check(new[] { new DomainSource("cell.cs", source) }).Count > 0 ? Array.Empty<string>() // the compile names why
        : SourceBounds.OnBigStack(() => DeclaredTypeNamesOf(source));

    private static IReadOnlyList<string> DeclaredTypeNamesOf(string source) =>
        CSharpSyntaxTree.ParseText(source, Parse).GetRoot().DescendantNodes()
            .Select(n => n switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax b => b.Identifier.Text,
                Microsoft.CodeAnalysis.CSharp.Syntax.DelegateDeclarationSyntax d => d.Identifier.Text,
                _ => null,
            } is { } name
                ? string.Join(".", n.Ancestors().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseNamespaceDeclarationSyntax>().Reverse().Select(a => a.Name.ToString()).Append(name))
                : null)
            .OfType<string>().ToList();

    /// <summary>A compiler whose domains may also use <paramref name="sets"/> (admitted to this process
    /// first: verified, inspected, loaded, proxies built), and the earlier sets they were compiled
    /// against. A set already known to this compiler is skipped.</summary>
    public TrustedCompiler WithInterfaces(params InterfaceImage[] sets)
    {
        var added = new List<InterfaceImage>();
        void Add(InterfaceImage s)
        {
            if (_sets.Any(k => k.Name == s.Name) || added.Any(k => k.Name == s.Name)) return;
            foreach (var dependency in s.Signature?.Interfaces.Keys ?? Enumerable.Empty<string>())
                if (Domains.InterfaceSets.Find(dependency) is { } earlier) Add(earlier.Image); // before the set that needs it
            Domains.InterfaceSets.Load(s, new[] { _key }, Proxies);
            added.Add(s);
        }
        foreach (var s in sets) Add(s);
        return added.Count == 0 ? this : new TrustedCompiler(this, added.ToImmutableArray());
    }
}

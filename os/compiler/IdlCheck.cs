// os/compiler: checks a folder of IDL source (like domains/Interfaces) with the IDL compiler,
// in-process, for `redleaf verify`: the same rules the build applies, with the same diagnostics.
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RedLeaf.Abi;

namespace RedLeaf.Os.Compiler;

public static class IdlCheck
{
    /// <summary>The IDL compiler's errors for the .cs files under <paramref name="folder"/> (bounded like any
    /// student source: SourceBounds, on the compiler's big stack).</summary>
    public static IReadOnlyList<DomainDiagnostic> Folder(string folder)
    {
        var sources = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Select(f => new DomainSource(f, File.ReadAllText(f))).ToList();
        if (SourceBounds.Check(sources) is { Count: > 0 } tooBig) return tooBig;
        return SourceBounds.OnBigStack(() => Check(sources));
    }

    private static IReadOnlyList<DomainDiagnostic> Check(IReadOnlyList<DomainSource> sources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path, Encoding.UTF8))
            .Append(CSharpSyntaxTree.ParseText(TrustedCompiler.ImplicitUsings, parse, "<implicit usings>", Encoding.UTF8)).ToList();
        if (trees.Select(SourceBounds.TreeDepth).OfType<DomainDiagnostic>().ToList() is { Count: > 0 } tooDeep) return tooDeep;
        var refs = TrustedCompiler.FrameworkPaths()
            .Append(typeof(RRef<>).Assembly.Location).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("IdlCheck", trees, refs, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        CSharpGeneratorDriver.Create(new Idl.IdlGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out var updated, out var generated);
        return generated.Concat(updated.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d =>
            {
                var span = d.Location.GetMappedLineSpan();
                return new DomainDiagnostic(span.Path ?? "", span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, d.Id, d.GetMessage());
            }).ToList();
    }
}

// os/kernel/Compiler: checks a folder of IDL source (like domains/Interfaces) with the IDL compiler,
// in-process, for `redleaf verify`: the same rules the build applies, with the same diagnostics.
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RedLeaf.Abi;

namespace RedLeaf.Os.Compiler;

public static class IdlCheck
{
    public static IReadOnlyList<DomainDiagnostic> Folder(string folder)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f, Encoding.UTF8))
            .Append(CSharpSyntaxTree.ParseText(TrustedCompiler.ImplicitUsings, parse, "<implicit usings>", Encoding.UTF8));
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

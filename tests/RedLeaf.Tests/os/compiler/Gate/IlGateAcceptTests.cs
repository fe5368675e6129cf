// tests/os/compiler/Gate: what the IL gate must let through: the project's own domains, compiled as the
// trusted compiler compiles them (plain, and through the whole pipeline with its instrumentation).
// Ordinary student code is in IlGateStudentCodeTests.
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Compiler.Gate;
using Xunit;

namespace RedLeaf.Tests.Trusted;

[Trait("suite", "trusted")]
public class IlGateAcceptTests
{
    public static IEnumerable<object[]> DomainFolders() => DomainTree.DomainFolders().Select(d => new object[] { d });

    [Theory]
    [MemberData(nameof(DomainFolders))]
    public void ProjectDomainPassesWithNoDiagnostics(string folder)
    {
        var root = Path.Combine(DomainTree.Root, "domains", folder);
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(DomainTree.Root, f), File.ReadAllText(f)))
            .Concat(TrustedCompiler.LinkedSources(root).Select(s => (s.Path, s.Text))); // a driver linked into an app (link.txt)
        var image = SnippetCompiler.DomainFiles(files);
        Assert.Empty(IlGate.Default.Check(image.Pe, image.Pdb));
    }

    [Theory]
    [MemberData(nameof(DomainFolders))]
    public void InstrumentedProjectDomainPassesWithNoDiagnostics(string folder)
    {
        // Through the whole pipeline: the instrumentation's Guard calls and catch filters must pass too.
        var image = TrustedCompiler.Default.CompileFolder(Path.Combine(DomainTree.Root, "domains", folder));
        Assert.Empty(IlGate.Default.Check(image.Assembly, image.Pdb));
    }

    internal static void Passes(string source)
    {
        var image = SnippetCompiler.Domain(source);
        var found = IlGate.Default.Check(image.Pe, image.Pdb);
        Assert.True(found.Count == 0, "refused:\n" + string.Join("\n", found));
    }
}

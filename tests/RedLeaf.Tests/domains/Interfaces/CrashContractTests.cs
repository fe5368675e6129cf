// tests/domains/Interfaces: every [DomainInterface] in the repository's interface sources (the IDL in
// domains/Interfaces and the ABI's own, os/abi) states its failure contract where a caller reads it:
// a doc comment <remarks> that begins "When the callee crashes" and names the error the caller gets
// (an RpcErrorKind: CalleeCrashed, CalleeKilled or NotRunning), as Serilog's ILogEventSink says what
// happens when a sink throws. The sources are parsed with Roslyn, and the interfaces found are checked
// against the [DomainInterface] types the built assemblies hold, so a file the scan missed fails too.
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RedLeaf.Abi;
using RedLeaf.Os.Compiler;
using Xunit;

namespace RedLeaf.Tests.Interfaces;

[Trait("suite", "architecture")]
public class CrashContractTests
{
    public const string Opening = "When the callee crashes";
    private static readonly string[] ErrorKinds = ["CalleeCrashed", "CalleeKilled", "NotRunning"];
    private static readonly string[] Folders = ["domains/Interfaces", "os/abi"];

    private sealed record Found(string Interface, string Where, string? Problem);

    /// <summary>The repository's interface sources: path relative to the root, and text.</summary>
    private static IEnumerable<(string Path, string Text)> Sources() =>
        Folders.SelectMany(f => Directory.EnumerateFiles(Path.Combine(DomainTree.Root, f), "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .Select(p => (Path.GetRelativePath(DomainTree.Root, p).Replace('\\', '/'), File.ReadAllText(p)));

    /// <summary>Every [DomainInterface] declared in the sources, with what is wrong with its crash contract (null: nothing).</summary>
    private static List<Found> Check(IEnumerable<(string Path, string Text)> sources)
    {
        var found = new List<Found>();
        foreach (var (path, text) in sources)
        {
            var root = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Parse), path).GetRoot();
            foreach (var iface in root.DescendantNodes().OfType<InterfaceDeclarationSyntax>())
            {
                if (!iface.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString().Split('.').Last() is "DomainInterface" or "DomainInterfaceAttribute"))
                    continue;
                string where = $"{path}:{iface.Identifier.GetLocation().GetLineSpan().StartLinePosition.Line + 1}";
                found.Add(new Found(iface.Identifier.Text, where, Problem(Remarks(iface))));
            }
        }
        return found;
    }

    /// <summary>The text of each &lt;remarks&gt; in the declaration's doc comment, whitespace collapsed.</summary>
    private static List<string> Remarks(InterfaceDeclarationSyntax iface) =>
        iface.GetLeadingTrivia()
            .Select(t => t.GetStructure()).OfType<DocumentationCommentTriviaSyntax>()
            .SelectMany(d => d.Content.OfType<XmlElementSyntax>())
            .Where(e => e.StartTag.Name.LocalName.Text == "remarks")
            .Select(e => Regex.Replace(string.Concat(e.Content.SelectMany(c => c.DescendantTokens())
                .Where(t => t.IsKind(SyntaxKind.XmlTextLiteralToken) || t.IsKind(SyntaxKind.XmlEntityLiteralToken))
                .Select(t => t.Text)), @"\s+", " ").Trim())
            .ToList();

    private static string? Problem(List<string> remarks)
    {
        if (remarks.Count == 0) return $"no doc comment <remarks> saying what its caller sees when the callee crashes (begin it \"{Opening}\")";
        var contract = remarks.FirstOrDefault(r => r.StartsWith(Opening, StringComparison.Ordinal));
        if (contract is null) return $"its <remarks> does not begin \"{Opening}\"";
        if (!ErrorKinds.Any(k => contract.Contains(k, StringComparison.Ordinal)))
            return $"its crash contract names no error the caller gets ({string.Join(", ", ErrorKinds)})";
        return null;
    }

    [Fact]
    public void EveryDomainInterfaceSaysWhatItsCallerSeesWhenTheCalleeCrashes()
    {
        var found = Check(Sources());
        var missing = found.Where(f => f.Problem is not null).Select(f => $"{f.Where}: {f.Interface}: {f.Problem}").ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} domain interface(s) without a crash contract:\n{string.Join("\n", missing)}");

        // The scan saw every [DomainInterface] the assemblies built from those folders hold.
        var built = new[] { typeof(RRef<>).Assembly, typeof(RedLeaf.Interfaces.Test.IDomB).Assembly }
            .SelectMany(a => a.GetTypes()).Where(t => t.IsInterface && t.IsDefined(typeof(DomainInterfaceAttribute), false))
            .Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        Assert.True(built.Count >= 20, $"only {built.Count} [DomainInterface]s built: the assemblies are not the ones expected");
        Assert.Equal(built, found.Select(f => f.Interface).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void AnInterfaceWhoseCrashContractIsRemovedIsNamedWithItsFileAndLine()
    {
        // The real IDomB with its <remarks> taken out, as a developer adding an interface would leave it.
        var (path, text) = Sources().Single(s => s.Path.EndsWith("/Test/IDomB.cs", StringComparison.Ordinal));
        Assert.Null(Assert.Single(Check([(path, text)])).Problem);
        string stripped = Regex.Replace(text, @"/// <remarks>.*?</remarks>\r?\n", "", RegexOptions.Singleline);
        Assert.NotEqual(text, stripped);
        var found = Assert.Single(Check([(path, stripped)]));
        Assert.Equal("IDomB", found.Interface);
        Assert.StartsWith("domains/Interfaces/Test/IDomB.cs:", found.Where);
        Assert.Contains("no doc comment <remarks>", found.Problem);

        // The header comment's own failure paragraph (a line comment) does not count, nor remarks of another form.
        Assert.Contains("Failure contract", stripped);
        var other = Assert.Single(Check([(path, stripped.Replace("[DomainInterface]", "/// <remarks>Crashes come back as errors.</remarks>\n[DomainInterface]"))]));
        Assert.Contains($"does not begin \"{Opening}\"", other.Problem);
        var vague = Assert.Single(Check([(path, stripped.Replace("[DomainInterface]", $"/// <remarks>{Opening}, the caller finds out.</remarks>\n[DomainInterface]"))]));
        Assert.Contains("names no error", vague.Problem);
    }
}

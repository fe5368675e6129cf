// os/compiler: the names the trusted compiler's inserted code relies on. The instrumentation
// writes calls such as `global::RedLeaf.Abi.Guard.Tick()` and types such as `global::System.Exception`
// into a domain's source; C# resolves such a name to a declaration in the domain's own source first
// (a type in the same namespace wins over the imported one with only a warning, CS0436/CS0437, and a
// file-local type wins inside its file). So a domain (or an interface set) may declare nothing that
// could capture them: no type in the RedLeaf or System namespaces or below, no type named RedLeaf or
// System in the global namespace (file-local ones included), no extern alias and no alias named
// global. After instrumenting, every `global::RedLeaf...` and `global::System...` name in the code is
// checked to bind to a referenced assembly, and every RedLeaf.Abi.Guard member to the ABI's own Guard: the checks are bound
// by the ABI assembly's metadata, whatever the source declares.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RedLeaf.Os.Compiler;

internal static class ReservedNames
{
    /// <summary>Root namespaces the inserted code names with `global::`.</summary>
    public static readonly IReadOnlyList<string> Roots = new[] { "RedLeaf", "System" };

    /// <summary>The type the instrumentation calls, and the assembly it must come from.</summary>
    private const string GuardPrefix = "global::RedLeaf.Abi.Guard";

    private const string Id = "RL0003";

    /// <summary>RL0003 for every declaration of <paramref name="compilation"/> (before instrumenting) that
    /// could capture a name the instrumentation writes.</summary>
    public static IEnumerable<DomainDiagnostic> Declarations(Compilation compilation)
    {
        foreach (var type in compilation.Assembly.GlobalNamespace.GetTypeMembers().Where(t => Roots.Contains(t.Name)))
            yield return At(type.Locations.FirstOrDefault(), compilation,
                $"declares a type named {type.Name}{(type.IsFileLocal ? " (file-local)" : "")} in the global namespace: `global::{type.Name}` in the code the trusted compiler inserts would mean it instead of the {(type.Name == "RedLeaf" ? "RedLeaf namespace (the kernel's checks)" : "base library")}; rename it");
        foreach (var ns in compilation.Assembly.GlobalNamespace.GetNamespaceMembers().Where(n => Roots.Contains(n.Name)))
            foreach (var type in AllTypes(ns))
                yield return At(type.Locations.FirstOrDefault(), compilation,
                    $"declares {type.ToDisplayString()}{(type.IsFileLocal ? " (file-local)" : "")} in the {ns.Name} namespace, which is reserved for the {(ns.Name == "RedLeaf" ? "trusted system" : "base library")}: a type of the domain's own there would stand in for the one the trusted compiler's inserted code calls (such as the instrumentation's RedLeaf.Abi.Guard); declare it in a namespace of your own");
        foreach (var tree in compilation.SyntaxTrees)
            foreach (var node in tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax))
            {
                if (node is ExternAliasDirectiveSyntax e)
                    yield return At(e.GetLocation(), compilation,
                        $"declares extern alias {e.Identifier.ValueText}: an extern alias would let names resolve into another assembly's root namespace; domains compile against a fixed reference set and may not use one");
                else if (node is UsingDirectiveSyntax { Alias.Name.Identifier.ValueText: "global" } u)
                    yield return At(u.GetLocation(), compilation,
                        "declares an alias named 'global': `global::` names the global namespace in the code the trusted compiler inserts, and an alias that reads like it is refused; pick another name");
            }
    }

    /// <summary>RL0003 for every `global::RedLeaf...` or `global::System...` name in the instrumented <paramref name="instrumented"/>
    /// that binds to the domain's own code, or a Guard member bound anywhere but <paramref name="abi"/>'s Guard.</summary>
    public static IEnumerable<DomainDiagnostic> Bindings(Compilation instrumented, IAssemblySymbol abi)
    {
        var guard = abi.GetTypeByMetadataName("RedLeaf.Abi.Guard")
            ?? throw new InvalidOperationException($"the ABI assembly {abi.Identity} has no RedLeaf.Abi.Guard");
        foreach (var tree in instrumented.SyntaxTrees)
        {
            SemanticModel? model = null;
            foreach (var q in tree.GetRoot().DescendantNodes().OfType<AliasQualifiedNameSyntax>())
            {
                if (q.Alias.Identifier.ValueText != "global" || !Roots.Contains(q.Name.Identifier.ValueText)) continue; // `global::Link` (a record's own type) is the domain's
                SyntaxNode top = q;
                while (top.Parent is MemberAccessExpressionSyntax m && m.Expression == top || top.Parent is QualifiedNameSyntax n && n.Left == top)
                    top = top.Parent;
                if (top.Parent is UsingDirectiveSyntax) continue; // a namespace import binds nothing by itself
                model ??= instrumented.GetSemanticModel(tree);
                var info = model.GetSymbolInfo(top);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                if (symbol is null or INamespaceSymbol) continue;
                var owner = symbol is ITypeSymbol t ? t : symbol.ContainingType;
                bool own = SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, instrumented.Assembly);
                bool toGuard = top.ToString().StartsWith(GuardPrefix, StringComparison.Ordinal);
                if (own || (toGuard && !SymbolEqualityComparer.Default.Equals(owner?.OriginalDefinition, guard)))
                    yield return At(top.GetLocation(), instrumented,
                        $"'{top}' binds to {symbol.ToDisplayString()} in {(own ? "the domain itself" : symbol.ContainingAssembly?.Name ?? "nowhere")}, not to {(toGuard ? $"RedLeaf.Abi.Guard in {abi.Name}" : "the base library")}: the trusted compiler's checks must call the kernel's code");
            }
        }
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns) =>
        ns.GetTypeMembers().Concat(ns.GetNamespaceMembers().SelectMany(AllTypes));

    private static DomainDiagnostic At(Location? location, Compilation compilation, string message)
    {
        var span = location?.GetMappedLineSpan();
        string file = span?.Path is { Length: > 0 } p ? p : compilation.SyntaxTrees.FirstOrDefault()?.FilePath ?? "";
        return new DomainDiagnostic(file, (span?.StartLinePosition.Line ?? 0) + 1, (span?.StartLinePosition.Character ?? 0) + 1, Id, message);
    }
}

// os/compiler: the instrumentation of base-library calls whose output grows with their inputs
// (issue 17, class 4; os/README.md "4. Bounds on what one base-library call can do"). A call to a
// method of string, StringBuilder, Convert or BitConverter for which the ABI's Guard declares a helper
// of the same name and parameters (the receiver first, for an instance method) is sent to that helper:
// `s.Replace(a, b)` becomes `Guard.Replace(s, a, b)`, `string.Join(",", xs)` becomes `Guard.Join(",", xs)`.
// The arguments keep their names and order, so they are evaluated as before, and the helper checks the
// output's size before it makes the call. A call the rewrite cannot reach is refused before
// instrumenting (RL0007): a delegate made of such a method (`f = s.Replace`) and a call after `?.`.
// Also here: a domain collection's Count (ICollection<T>, IReadOnlyCollection<T>, ICollection), which
// the base library allocates by (`new List<T>(c)`, `ToArray`, `AddRange`), returns through Guard.Length.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace RedLeaf.Os.Compiler;

internal sealed partial class Instrumenter
{
    /// <summary>The base-library types whose calls may have a Guard helper.</summary>
    private static readonly HashSet<string> GrowthTypes = new(StringComparer.Ordinal)
    {
        "System.String", "System.Text.StringBuilder", "System.Convert", "System.BitConverter",
    };

    /// <summary>The Guard helper that stands for <paramref name="method"/>, or null: a static method of the ABI's
    /// Guard with its name, its type parameters, and its parameters (names, types, params) after the receiver.</summary>
    internal static IMethodSymbol? GrowthHelper(Compilation compilation, IMethodSymbol method)
    {
        method = method.ReducedFrom ?? method;
        if (method.ContainingType is not { } owner || !GrowthTypes.Contains($"{owner.ContainingNamespace?.ToDisplayString()}.{owner.MetadataName}")) return null;
        if (method.MethodKind != MethodKind.Ordinary || compilation.GetTypeByMetadataName("RedLeaf.Abi.Guard") is not { } guard) return null;
        var definition = method.OriginalDefinition;
        int skip = definition.IsStatic ? 0 : 1;
        foreach (var helper in guard.GetMembers(definition.Name).OfType<IMethodSymbol>())
        {
            if (!helper.IsStatic || helper.Arity != definition.Arity || helper.Parameters.Length != definition.Parameters.Length + skip) continue;
            if (skip == 1 && !SameType(helper.Parameters[0].Type, owner)) continue;
            bool same = true;
            for (int i = 0; i < definition.Parameters.Length && same; i++)
            {
                var (h, d) = (helper.Parameters[i + skip], definition.Parameters[i]);
                same = h.Name == d.Name && h.RefKind == d.RefKind && h.IsParams == d.IsParams && SameType(h.Type, d.Type);
            }
            if (same) return helper;
        }
        return null;
    }

    /// <summary>Types equal up to nullable annotations, a method's type parameters matched by position.</summary>
    private static bool SameType(ITypeSymbol a, ITypeSymbol b) => (a, b) switch
    {
        (ITypeParameterSymbol x, ITypeParameterSymbol y) => x.TypeParameterKind == y.TypeParameterKind && x.Ordinal == y.Ordinal,
        (IArrayTypeSymbol x, IArrayTypeSymbol y) => x.Rank == y.Rank && SameType(x.ElementType, y.ElementType),
        (INamedTypeSymbol x, INamedTypeSymbol y) => SymbolEqualityComparer.Default.Equals(x.OriginalDefinition, y.OriginalDefinition)
            && x.TypeArguments.Length == y.TypeArguments.Length && x.TypeArguments.Zip(y.TypeArguments).All(p => SameType(p.First, p.Second)),
        _ => false,
    };

    /// <summary>A call with a Guard helper, sent to it; anything else as it was.</summary>
    private InvocationExpressionSyntax Growth(InvocationExpressionSyntax original, InvocationExpressionSyntax visited)
    {
        if (_model.GetSymbolInfo(original).Symbol is not IMethodSymbol method || GrowthHelper(_model.Compilation, method) is null) return visited;
        SimpleNameSyntax name;
        var args = visited.ArgumentList;
        switch (visited.Expression)
        {
            case MemberAccessExpressionSyntax access:
                // The dropped tokens' line breaks stay where they were, so later lines keep their numbers.
                var dropped = access.OperatorToken.LeadingTrivia.Concat(access.OperatorToken.TrailingTrivia);
                if (method.IsStatic)
                {
                    var breaks = access.Expression.DescendantTrivia().Concat(dropped).Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
                    name = access.Name.WithLeadingTrivia(breaks);
                }
                else
                {
                    name = access.Name.WithoutTrivia();
                    var receiver = Argument(access.Expression.WithoutTrivia());
                    var comma = Token(SyntaxKind.CommaToken).WithTrailingTrivia(dropped.Append(Space));
                    args = args.WithArguments(SeparatedList(args.Arguments.Insert(0, receiver), new[] { comma }.Concat(args.Arguments.GetSeparators())));
                }
                break;
            case SimpleNameSyntax simple when method.IsStatic: // `Join(...)` under `using static System.String;`
                name = simple.WithoutTrivia();
                break;
            default:
                return visited; // `?.M(...)`: refused before instrumenting (RL0007)
        }
        var callee = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, ParseExpression(GuardType), name);
        return InvocationExpression(callee, args).WithTriviaFrom(visited);
    }

    /// <summary>RL0007, before instrumenting: a use of a method with a Guard helper that the rewrite cannot send
    /// to it, a delegate made of the method (the delegate would call it unchecked) or a call after `?.`.</summary>
    internal static IEnumerable<DomainDiagnostic> GrowthBypasses(Compilation compilation)
    {
        if (compilation.GetTypeByMetadataName("RedLeaf.Abi.Guard") is not { } guard) yield break;
        var names = guard.GetMembers().OfType<IMethodSymbol>().Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (node, model) in UsesNamed(compilation, names.Contains))
        {
            if (node is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax } call
                && model.GetSymbolInfo(call).Symbol is IMethodSymbol m && GrowthHelper(compilation, m) is not null)
                yield return DiagnosticAt(call, "RL0007",
                    $"'?.{m.Name}(...)' calls {m.ContainingType.ToDisplayString()}.{m.Name}, {Why(m)}; it cannot do so after '?.': test for null first (if (x != null) ... x.M(...))");
            else if (MethodGroup(node, model) is { } target && GrowthHelper(compilation, target) is not null)
                yield return DiagnosticAt(node, "RL0007",
                    $"'{node}' makes a delegate of {target.ContainingType.ToDisplayString()}.{target.Name}, {Why(target)} at each call; a delegate would " +
                    "call it unchecked: call it in a lambda instead");
        }
    }

    /// <summary>The nodes of every tree that may use a member whose name passes <paramref name="named"/>: a call after
    /// `?.`, a member access, a simple name (only a name a helper has can be one: binding every expression would slow
    /// large domains down); the invoked member of `a.M(...)` is found through its invocation.</summary>
    internal static IEnumerable<(SyntaxNode Node, SemanticModel Model)> UsesNamed(Compilation compilation, Func<string, bool> named)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                var name = node switch
                {
                    InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax b } => b.Name,
                    InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax a } => a.Name,
                    MemberAccessExpressionSyntax a => a.Name,
                    SimpleNameSyntax n when n.Parent is not MemberAccessExpressionSyntax and not MemberBindingExpressionSyntax => n,
                    _ => null,
                };
                if (name is not null && named(name.Identifier.ValueText)) yield return (node, model);
            }
        }
    }

    /// <summary>The method a node makes a delegate of (a method group not invoked), or null.</summary>
    internal static IMethodSymbol? MethodGroup(SyntaxNode node, SemanticModel model) =>
        node is ExpressionSyntax e && model.GetOperation(e) is IMethodReferenceOperation { Method: var target }
        && e.Parent is not InvocationExpressionSyntax && !(e is SimpleNameSyntax && e.Parent is MemberAccessExpressionSyntax) ? target : null;

    /// <summary>What the Guard helper of <paramref name="m"/> does, for RL0007's message.</summary>
    private static string Why(IMethodSymbol m) => m.Name is "IndexOf" or "LastIndexOf"
        ? "which the trusted compiler makes an ordinal search (a culture's search can take time quadratic in the text)"
        : "whose output the trusted compiler bounds before the call (its result can be its inputs multiplied)";

    // ---- a domain collection's Count ----------------------------------------------------------------

    private HashSet<ISymbol>? _counts;

    /// <summary>The properties of the domain's types that implement a collection interface's Count (inherited
    /// ones included: a base class's Count implements its derived class's interface).</summary>
    private HashSet<ISymbol> CollectionCounts => _counts ??= GatherCounts(_model.Compilation);

    private static HashSet<ISymbol> GatherCounts(Compilation compilation)
    {
        var found = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var stack = new Stack<INamespaceOrTypeSymbol>();
        stack.Push(compilation.Assembly.GlobalNamespace);
        while (stack.Count > 0)
        {
            var ns = stack.Pop();
            foreach (var member in ns.GetMembers())
            {
                if (member is INamespaceOrTypeSymbol inner) stack.Push(inner);
                if (member is not INamedTypeSymbol type) continue;
                foreach (var i in type.AllInterfaces)
                {
                    if (i.OriginalDefinition.ToDisplayString() is not ("System.Collections.Generic.ICollection<T>" or "System.Collections.Generic.IReadOnlyCollection<T>" or "System.Collections.ICollection")) continue;
                    foreach (var count in i.GetMembers("Count"))
                        if (type.FindImplementationForInterfaceMember(count) is IPropertySymbol p && SymbolEqualityComparer.Default.Equals(p.ContainingAssembly, compilation.Assembly))
                            found.Add(p.OriginalDefinition);
                }
            }
        }
        return found;
    }

    /// <summary>Whether <paramref name="getter"/> is the getter of a domain collection's Count.</summary>
    private bool IsCollectionCount(ISymbol? getter) =>
        getter is IMethodSymbol { MethodKind: MethodKind.PropertyGet, AssociatedSymbol: IPropertySymbol p } && CollectionCounts.Contains(p.OriginalDefinition);

    private static ExpressionSyntax CheckedCount(ExpressionSyntax e) => ParseExpression($"{GuardType}.Length({e.WithoutTrivia()})").WithTriviaFrom(e);

    /// <summary>`return e;` in a Count getter returns `Guard.Length(e)`.</summary>
    public override SyntaxNode? VisitReturnStatement(ReturnStatementSyntax node)
    {
        var v = (ReturnStatementSyntax)base.VisitReturnStatement(node)!;
        if (v.Expression is null) return v;
        var function = node.Ancestors().FirstOrDefault(a => a is AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or BaseMethodDeclarationSyntax);
        return function is AccessorDeclarationSyntax accessor && IsCollectionCount(_model.GetDeclaredSymbol(accessor)) ? v.WithExpression(CheckedCount(v.Expression)) : v;
    }
}

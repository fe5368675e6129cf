// os/compiler: the instrumentation of base-library calls that hash a whole sequence in one call (issue 17,
// classes 4 and 6b; the runtime half is os/abi/Kernel/Guard.Hashing.cs). Keys chosen to collide make such
// a call quadratic, and no check runs inside it. Their inputs are handed over through Guard.Hashed, so each
// element passes a check first: `new HashSet<long>(keys)` becomes `new HashSet<long>(Guard.Hashed(keys))`,
// `keys.ToHashSet()` becomes `Guard.Hashed(keys).ToHashSet()`, `a.Overlaps(b)` becomes
// `a.Overlaps(Guard.Hashed(b))`, a spread into a HashSet (`[.. keys]`) spreads `Guard.Hashed(keys)`, and a
// query with a group or join clause reads each source through it. `s.IntersectWith(o)` and
// `s.SymmetricExceptWith(o)` go to Guard's helpers of the same names (a second pass over the set itself).
// A use the rewrite cannot reach is refused before instrumenting (RL0007): a delegate made of a set operation
// (LINQ's method groups are refused by the IL gate, RLGATE020), and IntersectWith or SymmetricExceptWith after
// `?.`, or a hashing LINQ call after `?.`.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace RedLeaf.Os.Compiler;

internal sealed partial class Instrumenter
{
    /// <summary>LINQ operators that build a hash table over an input (set, lookup or dictionary).</summary>
    private static readonly HashSet<string> HashingOperators = new(StringComparer.Ordinal)
    {
        "Distinct", "DistinctBy", "Union", "UnionBy", "Intersect", "IntersectBy", "Except", "ExceptBy",
        "GroupBy", "GroupJoin", "Join", "ToHashSet", "ToDictionary", "ToLookup", "CountBy", "AggregateBy",
    };

    /// <summary>Set operations of HashSet, ISet and IReadOnlySet over another sequence.</summary>
    private static readonly HashSet<string> SetOperations = new(StringComparer.Ordinal)
    {
        "UnionWith", "IntersectWith", "ExceptWith", "SymmetricExceptWith", "IsSubsetOf", "IsProperSubsetOf",
        "IsSupersetOf", "IsProperSupersetOf", "Overlaps", "SetEquals",
    };

    /// <summary>The set operations with a second pass over the set itself: sent to Guard's helpers.</summary>
    private static readonly HashSet<string> SetRewrites = new(StringComparer.Ordinal) { "IntersectWith", "SymmetricExceptWith" };

    /// <summary>The parameters through which those calls take what they hash.</summary>
    private static readonly HashSet<string> HashedParameters = new(StringComparer.Ordinal)
    {
        "source", "first", "second", "outer", "inner", "collection", "dictionary", "other",
    };

    private static bool IsSetType(INamedTypeSymbol? t) => t?.OriginalDefinition.ToDisplayString() is
        "System.Collections.Generic.HashSet<T>" or "System.Collections.Generic.ISet<T>" or "System.Collections.Generic.IReadOnlySet<T>";

    private static bool IsHashedCollection(INamedTypeSymbol? t) => t?.OriginalDefinition.ToDisplayString() is
        "System.Collections.Generic.HashSet<T>" or "System.Collections.Generic.Dictionary<TKey, TValue>" or "System.Collections.Generic.OrderedDictionary<TKey, TValue>";

    /// <summary>Whether <paramref name="method"/> hashes what it is given: a LINQ operator above, a set operation,
    /// or a constructor of a hashed collection from a sequence.</summary>
    internal static bool HashesItsInput(IMethodSymbol method)
    {
        method = method.ReducedFrom ?? method;
        return method.MethodKind switch
        {
            MethodKind.Constructor => IsHashedCollection(method.ContainingType),
            MethodKind.Ordinary when method.ContainingType?.ToDisplayString() == EnumerableType => HashingOperators.Contains(method.Name),
            MethodKind.Ordinary => SetOperations.Contains(method.Name) && IsSetType(method.ContainingType),
            _ => false,
        };
    }

    /// <summary>Whether <paramref name="parameter"/> of a hashing call takes what it hashes.</summary>
    private static bool IsHashedInput(IMethodSymbol method, IParameterSymbol parameter) =>
        parameter.RefKind == RefKind.None && HashedParameters.Contains(parameter.Name) && HashesItsInput(method);

    /// <summary>The expression's sequence element type, if <see cref="Hashed"/> can infer it (IEnumerable&lt;T&gt; once).</summary>
    private bool HashableInput(ExpressionSyntax original)
    {
        if (_model.GetTypeInfo(original).Type is not ITypeSymbol t) return false;
        static bool IsEnumerableOfT(ITypeSymbol x) => x is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Collections_Generic_IEnumerable_T };
        return IsEnumerableOfT(t) || t.AllInterfaces.Count(IsEnumerableOfT) == 1;
    }

    private static ExpressionSyntax Hashed(ExpressionSyntax visited) =>
        InvocationExpression(ParseExpression($"{GuardType}.Hashed"), ArgumentList(SingletonSeparatedList(Argument(visited.WithoutTrivia()))))
            .WithTriviaFrom(visited);

    /// <summary>A hashing call made as `receiver.M(...)` with the receiver as its input (a LINQ operator as an
    /// extension method): the receiver through Guard.Hashed. IntersectWith and SymmetricExceptWith: Guard's helpers.</summary>
    private InvocationExpressionSyntax HashingCall(InvocationExpressionSyntax original, InvocationExpressionSyntax visited)
    {
        if (_model.GetSymbolInfo(original).Symbol is not IMethodSymbol method || !HashesItsInput(method)) return visited;
        if (method.ReducedFrom is not null && visited.Expression is MemberAccessExpressionSyntax access
            && original.Expression is MemberAccessExpressionSyntax originalAccess && HashableInput(originalAccess.Expression) && !StartsWithBinding(originalAccess.Expression))
            return visited.WithExpression(access.WithExpression(Hashed(access.Expression)));
        if (method.ReducedFrom is null && !method.IsStatic && SetRewrites.Contains(method.Name))
        {
            ExpressionSyntax receiver;
            switch (visited.Expression)
            {
                case MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax }:
                case SimpleNameSyntax: receiver = ThisExpression(); break; // inside a type derived from HashSet<T>
                case MemberAccessExpressionSyntax m: receiver = m.Expression.WithoutTrivia(); break;
                default: return visited; // `?.IntersectWith(...)`: refused before instrumenting (RL0007)
            }
            var args = visited.ArgumentList.Arguments.Insert(0, Argument(receiver));
            return InvocationExpression(ParseExpression($"{GuardType}.{method.Name}"), ArgumentList(SeparatedList(args))).WithTriviaFrom(visited);
        }
        return visited;
    }

    /// <summary>`[.. keys]` into a HashSet: the spread's elements pass a check each.</summary>
    public override SyntaxNode? VisitSpreadElement(SpreadElementSyntax node)
    {
        var v = (SpreadElementSyntax)base.VisitSpreadElement(node)!;
        return node.Parent is CollectionExpressionSyntax c && IsHashedCollection(_model.GetTypeInfo(c).ConvertedType as INamedTypeSymbol) && HashableInput(node.Expression)
            ? v.WithExpression(Hashed(v.Expression)) : v;
    }

    /// <summary>The sources of a query with a group or join clause (GroupBy, Join and GroupJoin hash them).</summary>
    public override SyntaxNode? VisitFromClause(FromClauseSyntax node)
    {
        var v = (FromClauseSyntax)base.VisitFromClause(node)!;
        return node.Type is null && GroupsOrJoins(node) && HashableInput(node.Expression) ? v.WithExpression(Hashed(v.Expression)) : v;
    }

    public override SyntaxNode? VisitJoinClause(JoinClauseSyntax node)
    {
        var v = (JoinClauseSyntax)base.VisitJoinClause(node)!;
        return HashableInput(node.InExpression) ? v.WithInExpression(Hashed(v.InExpression)) : v;
    }

    /// <summary>`?.M(...)` or `?.a.M(...)`: the receiver exists only inside a conditional access.</summary>
    private static bool ReceiverAfterBinding(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberBindingExpressionSyntax => true,
        MemberAccessExpressionSyntax a => StartsWithBinding(a.Expression),
        _ => false,
    };

    private static bool GroupsOrJoins(FromClauseSyntax from) =>
        from.Ancestors().OfType<QueryExpressionSyntax>().FirstOrDefault() is { } query
        && query.DescendantNodes().Any(n => n is GroupClauseSyntax or JoinClauseSyntax);

    /// <summary>RL0007 for the hashing calls: a delegate made of one (it would hash unchecked), and a call after
    /// `?.` that the rewrite must reach through its receiver.</summary>
    internal static IEnumerable<DomainDiagnostic> HashingBypasses(Compilation compilation)
    {
        foreach (var (node, model) in UsesNamed(compilation, n => SetOperations.Contains(n) || HashingOperators.Contains(n)))
        {
            if (node is InvocationExpressionSyntax call && ReceiverAfterBinding(call)
                && model.GetSymbolInfo(call).Symbol is IMethodSymbol m && HashesItsInput(m) && (m.ReducedFrom is not null || SetRewrites.Contains(m.Name)))
                yield return DiagnosticAt(call, "RL0007",
                    $"'?.{m.Name}(...)' calls {m.ContainingType.ToDisplayString()}.{m.Name}, which hashes a whole sequence in one call; the trusted compiler " +
                    "paces it (a check per element, so keys chosen to collide cannot hold the domain past a kill) and cannot do so after '?.': test for null first");
            else if (MethodGroup(node, model) is { } target && HashesItsInput(target)
                && (target.ReducedFrom ?? target).ContainingType?.ToDisplayString() != EnumerableType) // LINQ's method groups: the IL gate refuses them all (RLGATE020)
                yield return DiagnosticAt(node, "RL0007",
                    $"'{node}' makes a delegate of {target.ContainingType.ToDisplayString()}.{target.Name}, which hashes a whole sequence in one call; the trusted " +
                    "compiler paces each call (a check per element), which a delegate would skip: call it in a lambda instead");
        }
    }
}

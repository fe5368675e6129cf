// os/compiler: the instrumentation of LINQ. A LINQ operator's enumerator calls its source's,
// in the base library, where the stack guard does not reach, so a chain of operators a domain builds
// in a loop (`e = e.Distinct()`) is walked recursively by one MoveNext, as deep as the chain is long.
// Every sequence an Enumerable method returns to domain code is wrapped where it comes back:
// `e.Distinct()` becomes `Guard.Chain(e.Distinct())` (GuardedSequence, whose members check), and
// OrderBy's kin `Guard.Ordered(...)` (GuardedOrderedSequence, which also counts ThenBy's keys). A chain
// then has a guarded link wherever domain code held one of its sequences; the unwrapped links in
// between are those of one expression, as many as it has calls. The same for a query expression
// (`from x in e ...`) and for a call after `?.` (the whole conditional access is wrapped). A method
// group of Enumerable made into a delegate would bypass this: the IL gate refuses it (RLGATE020).
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace RedLeaf.Os.Compiler;

internal sealed partial class Instrumenter
{
    private const string EnumerableType = "System.Linq.Enumerable";

    /// <summary>"Chain" or "Ordered" for a sequence type LINQ returns, null for anything else.</summary>
    private static string? SequenceWrapper(ITypeSymbol? type) => type is INamedTypeSymbol { IsGenericType: true } n
        ? n.ConstructedFrom.ToDisplayString() switch
        {
            "System.Collections.Generic.IEnumerable<T>" => "Chain",
            "System.Linq.IOrderedEnumerable<TElement>" => "Ordered",
            _ => null,
        }
        : null;

    private static ExpressionSyntax Wrap(string wrapper, ExpressionSyntax visited) =>
        InvocationExpression(ParseExpression($"{GuardType}.{wrapper}"), ArgumentList(SingletonSeparatedList(Argument(visited.WithoutTrivia()))))
            .WithTriviaFrom(visited);

    /// <summary>An Enumerable call returning a sequence, wrapped; one inside a `?.` chain is left to the
    /// conditional access around it.</summary>
    private ExpressionSyntax WrapSequence(InvocationExpressionSyntax original, InvocationExpressionSyntax visited)
    {
        if (_model.GetSymbolInfo(original).Symbol is not IMethodSymbol { ContainingType: var owner } method) return visited;
        if (owner?.ToDisplayString() != EnumerableType || SequenceWrapper(method.ReturnType) is not { } wrapper) return visited;
        if (StartsWithBinding(original.Expression)) return visited;
        return Wrap(wrapper, visited);
    }

    /// <summary>`.Where(...)` in `a?.Items.Where(...)`: its receiver exists only inside the conditional access.</summary>
    private static bool StartsWithBinding(ExpressionSyntax e)
    {
        while (true)
        {
            switch (e)
            {
                case MemberBindingExpressionSyntax or ElementBindingExpressionSyntax: return true;
                case MemberAccessExpressionSyntax m: e = m.Expression; continue;
                case InvocationExpressionSyntax i: e = i.Expression; continue;
                case ElementAccessExpressionSyntax a: e = a.Expression; continue;
                case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } p: e = p.Operand; continue;
                default: return false;
            }
        }
    }

    public override SyntaxNode? VisitConditionalAccessExpression(ConditionalAccessExpressionSyntax node)
    {
        var v = (ExpressionSyntax)base.VisitConditionalAccessExpression(node)!;
        return SequenceWrapper(_model.GetTypeInfo(node).Type) is { } wrapper && EndsInEnumerableCall(node) ? Wrap(wrapper, v) : v;
    }

    private bool EndsInEnumerableCall(ConditionalAccessExpressionSyntax node)
    {
        ExpressionSyntax last = node.WhenNotNull;
        while (last is ConditionalAccessExpressionSyntax inner) last = inner.WhenNotNull;
        return last is InvocationExpressionSyntax call && _model.GetSymbolInfo(call).Symbol is IMethodSymbol m && m.ContainingType?.ToDisplayString() == EnumerableType;
    }

    public override SyntaxNode? VisitQueryExpression(QueryExpressionSyntax node)
    {
        var v = (ExpressionSyntax)base.VisitQueryExpression(node)!;
        return SequenceWrapper(_model.GetTypeInfo(node).Type) is { } wrapper ? Wrap(wrapper, v) : v;
    }
}

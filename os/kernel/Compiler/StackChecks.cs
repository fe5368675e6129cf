// os/kernel/Compiler: which method bodies need the stack-depth guard at entry. The stack can only grow
// without bound through a cycle of calls, so a body needs the guard if it is on a cycle of the
// domain's own non-virtual calls, or if it makes any call whose target is not known here (virtual,
// interface or delegate calls, the base library, which may call back into domain code). Every cycle
// then passes through a guarded body. The rest (most small helpers) keep only the cheap stop check.
// Constructors are always guarded (field initializers and chained constructors are not scanned).
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace RedLeaf.Os.Compiler;

internal static class StackChecks
{
    /// <summary>Symbols of bodies that may skip the stack guard.</summary>
    public static HashSet<ISymbol> Unguarded(Compilation compilation, IEnumerable<SyntaxTree> trees)
    {
        var edges = new Dictionary<ISymbol, List<ISymbol>>(SymbolEqualityComparer.Default);
        var unknown = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                var (symbol, op) = BodyOf(model, node);
                if (symbol is null) continue;
                var calls = new List<ISymbol>();
                if (op is null || symbol is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } || !Scan(op, compilation, calls))
                    unknown.Add(symbol);
                edges[symbol] = calls;
            }
        }
        var onCycle = Cycles(edges);
        var safe = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var s in edges.Keys)
            if (!unknown.Contains(s) && !onCycle.Contains(s)) safe.Add(s);
        return safe;
    }

    /// <summary>The symbol a body belongs to and the operation tree to scan (null if there is none).</summary>
    public static (ISymbol? Symbol, IOperation? Body) BodyOf(SemanticModel model, SyntaxNode node) => node switch
    {
        BaseMethodDeclarationSyntax m when m.Body is not null || m.ExpressionBody is not null => (model.GetDeclaredSymbol(m), model.GetOperation(m)),
        AccessorDeclarationSyntax a when a.Body is not null || a.ExpressionBody is not null => (model.GetDeclaredSymbol(a), model.GetOperation(a)),
        LocalFunctionStatementSyntax l => (model.GetDeclaredSymbol(l), (model.GetOperation(l) as ILocalFunctionOperation)?.Body),
        AnonymousFunctionExpressionSyntax f => (model.GetSymbolInfo(f).Symbol, (model.GetOperation(f) as IAnonymousFunctionOperation)?.Body),
        ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax p } e => ((model.GetDeclaredSymbol(p) as IPropertySymbol)?.GetMethod, model.GetOperation(e)),
        ArrowExpressionClauseSyntax { Parent: IndexerDeclarationSyntax i } e => ((model.GetDeclaredSymbol(i) as IPropertySymbol)?.GetMethod, model.GetOperation(e)),
        _ => (null, null),
    };

    /// <summary>Collects known call targets; false if any call's target is not known.</summary>
    private static bool Scan(IOperation root, Compilation compilation, List<ISymbol> calls)
    {
        var pending = new Stack<IOperation>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var op = pending.Pop();
            switch (op)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation when op != root:
                    continue; // their bodies are scanned on their own; creating them calls nothing
                case IInvocationOperation i:
                    if (!Known(i.TargetMethod, i.IsVirtual, compilation, calls)) return false;
                    break;
                case IObjectCreationOperation c:
                    if (c.Constructor is null || !Known(c.Constructor, false, compilation, calls)) return false;
                    break;
                case IPropertyReferenceOperation p:
                    var accessor = p.Property.GetMethod ?? p.Property.SetMethod;
                    if (accessor is null || !Known(accessor, p.Property.IsVirtual || p.Property.IsAbstract || p.Property.IsOverride, compilation, calls)) return false;
                    if (p.Property.SetMethod is { } setter && !Known(setter, p.Property.IsVirtual || p.Property.IsAbstract || p.Property.IsOverride, compilation, calls)) return false;
                    break;
                case IBinaryOperation { OperatorMethod: { } m }:
                    if (!Known(m, false, compilation, calls)) return false;
                    break;
                case IBinaryOperation b when b.Type?.SpecialType == SpecialType.System_String:
                    return false; // string concatenation calls ToString on its operands
                case IUnaryOperation { OperatorMethod: { } m }:
                    if (!Known(m, false, compilation, calls)) return false;
                    break;
                case IIncrementOrDecrementOperation { OperatorMethod: { } m }:
                    if (!Known(m, false, compilation, calls)) return false;
                    break;
                case ICompoundAssignmentOperation c when c.OperatorMethod is not null || c.Type?.SpecialType == SpecialType.System_String:
                    return false;
                case IConversionOperation { OperatorMethod: { } m }:
                    if (!Known(m, false, compilation, calls)) return false;
                    break;
                case IDynamicInvocationOperation or IDynamicObjectCreationOperation or IDynamicMemberReferenceOperation or IDynamicIndexerAccessOperation:
                case IAwaitOperation or IForEachLoopOperation or IUsingOperation or IUsingDeclarationOperation or ILockOperation:
                case IInterpolatedStringOperation or IObjectOrCollectionInitializerOperation or IEventAssignmentOperation or IRaiseEventOperation:
                case IFunctionPointerInvocationOperation or IRecursivePatternOperation or ICollectionExpressionOperation or IWithOperation:
                case ITypeParameterObjectCreationOperation:
                    return false;
            }
            foreach (var child in op.ChildOperations) pending.Push(child);
        }
        return true;
    }

    /// <summary>A call is known if it goes, non-virtually, to the domain's own code (an edge), or to a
    /// member that cannot call back into domain code (math, primitives, the ABI).</summary>
    private static bool Known(IMethodSymbol target, bool isVirtual, Compilation compilation, List<ISymbol> calls)
    {
        var m = target.OriginalDefinition;
        if (SymbolEqualityComparer.Default.Equals(m.ContainingAssembly, compilation.Assembly))
        {
            if (isVirtual || m.IsAbstract || m.IsVirtual || m.IsOverride) return false;
            calls.Add(m.PartialImplementationPart ?? m);
            return true;
        }
        var type = m.ContainingType;
        if (type is null) return false;
        string ns = type.ContainingNamespace?.ToDisplayString() ?? "";
        if (ns == "RedLeaf.Abi" && type.Name is "Guard" or "RRef" or "RRefArray" or "RRefDeque" or "RpcResult" or "RpcError") return true;
        if (ns == "System" && type.Name is "Math" or "MathF" && m.IsStatic) return true;
        if (type.SpecialType is >= SpecialType.System_Boolean and <= SpecialType.System_Double && m.IsStatic) return true;
        if (type.SpecialType == SpecialType.System_Array && m.AssociatedSymbol is IPropertySymbol { Name: "Length" or "LongLength" or "Rank" }) return true;
        return false;
    }

    /// <summary>Bodies on a cycle of known calls (Tarjan's strongly connected components, iterative).</summary>
    private static HashSet<ISymbol> Cycles(Dictionary<ISymbol, List<ISymbol>> edges)
    {
        var index = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
        var low = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
        var onStack = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var stack = new Stack<ISymbol>();
        var result = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        int next = 0;
        foreach (var start in edges.Keys)
        {
            if (index.ContainsKey(start)) continue;
            var work = new Stack<(ISymbol Node, int Edge)>();
            work.Push((start, 0));
            index[start] = low[start] = next++;
            stack.Push(start);
            onStack.Add(start);
            while (work.Count > 0)
            {
                var (v, i) = work.Pop();
                var outs = edges.GetValueOrDefault(v) ?? new List<ISymbol>();
                if (i < outs.Count)
                {
                    work.Push((v, i + 1));
                    var w = outs[i];
                    if (SymbolEqualityComparer.Default.Equals(v, w)) { result.Add(v); continue; }
                    if (!index.ContainsKey(w))
                    {
                        index[w] = low[w] = next++;
                        stack.Push(w);
                        onStack.Add(w);
                        work.Push((w, 0));
                    }
                    else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
                    continue;
                }
                if (work.Count > 0) { var parent = work.Peek().Node; low[parent] = Math.Min(low[parent], low[v]); }
                if (low[v] != index[v]) continue;
                var component = new List<ISymbol>();
                ISymbol x;
                do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (!SymbolEqualityComparer.Default.Equals(x, v));
                if (component.Count > 1) result.UnionWith(component);
            }
        }
        return result;
    }
}

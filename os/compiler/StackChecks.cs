// os/compiler: which method bodies need the stack-depth guard at entry. The stack can only grow
// without bound through a cycle of calls, so a body needs the guard if it is on a cycle of the
// domain's own non-virtual calls, or if it makes any call whose target is not known here (virtual,
// interface or delegate calls, the base library, which may call back into domain code). Every cycle
// then passes through a guarded body. The rest (most small helpers) keep only the cheap stop check,
// as long as the stack they can use between two checks stays small: a chain of unguarded bodies
// (no cycle, but possibly long, or with big struct locals) is cut by guarding the body where its
// estimated frames add up past StackBounds.UnguardedChain, so the guard's headroom covers it.
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
        var frames = new Dictionary<ISymbol, long>(SymbolEqualityComparer.Default);
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
                frames[symbol] = op is null ? 0 : FrameEstimate(op);
            }
        }
        var onCycle = Cycles(edges);
        var safe = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var s in edges.Keys)
            if (!unknown.Contains(s) && !onCycle.Contains(s)) safe.Add(s);
        CutLongChains(safe, edges, frames);
        return safe;
    }

    /// <summary>Stack a body takes besides its locals: return address, saved registers, outgoing arguments.</summary>
    private const long FrameOverhead = 64;

    /// <summary>Guards the bodies where a chain of unguarded calls would use more than the budget (the
    /// safe bodies' calls among themselves form no cycle, so the longest chain below each is finite).</summary>
    private static void CutLongChains(HashSet<ISymbol> safe, Dictionary<ISymbol, List<ISymbol>> edges, Dictionary<ISymbol, long> frames)
    {
        var below = new Dictionary<ISymbol, long>(SymbolEqualityComparer.Default);
        long Below(ISymbol s, int depth)
        {
            if (!safe.Contains(s)) return 0; // a guarded body checks for itself
            if (below.TryGetValue(s, out var known)) return known;
            if (depth > 1_000) { safe.Remove(s); return 0; } // a chain this long is over budget anyway
            long deepest = 0;
            foreach (var c in edges.GetValueOrDefault(s) ?? new List<ISymbol>())
                if (!SymbolEqualityComparer.Default.Equals(c, s)) deepest = Math.Max(deepest, Below(c, depth + 1));
            long cost = Math.Min(FrameOverhead + frames.GetValueOrDefault(s) + deepest, 1L << 40);
            if (cost > RedLeaf.Abi.Runtime.StackBounds.UnguardedChain) { safe.Remove(s); cost = 0; }
            return below[s] = cost;
        }
        foreach (var s in safe.ToList()) Below(s, 0);
    }

    /// <summary>A body's own stack, roughly: its locals and every struct value its expressions produce.
    /// Type parameters count as the largest value type allowed (their argument is not known here).</summary>
    private static long FrameEstimate(IOperation body)
    {
        long sum = 0;
        foreach (var op in body.DescendantsAndSelf())
        {
            if (op is IVariableDeclaratorOperation d) sum += Size(d.Symbol.Type, 0);
            else if (op.Type is { } t && (t.TypeKind == TypeKind.TypeParameter || (t.IsValueType && t.SpecialType == SpecialType.None && t.TypeKind != TypeKind.Enum)))
                sum += Size(t, 0);
            if (sum > 1L << 40) return 1L << 40;
        }
        return sum;
    }

    private static long Size(ITypeSymbol t, int depth)
    {
        const long unknown = RedLeaf.Abi.Runtime.StackBounds.MaxValueSize;
        if (t is ITypeParameterSymbol p) return p.HasReferenceTypeConstraint ? 8 : unknown;
        if (!t.IsValueType) return 8;
        if (t is INamedTypeSymbol { EnumUnderlyingType: { } u }) return Size(u, depth + 1);
        switch (t.SpecialType)
        {
            case SpecialType.System_Boolean or SpecialType.System_Byte or SpecialType.System_SByte: return 1;
            case SpecialType.System_Char or SpecialType.System_Int16 or SpecialType.System_UInt16: return 2;
            case SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single: return 4;
            case SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double or SpecialType.System_IntPtr or SpecialType.System_UIntPtr: return 8;
            case SpecialType.System_Decimal: return 16;
        }
        if (depth > 16) return unknown;
        var fields = t.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic).ToList();
        if (fields.Count == 0) return 16;
        var inline = t.GetAttributes().FirstOrDefault(a => a.AttributeClass is { Name: "InlineArrayAttribute" });
        if (inline is { ConstructorArguments: [{ Value: int length }] } && fields.Count == 1)
            return Math.Min(Math.Max(length, 0) * Size(fields[0].Type, depth + 1), 1L << 40);
        long sum = 0;
        foreach (var f in fields) sum = Math.Min(sum + Math.Max(Size(f.Type, depth + 1), 1), 1L << 40);
        return sum;
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

    /// <summary>Bodies on a cycle of known calls: in a strongly connected component with another body, or calling themselves.</summary>
    private static HashSet<ISymbol> Cycles(Dictionary<ISymbol, List<ISymbol>> edges)
    {
        var component = StronglyConnected.Components(edges, SymbolEqualityComparer.Default);
        var sizes = component.Values.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        var result = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var (node, c) in component)
            if (sizes[c] > 1) result.Add(node);
        foreach (var (node, outs) in edges)
            if (outs.Any(w => SymbolEqualityComparer.Default.Equals(w, node))) result.Add(node);
        return result;
    }
}

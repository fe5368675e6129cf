// os/compiler: inserts the kernel's checks into domain source before the trusted compile, so
// every domain can be stopped: Guard.Tick() first in every method, accessor, constructor, operator,
// local function and lambda body, first in every loop body and before every goto (no loop escapes
// it; the same checks sample the thread's allocation counter when the meter's clock asks);
// catch clauses gain a `when (Guard.Catchable(e) && ...)` filter (the kernel's stop cannot be
// swallowed), and finally blocks skip their body once the domain is stopped (Guard.Cleanup); array
// sizes go through Guard.Length and inner exceptions through Guard.Inner; records
// get members with the stack guard (Instrumenter.Records.cs). Inserted code carries no line breaks, so
// line numbers in diagnostics and in the PDB stay those of the student's source.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace RedLeaf.Os.Compiler;

internal sealed partial class Instrumenter : CSharpSyntaxRewriter
{
    private const string GuardType = "global::RedLeaf.Abi.Guard";
    private const string CaughtName = "__rl_caught";
    private readonly SemanticModel _model;
    private readonly HashSet<ISymbol> _unguarded;
    private int _caught;

    private Instrumenter(SemanticModel model, HashSet<ISymbol> unguarded)
    {
        _model = model;
        _unguarded = unguarded;
    }

    /// <summary>The instrumented form of one tree of a compilation that compiled without errors;
    /// <paramref name="unguarded"/> (from StackChecks) lists bodies that need no stack guard.</summary>
    public static SyntaxTree Rewrite(SyntaxTree tree, Compilation compilation, HashSet<ISymbol> unguarded)
    {
        var root = new Instrumenter(compilation.GetSemanticModel(tree), unguarded).Visit(tree.GetRoot())!;
        return tree.WithRootAndOptions(root, tree.Options);
    }

    /// <summary>The entry check for a body: the stop check alone if it cannot be on a call cycle.</summary>
    private StatementSyntax EntryCheck(ISymbol? symbol) => symbol is not null && _unguarded.Contains(symbol) ? LoopTick() : Tick();

    private static StatementSyntax Tick() => ParseStatement($"{GuardType}.Tick();");

    private static StatementSyntax LoopTick() => ParseStatement($"{GuardType}.Loop();");

    private static BlockSyntax Prepend(BlockSyntax block) => Insert(block, Tick());

    /// <summary>Puts a check first in a block, on the line of the opening brace, so the block's own
    /// statements keep their lines and columns.</summary>
    private static BlockSyntax Insert(BlockSyntax block, StatementSyntax check)
    {
        var open = block.OpenBraceToken;
        return block.WithOpenBraceToken(open.WithTrailingTrivia())
            .WithStatements(block.Statements.Insert(0, check.WithTrailingTrivia(open.TrailingTrivia)));
    }

    private static StatementSyntax Guarded(StatementSyntax body) =>
        body is BlockSyntax b ? Insert(b, LoopTick()) : Block(LoopTick(), body);

    /// <summary>`=> expr` as a block that ticks first: `{ Tick(); return expr; }` or `{ Tick(); expr; }`.</summary>
    private static BlockSyntax AsBlock(ExpressionSyntax expr, bool returnsValue, StatementSyntax? check = null)
    {
        StatementSyntax body = expr is ThrowExpressionSyntax t ? ThrowStatement(t.Expression)
            : returnsValue ? ReturnStatement(expr.WithLeadingTrivia(Space))
            : ExpressionStatement(expr);
        return Block(check ?? Tick(), body);
    }

    private bool ReturnsValue(ISymbol? symbol) => symbol is IMethodSymbol m && !m.ReturnsVoid && !(m.IsAsync && m.ReturnType is INamedTypeSymbol { Arity: 0 });

    private T Member<T>(T original, T visited, BlockSyntax? body, ArrowExpressionClauseSyntax? arrow, ISymbol? symbol,
        Func<T, BlockSyntax, T> setBody) where T : SyntaxNode
    {
        var check = EntryCheck(symbol);
        if (body is not null) return setBody(visited, Insert(body, check));
        if (arrow is not null)
        {
            // `=> expr;` loses its ';' and the line break after it: give the block that trivia back.
            var semicolon = visited.ChildTokens().LastOrDefault(t => t.IsKind(SyntaxKind.SemicolonToken));
            return setBody(visited, AsBlock(arrow.Expression, ReturnsValue(symbol), check).WithTrailingTrivia(semicolon.TrailingTrivia));
        }
        return visited;
    }

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var v = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        var symbol = _model.GetDeclaredSymbol(node);
        var m = Member(node, v, v.Body, v.ExpressionBody, symbol, (m, b) => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(b));
        // Dispose() is what `using` and `foreach` call from finally blocks the compiler generates: a stopped
        // domain's Dispose does not run, like its own finally blocks (VisitFinallyClause).
        if (symbol is { Name: "Dispose", IsStatic: false, Parameters.Length: 0, ReturnsVoid: true } && m.Body is { } body)
            m = m.WithBody(Insert(body, ParseStatement($"if (!{GuardType}.Cleanup()) return;")));
        return m;
    }

    public override SyntaxNode? VisitConstructorDeclaration(ConstructorDeclarationSyntax node)
    {
        var v = (ConstructorDeclarationSyntax)base.VisitConstructorDeclaration(node)!;
        return Member(node, v, v.Body, v.ExpressionBody, null, (m, b) => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(b));
    }

    public override SyntaxNode? VisitDestructorDeclaration(DestructorDeclarationSyntax node)
    {
        var v = (DestructorDeclarationSyntax)base.VisitDestructorDeclaration(node)!;
        return Member(node, v, v.Body, v.ExpressionBody, null, (m, b) => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(b));
    }

    public override SyntaxNode? VisitOperatorDeclaration(OperatorDeclarationSyntax node)
    {
        var v = (OperatorDeclarationSyntax)base.VisitOperatorDeclaration(node)!;
        return Member(node, v, v.Body, v.ExpressionBody, _model.GetDeclaredSymbol(node), (m, b) => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(b));
    }

    public override SyntaxNode? VisitConversionOperatorDeclaration(ConversionOperatorDeclarationSyntax node)
    {
        var v = (ConversionOperatorDeclarationSyntax)base.VisitConversionOperatorDeclaration(node)!;
        return Member(node, v, v.Body, v.ExpressionBody, _model.GetDeclaredSymbol(node), (m, b) => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(b));
    }

    public override SyntaxNode? VisitAccessorDeclaration(AccessorDeclarationSyntax node)
    {
        var v = (AccessorDeclarationSyntax)base.VisitAccessorDeclaration(node)!;
        if (v.ExpressionBody is { } count && IsCollectionCount(_model.GetDeclaredSymbol(node))) v = v.WithExpressionBody(count.WithExpression(CheckedCount(count.Expression)));
        return Member(node, v, v.Body, v.ExpressionBody, _model.GetDeclaredSymbol(node), (m, b) => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(b));
    }

    public override SyntaxNode? VisitPropertyDeclaration(PropertyDeclarationSyntax node)
    {
        var v = (PropertyDeclarationSyntax)base.VisitPropertyDeclaration(node)!;
        if (v.ExpressionBody is null) return v;
        // `T P => expr;` is a getter: `T P { get { Tick(); return expr; } }`
        var get = (_model.GetDeclaredSymbol(node) as IPropertySymbol)?.GetMethod;
        var check = EntryCheck(get);
        var value = IsCollectionCount(get) ? CheckedCount(v.ExpressionBody.Expression) : v.ExpressionBody.Expression;
        var getter = AccessorDeclaration(SyntaxKind.GetAccessorDeclaration, AsBlock(value, returnsValue: true, check));
        return v.WithExpressionBody(null).WithSemicolonToken(default)
            .WithAccessorList(AccessorList(SingletonList(getter)).WithTrailingTrivia(v.SemicolonToken.TrailingTrivia));
    }

    public override SyntaxNode? VisitIndexerDeclaration(IndexerDeclarationSyntax node)
    {
        var v = (IndexerDeclarationSyntax)base.VisitIndexerDeclaration(node)!;
        if (v.ExpressionBody is null) return v;
        var getter = AccessorDeclaration(SyntaxKind.GetAccessorDeclaration, AsBlock(v.ExpressionBody.Expression, returnsValue: true));
        return v.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(AccessorList(SingletonList(getter)));
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var v = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        return Member(node, v, v.Body, v.ExpressionBody, _model.GetDeclaredSymbol(node), (m, b) => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(b));
    }

    public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) => Lambda(node, base.VisitParenthesizedLambdaExpression(node));
    public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) => Lambda(node, base.VisitSimpleLambdaExpression(node));
    public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node) => Lambda(node, base.VisitAnonymousMethodExpression(node));

    private SyntaxNode? Lambda(AnonymousFunctionExpressionSyntax original, SyntaxNode? visited)
    {
        var v = (AnonymousFunctionExpressionSyntax)visited!;
        // An expression tree cannot hold statements; leave it as it is (the IL gate refuses compiling it).
        if (_model.GetTypeInfo(original).ConvertedType is INamedTypeSymbol { Name: "Expression", ContainingNamespace: var ns } && ns.ToDisplayString() == "System.Linq.Expressions")
            return v;
        var symbol = _model.GetSymbolInfo(original).Symbol;
        var check = EntryCheck(symbol);
        if (v.Block is not null) return v.WithBlock(Insert(v.Block, check));
        if (v.ExpressionBody is not null) return v.WithExpressionBody(null).WithBlock(AsBlock(v.ExpressionBody, ReturnsValue(symbol), check));
        return v;
    }

    // ---- loops and jumps ------------------------------------------------------------------------

    /// <summary>Every loop's body starts with the stop check (one place for while, do, for and foreach).</summary>
    public override SyntaxNode? Visit(SyntaxNode? node) => base.Visit(node) switch
    {
        WhileStatementSyntax w => w.WithStatement(Guarded(w.Statement)),
        DoStatementSyntax d => d.WithStatement(Guarded(d.Statement)),
        ForStatementSyntax f => f.WithStatement(Guarded(f.Statement)),
        CommonForEachStatementSyntax e => e.WithStatement(Guarded(e.Statement)),
        var other => other,
    };

    public override SyntaxNode? VisitGotoStatement(GotoStatementSyntax node)
    {
        var v = (GotoStatementSyntax)base.VisitGotoStatement(node)!;
        return Block(LoopTick(), v);
    }

    // ---- catch clauses, finally blocks and arrays -----------------------------------------------

    /// <summary>`finally { body }` becomes `finally {if (Guard.Cleanup()){ body }}` on the same lines: a
    /// stopped domain's finally blocks do not run (see Guard.Cleanup).</summary>
    public override SyntaxNode? VisitFinallyClause(FinallyClauseSyntax node)
    {
        var v = (FinallyClauseSyntax)base.VisitFinallyClause(node)!;
        var body = v.Block;
        var guarded = IfStatement(ParseExpression($"{GuardType}.Cleanup()"), body.WithoutTrivia());
        return v.WithBlock(Block(guarded).WithTriviaFrom(body));
    }

    public override SyntaxNode? VisitCatchClause(CatchClauseSyntax node)
    {
        var v = (CatchClauseSyntax)base.VisitCatchClause(node)!;
        var declaration = v.Declaration ?? CatchDeclaration(ParseTypeName("global::System.Exception"));
        if (declaration.Identifier.IsKind(SyntaxKind.None) || declaration.Identifier.ValueText.Length == 0)
            declaration = declaration.WithIdentifier(Identifier(CaughtName + (++_caught))); // unique: catches nest
        var guard = ParseExpression($"{GuardType}.Catchable({declaration.Identifier.ValueText})");
        var filter = v.Filter is null ? guard
            : BinaryExpression(SyntaxKind.LogicalAndExpression, guard, ParenthesizedExpression(v.Filter.FilterExpression));
        return v.WithDeclaration(declaration.WithTrailingTrivia(Space)).WithFilter(CatchFilterClause(filter).WithTrailingTrivia(Space));
    }

    // Sizes handed to the base library (a List's capacity, Enumerable.Repeat's count, new string(c, n),
    // StringBuilder.Append(c, repeatCount)...) allocate or loop as much as they say in one call, with no
    // check inside: they pass Guard.Length too, and so does a value assigned to a base-library Capacity
    // property (List<T>.Capacity, StringBuilder.Capacity), and to StringBuilder.Length and BitArray.Length, which
    // pad to what they are set to.
    // (The names come from a sweep of every allowed member's int and long parameters: issue 17, class 4.)
    private static readonly HashSet<string> SizeParameters = new(StringComparer.Ordinal) { "capacity", "initialCapacity", "count", "length", "newSize", "totalWidth", "minimumLength", "repeatCount", "stringLength", "literalLength" };

    public override SyntaxNode? VisitAssignmentExpression(AssignmentExpressionSyntax node)
    {
        // `x.Capacity = n` checks n. A compound one (`+=`, `*=`, `<<=`...) on a receiver that names a variable
        // or a field chain is rewritten to `x.Capacity = Guard.Length(x.Capacity op (k))`, so the new capacity is
        // what is checked, not the operand; on any other receiver only the operand is checked (OPEN-ESCAPES.md).
        var v = (AssignmentExpressionSyntax)base.VisitAssignmentExpression(node)!;
        if (!IsBaseLibraryCapacity(node.Left)) return v;
        if (!v.IsKind(SyntaxKind.SimpleAssignmentExpression) && CompoundOperator(v) is { } op && NamesAVariable(node.Left))
            return AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, v.Left,
                ParseExpression($"{GuardType}.Length(checked({v.Left.WithoutTrivia()} {op} ({v.Right.WithoutTrivia()})))")).WithTriviaFrom(v);
        return v.WithRight(ParseExpression($"{GuardType}.Length({v.Right})"));
    }

    private bool IsBaseLibraryCapacity(ExpressionSyntax left) =>
        _model.GetSymbolInfo(left).Symbol is IPropertySymbol p
        && (p.Name == "Capacity" || (p.Name == "Length" && p.ContainingType.ToDisplayString() is "System.Text.StringBuilder" or "System.Collections.BitArray"))
        && !SymbolEqualityComparer.Default.Equals(p.ContainingAssembly, _model.Compilation.Assembly)
        && p.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64;

    /// <summary>RL0004, before instrumenting: a compound assignment to a base-library Capacity whose receiver
    /// is computed (`Make().Capacity *= 2`, `lists[i].Capacity <<= k`) cannot be rewritten to check the new
    /// capacity without evaluating the receiver twice, which could change what the code does.</summary>
    internal static IEnumerable<DomainDiagnostic> ComputedCapacityAssignments(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var probe = new Instrumenter(compilation.GetSemanticModel(tree), new HashSet<ISymbol>(SymbolEqualityComparer.Default));
            foreach (var a in tree.GetRoot().DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                if (a.IsKind(SyntaxKind.SimpleAssignmentExpression) || CompoundOperator(a) is null || !probe.IsBaseLibraryCapacity(a.Left) || probe.NamesAVariable(a.Left)) continue;
                yield return DiagnosticAt(a, "RL0004",
                    $"'{a.WithoutTrivia()}' changes a Capacity of the base library through a computed receiver: the trusted compiler checks the new " +
                    "capacity before the allocation, which needs the receiver twice; put it in a local variable first (var l = ...; l.Capacity *= 2;)");
            }
        }
    }

    /// <summary>RL0005, before instrumenting: an interpolation's alignment (`{x,n}`) is a constant the compiler
    /// passes to the base library, which pads to it in one call; wider than Guard.MaxAlignment is refused.</summary>
    internal static IEnumerable<DomainDiagnostic> WideAlignments(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var clause in tree.GetRoot().DescendantNodes().OfType<InterpolationAlignmentClauseSyntax>())
            {
                if (model.GetConstantValue(clause.Value) is not { HasValue: true, Value: var v }) continue;
                long n = Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture);
                if (Math.Abs(n) <= RedLeaf.Abi.Guard.MaxAlignment) continue;
                yield return DiagnosticAt(clause, "RL0005",
                    $"aligns text to {n:N0} characters: the base library pads to the alignment in one call, where no check runs, so it " +
                    $"would allocate and fill that much at once; at most {RedLeaf.Abi.Guard.MaxAlignment:N0} (string.Format's own limit)");
            }
        }
    }

    /// <summary>RL0005 too: an interpolation's format (`{x:D99999999}`) is a constant the compiler passes to the base
    /// library, which writes as many digits as a standard format's precision says, in one call.</summary>
    internal static IEnumerable<DomainDiagnostic> WidePrecisions(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
            foreach (var clause in tree.GetRoot().DescendantNodes().OfType<InterpolationFormatClauseSyntax>())
            {
                var text = clause.FormatStringToken.ValueText;
                if (text.Length < 2 || !char.IsAsciiLetter(text[0]) || !long.TryParse(text.AsSpan(1), System.Globalization.NumberStyles.None, null, out long digits) || digits <= RedLeaf.Abi.Guard.MaxAlignment) continue;
                yield return DiagnosticAt(clause, "RL0005",
                    $"formats with precision {digits:N0} ('{text}'): the base library writes that many digits in one call, where no check runs; " +
                    $"at most {RedLeaf.Abi.Guard.MaxAlignment:N0} in an interpolation");
            }
    }

    /// <summary>A refusal of the compile step at the line and column where <paramref name="node"/> starts.</summary>
    private static DomainDiagnostic DiagnosticAt(SyntaxNode node, string id, string message)
    {
        var span = node.GetLocation().GetMappedLineSpan();
        return new DomainDiagnostic(span.Path ?? "", span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, id, message);
    }

    private static string? CompoundOperator(AssignmentExpressionSyntax a) => a.Kind() switch
    {
        SyntaxKind.AddAssignmentExpression => "+",
        SyntaxKind.SubtractAssignmentExpression => "-",
        SyntaxKind.MultiplyAssignmentExpression => "*",
        SyntaxKind.DivideAssignmentExpression => "/",
        SyntaxKind.ModuloAssignmentExpression => "%",
        SyntaxKind.LeftShiftAssignmentExpression => "<<",
        SyntaxKind.OrAssignmentExpression => "|",
        SyntaxKind.ExclusiveOrAssignmentExpression => "^",
        SyntaxKind.AndAssignmentExpression => "&",
        _ => null,
    };

    /// <summary>`l.Capacity`, `this.l.Capacity`, `a.b.Capacity`: a receiver that reads the same object when
    /// evaluated twice (a local, a parameter or a field chain), so the rewrite above keeps its meaning.</summary>
    private bool NamesAVariable(ExpressionSyntax left)
    {
        if (left is not MemberAccessExpressionSyntax { Expression: var receiver }) return false;
        while (true)
        {
            switch (receiver)
            {
                case ThisExpressionSyntax:
                    return true;
                case IdentifierNameSyntax id:
                    return _model.GetSymbolInfo(id).Symbol is ILocalSymbol or IParameterSymbol or IFieldSymbol;
                case MemberAccessExpressionSyntax m when _model.GetSymbolInfo(m).Symbol is IFieldSymbol:
                    receiver = m.Expression;
                    continue;
                default:
                    return false;
            }
        }
    }

    public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node) =>
        WrapSequence(node, Growth(node, HashingCall(node, GuardSizes(node, node.ArgumentList, (InvocationExpressionSyntax)base.VisitInvocationExpression(node)!, (n, a) => n.WithArgumentList(a)))));

    public override SyntaxNode? VisitObjectCreationExpression(ObjectCreationExpressionSyntax node) =>
        node.ArgumentList is null ? base.VisitObjectCreationExpression(node)
            : GuardSizes(node, node.ArgumentList, (ObjectCreationExpressionSyntax)base.VisitObjectCreationExpression(node)!, (n, a) => n.WithArgumentList(a));

    public override SyntaxNode? VisitImplicitObjectCreationExpression(ImplicitObjectCreationExpressionSyntax node) =>
        GuardSizes(node, node.ArgumentList, (ImplicitObjectCreationExpressionSyntax)base.VisitImplicitObjectCreationExpression(node)!, (n, a) => n.WithArgumentList(a));

    public override SyntaxNode? VisitConstructorInitializer(ConstructorInitializerSyntax node) =>
        GuardSizes(node, node.ArgumentList, (ConstructorInitializerSyntax)base.VisitConstructorInitializer(node)!, (n, a) => n.WithArgumentList(a));

    /// <summary>A base-library exception constructor's inner exception (`new X("...", e)`, `: base(m, e)`):
    /// Exception.ToString recurses through the chain in the base library, so its length is capped.</summary>
    private static bool IsInnerException(IMethodSymbol method, IParameterSymbol parameter)
    {
        if (method.MethodKind != MethodKind.Constructor || !IsSystemException(parameter.Type)) return false;
        for (var t = method.ContainingType; t is not null; t = t.BaseType)
            if (IsSystemException(t)) return true;
        return false;
    }

    private static bool IsSystemException(ITypeSymbol t) => t is { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>A format's type: a string, or a span of characters.</summary>
    private static bool IsFormatText(ITypeSymbol t) => t.SpecialType == SpecialType.System_String
        || (t is INamedTypeSymbol { Name: "ReadOnlySpan", TypeArguments: [{ SpecialType: SpecialType.System_Char }] });

    /// <summary>Arguments handed to the base library that need a check first: sizes (Guard.Length), formats
    /// (Guard.Precision), alignments (Guard.Alignment), inner exceptions (Guard.Inner), string comparisons
    /// (Guard.Ordinal) and what a hashing call hashes (Guard.Hashed).</summary>
    private T GuardSizes<T>(SyntaxNode original, ArgumentListSyntax originalArgs, T visited, Func<T, ArgumentListSyntax, T> withArgs) where T : SyntaxNode
    {
        if (_model.GetSymbolInfo(original).Symbol is not IMethodSymbol method) return visited;
        if (SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _model.Compilation.Assembly)) return visited;
        var args = visited switch
        {
            InvocationExpressionSyntax i => i.ArgumentList,
            BaseObjectCreationExpressionSyntax o => o.ArgumentList,
            ConstructorInitializerSyntax c => c.ArgumentList,
            _ => null,
        };
        if (args is null || args.Arguments.Count != originalArgs.Arguments.Count) return visited;
        bool changed = false;
        var list = new List<ArgumentSyntax>();
        for (int i = 0; i < args.Arguments.Count; i++)
        {
            var arg = args.Arguments[i];
            var parameter = _model.GetOperation(originalArgs.Arguments[i]) is Microsoft.CodeAnalysis.Operations.IArgumentOperation a ? a.Parameter : null;
            if (parameter is not null && SizeParameters.Contains(parameter.Name) && parameter.RefKind == RefKind.None &&
                parameter.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 && arg.RefKindKeyword.IsKind(SyntaxKind.None))
            {
                arg = arg.WithExpression(ParseExpression($"{GuardType}.Length({arg.Expression})"));
                changed = true;
            }
            else if (parameter is { Name: "formattedCount", RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Int32 } && arg.RefKindKeyword.IsKind(SyntaxKind.None))
            {
                // An interpolation handler made by hand sizes its first buffer as 11 characters a hole.
                arg = arg.WithExpression(ParseExpression($"{GuardType}.Holes({arg.Expression})"));
                changed = true;
            }
            else if (parameter is { Name: "format", RefKind: RefKind.None } && IsFormatText(parameter.Type) && arg.RefKindKeyword.IsKind(SyntaxKind.None))
            {
                arg = arg.WithExpression(ParseExpression($"{GuardType}.Precision({arg.Expression})"));
                changed = true;
            }
            else if (parameter is { Name: "alignment", RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Int32 } && arg.RefKindKeyword.IsKind(SyntaxKind.None))
            {
                arg = arg.WithExpression(ParseExpression($"{GuardType}.Alignment({arg.Expression})"));
                changed = true;
            }
            else if (parameter is { RefKind: RefKind.None, Type: { Name: "StringComparison", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } && arg.RefKindKeyword.IsKind(SyntaxKind.None))
            {
                arg = arg.WithExpression(ParseExpression($"{GuardType}.Ordinal({arg.Expression})")); // domains search text ordinally (Guard.Text.cs)
                changed = true;
            }
            else if (parameter is not null && arg.RefKindKeyword.IsKind(SyntaxKind.None) && IsHashedInput(method, parameter) && HashableInput(originalArgs.Arguments[i].Expression))
            {
                arg = arg.WithExpression(Hashed(arg.Expression)); // a hashing call's input: a check per element (Guard.Hashed)
                changed = true;
            }
            else if (parameter is not null && parameter.RefKind == RefKind.None && arg.RefKindKeyword.IsKind(SyntaxKind.None) && IsInnerException(method, parameter))
            {
                arg = arg.WithExpression(ParseExpression($"{GuardType}.Inner({arg.Expression})"));
                changed = true;
            }
            list.Add(arg);
        }
        return changed ? withArgs(visited, args.WithArguments(SeparatedList(list, args.Arguments.GetSeparators()))) : visited;
    }

    public override SyntaxNode? VisitArrayRankSpecifier(ArrayRankSpecifierSyntax node)
    {
        var v = (ArrayRankSpecifierSyntax)base.VisitArrayRankSpecifier(node)!;
        if (node.Parent?.Parent is not ArrayCreationExpressionSyntax) return v;
        if (v.Sizes.Count > 1 && v.Sizes.All(s => s is not OmittedArraySizeExpressionSyntax))
        {
            // new T[a, b, ...]: the element count is the product; checked once on the first size.
            var first = ParseExpression($"{GuardType}.Area({string.Join(", ", v.Sizes)})");
            return v.WithSizes(SeparatedList(v.Sizes.Select((s, i) => i == 0 ? first : s)));
        }
        return v.WithSizes(SeparatedList(v.Sizes.Select(s => s is OmittedArraySizeExpressionSyntax ? s
            : (ExpressionSyntax)ParseExpression($"{GuardType}.Length({s})"))));
    }
}

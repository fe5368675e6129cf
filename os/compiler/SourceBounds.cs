// os/compiler: bounds on the source text a student hands in (a #!domain cell, a domain folder, a
// file given to `redleaf verify`), checked before Roslyn sees it. Roslyn's parser and binder recurse
// once per level of nesting, and some of their paths have no depth guard: 20,000 nested parentheses,
// blocks or generic arguments overflow the compiling thread's stack, which kills the whole process (a
// stack overflow cannot be caught). So: (1) a lexical scan (Roslyn's lexer, which does not recurse),
// before parsing, bounds each file's size and its bracket nesting ((, [, {) and, per statement, its
// angle-bracket nesting (generic arguments), naming file and line (RL0006); (2) every parse and compile runs on a thread of its own
// with a 256 MiB stack (OnBigStack), where Roslyn's own guards (CS8078) report other deep forms
// (chains of lambdas, prefix operators, nested statements) long before the stack ends; (3) after
// parsing, the depth of each syntax tree is measured without recursion and bounded too (RL0006), so
// what runs after the parser (binding, the instrumentation, the IL gate) never sees a deep tree.
using System.Runtime.ExceptionServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace RedLeaf.Os.Compiler;

public static class SourceBounds
{
    public const string Id = "RL0006";

    /// <summary>The largest source file, in characters (the biggest domain in the tree is 16 KB).</summary>
    public const int MaxFileChars = 1 << 20;

    /// <summary>All of one domain's (or interface set's) files together, in characters.</summary>
    public const long MaxTotalChars = 8L << 20;

    /// <summary>Deepest nesting of (, [ and { together.</summary>
    public const int MaxBracketDepth = 256;

    /// <summary>Deepest nesting of generic arguments (&lt; not closed by &gt; before the statement ends).</summary>
    public const int MaxAngleDepth = 256;

    /// <summary>Deepest syntax tree after parsing (nodes from the root to a leaf).</summary>
    public const int MaxSyntaxDepth = 1_000;

    /// <summary>Deepest nesting of lambdas and anonymous methods (red team, 2026-12-07: 12 levels passed to a method with three
    /// overloads took the compiler 30 s, about 3x a level; 8 levels under a second).</summary>
    public const int MaxLambdaDepth = 8;

    /// <summary>The longest one domain's compile may take (Roslyn's binding and emit are cancelled past it): a small
    /// source can still make the binder's work exponential (lambdas nested under overloaded methods, each level
    /// tried against every overload: about 3x a level, 24 levels would run for days).</summary>
    public static readonly TimeSpan MaxCompileTime = TimeSpan.FromSeconds(20);

    /// <summary>RL0006 for a compile that ran past <see cref="MaxCompileTime"/>.</summary>
    public static DomainDiagnostic TooLong(string file) => new(file, 1, 1, Id,
        $"compiling this source took longer than {MaxCompileTime.TotalSeconds:0} s and was stopped; the trusted compiler bounds its own work " +
        "(deeply nested lambdas passed to overloaded methods make the compiler's work grow exponentially: give the lambdas' parameters types, or nest less)");

    /// <summary>The stack the compiler's work gets (reserved, not committed, until used).</summary>
    public const int CompilerStackBytes = 256 << 20;

    /// <summary>RL0006 for each source that is too large or nested too deeply for the compiler to parse safely.</summary>
    public static IReadOnlyList<DomainDiagnostic> Check(IReadOnlyList<DomainSource> sources)
    {
        var found = new List<DomainDiagnostic>();
        long total = 0;
        foreach (var s in sources)
        {
            total += s.Text.Length;
            if (s.Text.Length > MaxFileChars)
            {
                found.Add(new DomainDiagnostic(s.Path, LineAt(s.Text, MaxFileChars), 1, Id,
                    $"the file holds {s.Text.Length:N0} characters; a domain's source file may hold at most {MaxFileChars:N0} (the trusted compiler stops reading here)"));
                continue;
            }
            if (Nesting(s) is { } deep) found.Add(deep);
        }
        if (total > MaxTotalChars && found.Count == 0)
            found.Add(new DomainDiagnostic(sources[^1].Path, 1, 1, Id,
                $"the domain's files hold {total:N0} characters together; at most {MaxTotalChars:N0}"));
        return found;
    }

    /// <summary>The first place the nesting passes a bound. Tokens come from Roslyn's lexer, which does not
    /// recurse (except into interpolated strings nested in each other's holes, which the size bound keeps
    /// within the big stack), so comments and literals cannot hide brackets from the count; the holes of an
    /// interpolated string are inside its one token, whose brackets are all counted as if they were code.</summary>
    private static DomainDiagnostic? Nesting(DomainSource s)
    {
        var text = SourceText.From(s.Text);
        int depth = 0, angles = 0;
        foreach (var token in SyntaxFactory.ParseTokens(s.Text, options: Parse))
        {
            switch (token.Kind())
            {
                case SyntaxKind.OpenParenToken or SyntaxKind.OpenBracketToken or SyntaxKind.OpenBraceToken:
                    if (token.IsKind(SyntaxKind.OpenBraceToken)) angles = 0;
                    if (++depth > MaxBracketDepth) return Deep(s, text, token.SpanStart, $"brackets nest deeper than {MaxBracketDepth} levels");
                    break;
                case SyntaxKind.CloseParenToken or SyntaxKind.CloseBracketToken or SyntaxKind.CloseBraceToken:
                    if (token.IsKind(SyntaxKind.CloseBraceToken)) angles = 0;
                    depth = Math.Max(0, depth - 1);
                    break;
                case SyntaxKind.SemicolonToken: angles = 0; break;
                case SyntaxKind.LessThanToken:
                    if (++angles > MaxAngleDepth) return Deep(s, text, token.SpanStart, $"generic arguments (or comparisons) nest deeper than {MaxAngleDepth} levels in one statement");
                    break;
                case SyntaxKind.GreaterThanToken: angles = Math.Max(0, angles - 1); break;
                case SyntaxKind.InterpolatedStringToken or SyntaxKind.InterpolatedStringStartToken or SyntaxKind.InterpolatedRawStringEndToken:
                    string literal = token.Text;
                    int inner = depth;
                    for (int i = 0; i < literal.Length; i++)
                    {
                        if (literal[i] is '(' or '[' or '{' && ++inner > MaxBracketDepth) return Deep(s, text, token.SpanStart + i, $"brackets nest deeper than {MaxBracketDepth} levels (in an interpolated string)");
                        if (literal[i] is ')' or ']' or '}') inner = Math.Max(depth, inner - 1);
                    }
                    break;
            }
        }
        return null;
    }

    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    /// <summary>RL0006 if a parsed tree is deeper than MaxSyntaxDepth, at the first node past the bound
    /// (measured with a stack of its own: no recursion).</summary>
    public static DomainDiagnostic? TreeDepth(SyntaxTree tree)
    {
        var pending = new Stack<(SyntaxNode Node, int Depth, int Lambdas)>();
        pending.Push((tree.GetRoot(), 1, 0));
        while (pending.Count > 0)
        {
            var (node, depth, lambdas) = pending.Pop();
            if (node is Microsoft.CodeAnalysis.CSharp.Syntax.AnonymousFunctionExpressionSyntax) lambdas++;
            if (depth > MaxSyntaxDepth)
                return At(node, tree, $"the code nests deeper than {MaxSyntaxDepth} syntax levels here (nested expressions, statements, lambdas or types); split it up");
            if (lambdas > MaxLambdaDepth)
                return At(node, tree, $"lambdas nest deeper than {MaxLambdaDepth} levels here: the compiler binds each nested lambda against every overload " +
                    "of the method it is passed to, so its work can grow exponentially with the nesting; name the inner functions or nest less");
            foreach (var child in node.ChildNodes()) pending.Push((child, depth + 1, lambdas));
        }
        return null;
    }

    private static DomainDiagnostic At(SyntaxNode node, SyntaxTree tree, string message)
    {
        var span = node.GetLocation().GetMappedLineSpan();
        return new DomainDiagnostic(span.Path ?? tree.FilePath, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, Id, message);
    }

    /// <summary>Runs <paramref name="work"/> on a thread with a CompilerStackBytes stack and returns its
    /// result (or rethrows its exception): the compiler's recursion gets room the caller's thread may not have.</summary>
    public static T OnBigStack<T>(Func<T> work, Func<Exception>? tooLong = null)
    {
        T result = default!;
        ExceptionDispatchInfo? failed = null;
        var t = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { failed = ExceptionDispatchInfo.Capture(e); }
        }, CompilerStackBytes)
        { IsBackground = true, Name = "trusted compiler" };
        t.Start();
        // Roslyn checks its cancellation token between phases, not inside every binding: past the bound (and a grace for
        // the token to land) the caller is let go and the thread is abandoned to finish on its own (it is a background thread).
        if (tooLong is not null && !t.Join(MaxCompileTime + TimeSpan.FromSeconds(5))) throw tooLong();
        t.Join();
        failed?.Throw();
        return result;
    }

    private static DomainDiagnostic Deep(DomainSource s, SourceText text, int position, string what)
    {
        var at = text.Lines.GetLinePosition(position);
        return new(s.Path, at.Line + 1, at.Character + 1, Id, $"{what}; the trusted compiler refuses code nested this deeply (its parser would run out of stack)");
    }

    private static int LineAt(string text, int index)
    {
        int line = 1;
        for (int i = 0; i < index && i < text.Length; i++) if (text[i] == '\n') line++;
        return line;
    }
}

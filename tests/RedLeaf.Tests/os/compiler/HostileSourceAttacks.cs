// tests/os/compiler: attacks on the trusted compiler itself with source text a student hands in (a #!domain
// cell, a file given to `redleaf verify`): nesting so deep that a recursive parser or binder would
// overflow its thread's stack (which kills the whole process: a stack overflow cannot be caught), or a
// file so large that parsing it would hold the machine. The compiler bounds size and bracket nesting
// with a lexical scan before parsing (RL0006, naming file and line) and runs Roslyn on a thread with a
// 256 MiB stack, where its own depth guards report what nesting the scan cannot see. Each attack runs in
// a child process (Sandbox.Compile, or the CLI), since a failure would take the test host down.
using RedLeaf.Os.Compiler;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;
using CliTool = RedLeaf.Tests.Cli.CliTests;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class HostileSourceAttacks
{
    private const int Deep = 20_000;

    /// <summary>The child compiled the source as a cell and lived to say so; the compiler refused it with
    /// <paramref name="id"/> (when given) at <paramref name="file"/>'s line <paramref name="line"/>.</summary>
    private static void RefusedInChild(string source, string file, string? id, int line, bool orOverTime = false)
    {
        var o = Sandbox.Compile(source, file);
        Assert.True(o.Survived, "compiling the cell took the compiling process down: " + o.Describe());
        Assert.Equal("42", o.Line("ALIVE"));
        var refusals = o.Out.Split('\n').Where(l => l.StartsWith("REFUSED ", StringComparison.Ordinal)).ToList();
        Assert.True(refusals.Count > 0, "the cell compiled: " + o.Describe());
        if (orOverTime && refusals.Any(r => r.Contains(SourceBounds.TooLong(file).Message, StringComparison.Ordinal))) return;
        Assert.True(refusals.Any(r => r.Contains($"{file}({line},", StringComparison.Ordinal) && (id is null || r.Contains($"error {id}:", StringComparison.Ordinal))),
            $"expected {id ?? "a refusal"} at {file} line {line}:\n{string.Join("\n", refusals.Take(5))}");
    }

    [Fact]
    public void TwentyThousandNestedParenthesesInACell()
    {
        var source = Source($"        return {new string('(', Deep)}argument{new string(')', Deep)}; // <-");
        RefusedInChild(source, "parens.cs", "RL0006", LineOf(source));
    }

    [Fact]
    public void TwentyThousandNestedBlocksInACell()
    {
        var source = Source($"        {string.Concat(Enumerable.Repeat("{ ", Deep))}return argument;{string.Concat(Enumerable.Repeat(" }", Deep))} // <-");
        RefusedInChild(source, "blocks.cs", "RL0006", LineOf(source));
    }

    /// <summary>Lambdas nested without a single nested bracket: `x0 => x1 => x2 => ... => null` of a delegate
    /// type that returns itself. The lexical scan sees depth 1; the parser's own guard, on the big stack, reports it.</summary>
    [Fact]
    public void TwentyThousandNestedLambdasInACell()
    {
        var source = Source($"        D d = {string.Concat(Enumerable.Range(0, Deep).Select(i => $"x{i} => "))}null; // <-\n        return d(1) is null ? 1 : 0;",
            types: "delegate D D(int x);");
        RefusedInChild(source, "lambdas.cs", null, LineOf(source));
    }

    /// <summary>Generic arguments nested 20,000 deep: angle brackets are not brackets to a lexical scan.</summary>
    [Fact]
    public void TwentyThousandNestedGenericArgumentsInACell()
    {
        var source = Source($"        {string.Concat(Enumerable.Repeat("List<", Deep))}long{new string('>', Deep)} deep = null!; // <-\n        return deep is null ? 0 : 1;");
        RefusedInChild(source, "generics.cs", null, LineOf(source));
    }

    /// <summary>Statements nested without braces: `if (c) if (c) ... return 1;`.</summary>
    [Fact]
    public void TwentyThousandNestedIfStatementsInACell()
    {
        var source = Source($"        {string.Concat(Enumerable.Repeat("if (argument > 0) ", Deep))}return 1; // <-\n        return 0;");
        RefusedInChild(source, "ifs.cs", null, LineOf(source));
    }

    /// <summary>A prefix-operator chain: `~~~~...~argument`, 200,000 long.</summary>
    [Fact]
    public void APrefixOperatorChainInACell()
    {
        var source = Source($"        return {new string('~', 10 * Deep)}argument; // <-");
        RefusedInChild(source, "unary.cs", null, LineOf(source));
    }

    /// <summary>Interpolated strings nested in each other's holes, 20,000 deep: the whole nest is one token to
    /// the lexer, so the brackets inside it are counted from its text.</summary>
    [Fact]
    public void TwentyThousandNestedInterpolatedStringsInACell()
    {
        var source = Source($"        string s = {string.Concat(Enumerable.Repeat("$\"{", Deep))}1{string.Concat(Enumerable.Repeat("}\"", Deep))}; // <-\n        return s.Length;");
        // Roslyn's lexer re-reads a nest's holes at each level, so on a slow, loaded VM the nesting scan itself once ran past
        // the compiler's 20 s bound (CI, 2026-12-08): then the bound refuses the cell (RL0006 at line 1), which is still a
        // refusal the process lives through. Open: a scan of the raw text that refuses such a nest in milliseconds.
        RefusedInChild(source, "interpolated.cs", "RL0006", LineOf(source), orOverTime: true);
    }

    /// <summary>A 50 MB file (one comment line) given to a cell.</summary>
    [Fact]
    public void AFiftyMegabyteCell()
    {
        var source = Source("        return argument;") + "// <-" + new string('x', 50 << 20) + "\n";
        RefusedInChild(source, "huge.cs", "RL0006", LineOf(source));
    }

    /// <summary>The verify tool's path: 20,000 nested parentheses and a 50 MB file on the command line; the tool
    /// refuses both with file and line and exits 1, instead of aborting.</summary>
    [Fact]
    public void VerifyGivenDeepNestingAndAFiftyMegabyteFile()
    {
        var dir = Directory.CreateTempSubdirectory("redleaf-hostile-source-").FullName;
        try
        {
            var parens = Source($"        return {new string('(', Deep)}argument{new string(')', Deep)}; // <-");
            var huge = Source("        return argument;") + "// <-" + new string('x', 50 << 20) + "\n";
            string a = Path.Combine(dir, "parens.cs"), b = Path.Combine(dir, "huge.cs");
            File.WriteAllText(a, parens);
            File.WriteAllText(b, huge);
            var (exit, stdout, stderr) = CliTool.Redleaf("verify", a, b);
            Assert.True(exit == 1, $"exit {exit}\n{stdout[..Math.Min(stdout.Length, 4000)]}\n{stderr[..Math.Min(stderr.Length, 4000)]}");
            Assert.Contains($"parens.cs({LineOf(parens)},", stdout);
            Assert.Contains($"huge.cs({LineOf(huge)},", stdout);
            Assert.Contains("error RL0006", stdout);
            Assert.Contains("0 accepted, 2 refused", stdout);
        }
        finally { Directory.Delete(dir, true); }
    }
}

// tests/kernel-ext/RedLeaf.Cli: the `redleaf` commands are described once (kernel-ext/RedLeaf.Cli/
// CommandTable.cs). `redleaf help` prints those rows, the README's table (section "The `redleaf` tool")
// is generated from them, and the commands Program.cs dispatches are the ones the rows name. When the
// README's copy is stale the test says how to regenerate it: `./redleaf help table`.
using System.Text.RegularExpressions;
using RedLeaf.Benchmarks.Results;
using RedLeaf.Cli;
using RedLeaf.Measure.Results;
using RedLeaf.Os.Compiler;
using Xunit;

namespace RedLeaf.Tests.Cli;

[Trait("suite", "architecture")]
public class CommandTableTests
{
    private static string Readme => Path.Combine(DomainTree.Root, "README.md");

    [Fact]
    public void TheReadmesCommandTableIsTheOneTheCliDescribes()
    {
        string readme = File.ReadAllText(Readme).ReplaceLineEndings("\n");
        string regenerated = ReadmeSection.Replace(readme, CommandTable.ToMarkdown(), "README.md", CommandTable.Section);
        Assert.True(regenerated == readme,
            "README.md's command table (between <!-- commands:begin --> and <!-- commands:end -->) differs from the CLI's "
            + "descriptions in kernel-ext/RedLeaf.Cli/CommandTable.cs; edit the descriptions there and regenerate it with "
            + "`./redleaf help table`.\n" + Approval.Diff(readme, regenerated));
    }

    [Fact]
    public void EverySuiteBenchRunsHasItsRowAndTheUsageNamesThemAll()
    {
        var (exit, _, stderr) = CliTests.Redleaf("bench");
        Assert.NotEqual(0, exit);
        var m = Regex.Match(stderr, @"redleaf bench <([a-z0-9|-]+)>");
        Assert.True(m.Success, $"`redleaf bench` printed no usage naming its suites: {stderr}");
        var suites = m.Groups[1].Value.Split('|');
        Assert.Contains("rv6", suites);
        Assert.Contains("gc", suites);
        foreach (var suite in suites)
            Assert.Contains(CommandTable.Commands, c => c.Usage.StartsWith($"bench {suite} ", StringComparison.Ordinal));
        foreach (var c in CommandTable.Commands.Where(c => c.Usage.StartsWith("bench ", StringComparison.Ordinal) && !c.Usage.StartsWith("bench <", StringComparison.Ordinal)))
            Assert.Contains(c.Usage.Split(' ')[1], suites);
    }

    [Fact]
    public void HelpPrintsTheSameRows()
    {
        var (exit, stdout, stderr) = CliTests.Redleaf("help");
        Assert.True(exit == 0, stderr);
        Assert.Equal(CommandTable.ToHelp(), stdout.ReplaceLineEndings("\n"));
        foreach (var c in CommandTable.Commands)
            Assert.Contains("redleaf " + c.Usage + "\n", stdout.ReplaceLineEndings("\n"));
        Assert.Equal(stdout, CliTests.Redleaf("--help").Out); // the same text either way

        // `help table --print` is the README's section, byte for byte.
        (exit, stdout, stderr) = CliTests.Redleaf("help", "table", "--print");
        Assert.True(exit == 0, stderr);
        Assert.Equal(CommandTable.ToMarkdown(), stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void HelpTableRewritesOnlyItsSection()
    {
        string dir = Directory.CreateTempSubdirectory("redleaf-help-").FullName;
        try
        {
            string file = Path.Combine(dir, "README.md");
            File.WriteAllText(file, "# t\nbefore\n<!-- commands:begin -->\n| stale |\n<!-- commands:end -->\nafter\n<!-- results:begin -->\nkept\n<!-- results:end -->\n");
            var (exit, _, stderr) = CliTests.Redleaf("help", "table", "--readme", file);
            Assert.True(exit == 0, stderr);
            Assert.Contains("command table regenerated", stderr);
            string text = File.ReadAllText(file);
            Assert.Equal("# t\nbefore\n<!-- commands:begin -->\n" + CommandTable.ToMarkdown() + "<!-- commands:end -->\nafter\n<!-- results:begin -->\nkept\n<!-- results:end -->\n", text);
            (exit, _, stderr) = CliTests.Redleaf("help", "table", "--readme", file);
            Assert.True(exit == 0, stderr);
            Assert.Contains("already up to date", stderr);

            File.WriteAllText(file, "# no markers\n");
            (exit, _, stderr) = CliTests.Redleaf("help", "table", "--readme", file);
            Assert.Equal(1, exit);
            Assert.Contains("has no commands section", stderr);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void EveryCommandProgramDispatchesIsDescribedAndNoOther()
    {
        // Program.cs's switch arms: `"word" => ...Command.Run(cli)`.
        string program = File.ReadAllText(Path.Combine(DomainTree.Root, "kernel-ext", "RedLeaf.Cli", "Program.cs"));
        var dispatched = Regex.Matches(program, @"""([a-z0-9-]+)""\s*=>").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
        Assert.True(dispatched.Count >= 10, $"found only {dispatched.Count} commands in Program.cs's dispatch: has its form changed?");
        Assert.Equal(dispatched, CommandTable.Words.Order(StringComparer.Ordinal).ToList());
    }
}

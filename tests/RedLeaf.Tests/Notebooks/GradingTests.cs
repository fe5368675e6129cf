// tests/Notebooks: the handouts grade honestly. For each handout: the blank handout scores below full,
// a plausible wrong answer scores partial, and the solution (Solutions/*.cell, kept here, not in the
// handout) scores full. Student copies are written outside the repository, as submissions would be.
using System.Text.Json.Nodes;
using RedLeaf.Runner;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
[Collection(NotebookCollection.Name)]
public class GradingTests
{
    private static string Handout(string name) => Path.Combine(TestNotebook.Root, "notebooks", "handouts", name + ".ipynb");
    private static string Solution(string file) => File.ReadAllText(Path.Combine(TestNotebook.Root, "tests", "RedLeaf.Tests", "Notebooks", "Solutions", file));

    /// <summary>A copy of the handout with its exercise cells replaced (by the cells' "redleaf.exercise" tag).</summary>
    private static string Submit(string handout, IDictionary<string, string> answers)
    {
        var nb = JsonNode.Parse(File.ReadAllText(Handout(handout)))!;
        var seen = new HashSet<string>();
        foreach (var cell in nb["cells"]!.AsArray())
        {
            var tag = (string?)cell!["metadata"]?["redleaf"]?["exercise"];
            if (tag is not null && answers.TryGetValue(tag, out var code)) { cell["source"] = code; seen.Add(tag); }
        }
        Assert.Equal(answers.Keys.Order(), seen.Order());
        string path = Path.Combine(Directory.CreateTempSubdirectory("redleaf-student-").FullName, handout + ".ipynb");
        File.WriteAllText(path, nb.ToJsonString());
        return path;
    }

    private static Task<GradeReport> Grade(string path) => GradeReport.GradeAsync(path, new RunOptions { WriteOutputs = false });

    [Theory]
    [InlineData("01-write-a-domain", new[] { "stack" })]
    [InlineData("02-pass-data-without-copying", new[] { "buffers", "proof" })]
    [InlineData("03-shadow-driver", new[] { "shadow" })]
    public async Task BlankScoresBelowFullWrongScoresPartialSolutionScoresFull(string handout, string[] exercises)
    {
        var blank = await Grade(Handout(handout));
        Assert.True(blank.Total > 0, blank.Error);
        Assert.True(blank.Earned < blank.Total, $"the blank handout scored {blank.Earned}/{blank.Total}");

        var wrong = await Grade(Submit(handout, exercises.ToDictionary(e => e, e => Solution($"{handout}.{e}.wrong.cell"))));
        Assert.True(wrong.Earned > 0 && wrong.Earned < wrong.Total, $"the wrong answer scored {wrong.Earned}/{wrong.Total}: {string.Join("; ", wrong.Exercises.SelectMany(x => x.Notes))}");

        var right = await Grade(Submit(handout, exercises.ToDictionary(e => e, e => Solution($"{handout}.{e}.cell"))));
        Assert.True(right.Earned == right.Total, $"the solution scored {right.Earned}/{right.Total}: {string.Join("; ", right.Exercises.SelectMany(x => x.Notes))} {right.Error}");
        Assert.Equal(blank.Total, right.Total);
    }

    [Fact]
    public void GradePrintsScoresPerExerciseAndJson()
    {
        var (exit, stdout, stderr) = Cli.CliTests.Redleaf("grade", Handout("01-write-a-domain"), "--json", "-");
        Assert.True(exit == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        var report = json["reports"]!.AsArray().Single()!;
        Assert.Equal("homework 1: write a domain", (string?)report["handout"]);
        Assert.Equal(10, (int)report["total"]!);
        Assert.Equal(3, report["exercises"]!.AsArray().Count);
        Assert.Contains("push then pop", stderr); // the table goes to stderr when JSON is on stdout
    }
}

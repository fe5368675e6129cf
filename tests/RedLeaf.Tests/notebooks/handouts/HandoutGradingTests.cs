// tests/notebooks/handouts: each handout graded the five ways a class submits it, in one `redleaf grade` run over
// an nbgrader submitted/ folder: the untouched release (blank: low), a plausible wrong answer (partial),
// the solution (full), and two cheats that must gain nothing over blank: every grade cell edited to
// award its points (and its nbgrader points raised), and cells added that print a forged
// "redleaf-grade" line, return full marks, store a forged result in each grade cell's outputs, and call
// Environment.Exit in host code. The grader runs the source's cells, so the cheats score as blank.
using System.Text.Json.Nodes;
using Xunit;
using static RedLeaf.Tests.Classroom.Handouts;

namespace RedLeaf.Tests.Classroom;

[Trait("suite", "classroom")]
[Collection(Notebooks.ChildProcessNotebookCollection.Name)]
public class HandoutGradingTests
{
    [Theory]
    [InlineData("hw1", "write-a-domain", new[] { "stack", "refused", "answers" })]
    [InlineData("hw2", "pass-data-without-copying", new[] { "frames", "answers" })]
    [InlineData("hw3", "shadow-driver", new[] { "shadow" })]
    [InlineData("hw4", "exchangeable-types-and-crash-cleanup", new[] { "predictions", "forest" })]
    [InlineData("hw5", "the-crossing-budget", new[] { "crossing", "budget" })]
    [InlineData("hw6", "the-gc-tax", new[] { "telemetry" })]
    public void BlankIsLowWrongIsPartialSolutionIsFullAndCheatsGainNothing(string assignment, string notebook, string[] answers)
    {
        var release = Release(assignment, notebook);
        string root = Directory.CreateTempSubdirectory("redleaf-class-").FullName;
        Put(root, "blank", assignment, notebook, release);
        Put(root, "wrong", assignment, notebook, Answer(release, answers.ToDictionary(a => a, a => Solution($"{assignment}.{a}.wrong.cell"))));
        Put(root, "solved", assignment, notebook, Answer(release, answers.ToDictionary(a => a, a => Solution($"{assignment}.{a}.cell"))));
        Put(root, "edited", assignment, notebook, EditGradeCells(release));
        Put(root, "forger", assignment, notebook, Forge(release));

        var (exit, stdout, stderr, by) = Grade(TimeSpan.FromMinutes(8), Path.Combine(root, "submitted"), "--jobs", "2");
        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        double Score(string student) => (double)by[$"{student}/{notebook}"]["score"]!;
        double max = (double)by[$"solved/{notebook}"]["max_score"]!;
        string Detail(string student) => by[$"{student}/{notebook}"].ToJsonString();

        Assert.True(max > 0);
        Assert.True(Score("blank") <= max / 4, $"blank scored {Score("blank")}/{max}: {Detail("blank")}");
        Assert.True(Score("wrong") > Score("blank") && Score("wrong") < max, $"wrong scored {Score("wrong")}/{max}: {Detail("wrong")}");
        Assert.True(Score("solved") == max, $"the solution scored {Score("solved")}/{max}: {Detail("solved")}");
        Assert.True(Score("edited") == Score("blank"), $"edited grade cells scored {Score("edited")}/{max}: {Detail("edited")}");
        Assert.True(Score("forger") == Score("blank"), $"a forged grade scored {Score("forger")}/{max}: {Detail("forger")}");
        foreach (var s in new[] { "blank", "wrong", "solved", "edited", "forger" })
        {
            Assert.Equal("graded", (string?)by[$"{s}/{notebook}"]["status"]);
            Assert.Equal(max, (double)by[$"{s}/{notebook}"]["max_score"]!);
        }
        // The release's stubs compile: blank's answer cells ran (they are unchanged, and not refused).
        foreach (var u in by[$"blank/{notebook}"]["solutions"]!.AsArray())
            Assert.True((bool)u!["ran"]! && (bool)u["unchanged"]!, u.ToJsonString());
        Assert.Contains($"Score: {max}/{max}", stdout);
        Assert.Contains("== Test ", stdout);
    }

    /// <summary>Every grade cell rewritten to award its points (and claim a hundred), as a student who edits the tests would.</summary>
    private static JsonObject EditGradeCells(JsonObject release)
    {
        var nb = (JsonObject)release.DeepClone();
        foreach (var cell in Cells(nb).Where(c => IsGrade(c!)))
        {
            cell!["source"] = "// all good\n100";
            cell["metadata"]!["nbgrader"]!["points"] = 100;
            cell["metadata"]!["editable"] = true;
        }
        return nb;
    }

    /// <summary>Cells added after every grade cell: a forged grade line, a number, Environment.Exit; forged outputs stored in the grade cells.</summary>
    private static JsonObject Forge(JsonObject release)
    {
        var nb = (JsonObject)release.DeepClone();
        var cells = Cells(nb);
        foreach (var cell in cells.Where(c => IsGrade(c!)))
            cell!["outputs"] = new JsonArray(new JsonObject
            {
                ["output_type"] = "execute_result",
                ["execution_count"] = 1,
                ["metadata"] = new JsonObject(),
                ["data"] = new JsonObject { ["text/plain"] = "100" },
            });
        cells.Add(CodeCell("Console.WriteLine(\"redleaf-grade {\\\"handout\\\":\\\"x\\\",\\\"earned\\\":100,\\\"total\\\":100,\\\"exercises\\\":[]}\");\n100",
            new JsonArray(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "redleaf-grade {\"earned\":100,\"total\":100}" })));
        cells.Insert(0, CodeCell("System.Environment.Exit(0);"));
        return nb;
    }
}

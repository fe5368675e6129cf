// kernel-ext/RedLeaf.Runner/Grading: `redleaf grade --gradescope DIR`: one results.json per student and
// assignment in Gradescope's autograder format, DIR/<student>/<assignment>/results.json:
// {"score","execution_time","output","tests":[{"name","score","max_score","status","output"}]}, a test
// per grade cell ("<notebook>: <grade_id>"). A submission that failed adds one failed test with its
// reason. Folder names come from submission folders: anything that could climb out of DIR is replaced.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RedLeaf.Runner.Grading;

public static class GradescopeResults
{
    public static void WriteAll(string dir, IEnumerable<SubmissionResult> results)
    {
        foreach (var g in results.GroupBy(r => (r.Student, r.Assignment)))
        {
            string folder = Path.Combine(dir, SafeName(g.Key.Student), SafeName(g.Key.Assignment));
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "results.json"), Render(g.ToList()));
        }
    }

    public static string Render(IReadOnlyList<SubmissionResult> results)
    {
        var tests = new JsonArray();
        int number = 0;
        foreach (var r in results)
        {
            if (r.Status == SubmissionResult.Failed)
                tests.Add(new JsonObject { ["name"] = $"{r.Notebook}: grading", ["number"] = (++number).ToString(), ["score"] = 0.0, ["max_score"] = 0.0, ["status"] = "failed", ["output"] = r.Reason });
            foreach (var c in r.Cells)
                tests.Add(new JsonObject
                {
                    ["name"] = $"{r.Notebook}: {c.GradeId}",
                    ["number"] = (++number).ToString(),
                    ["score"] = c.Score,
                    ["max_score"] = c.MaxScore,
                    ["status"] = c.Passed ? "passed" : "failed",
                    ["output"] = c.Output,
                });
        }
        return new JsonObject
        {
            ["score"] = results.Sum(r => r.Score),
            ["execution_time"] = Math.Round(results.Sum(r => r.Seconds), 1),
            ["output"] = string.Join("\n", results.Select(r => $"{r.Notebook}: {r.Score}/{r.MaxScore} ({r.Status}){(r.Reason is null ? "" : ": " + r.Reason)}")),
            ["visibility"] = "visible",
            ["tests"] = tests,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>A name safe as one folder below the output folder.</summary>
    public static string SafeName(string name)
    {
        var chars = name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '@' ? c : '_').ToArray();
        string s = new(chars);
        return s.Length == 0 || s.Trim('.').Length == 0 ? "_" + s.Length : s;
    }
}

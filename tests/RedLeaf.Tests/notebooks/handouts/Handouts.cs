// tests/notebooks/handouts: what the grading tests share: the handouts' sources and releases, the solutions kept
// here (Solutions/), student submissions made from a release as a student would (answers pasted into
// the solution cells, or cheats), laid out as nbgrader's submitted/<student>/<assignment>/, and a run
// of `redleaf grade` over them read back from its --json.
using System.Text.Json.Nodes;
using RedLeaf.Tests.Notebooks;

namespace RedLeaf.Tests.Classroom;

internal static class Handouts
{
    public static string SourceRoot => Path.Combine(TestNotebook.Root, "notebooks", "handouts", "source");
    public static string ReleaseRoot => Path.Combine(TestNotebook.Root, "notebooks", "handouts", "release");

    public static JsonObject Release(string assignment, string notebook) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(ReleaseRoot, assignment, notebook + ".ipynb")))!;

    public static string Solution(string file) =>
        File.ReadAllText(Path.Combine(TestNotebook.Root, "tests", "RedLeaf.Tests", "notebooks", "handouts", "Solutions", file));

    public static JsonArray Cells(JsonObject nb) => nb["cells"]!.AsArray();

    public static string? GradeId(JsonNode cell) => (string?)cell["metadata"]?["nbgrader"]?["grade_id"];
    public static bool IsGrade(JsonNode cell) => (bool?)cell["metadata"]?["nbgrader"]?["grade"] == true;
    public static bool IsSolution(JsonNode cell) => (bool?)cell["metadata"]?["nbgrader"]?["solution"] == true;

    public static string Text(JsonNode cell) => cell["source"] is JsonArray a ? string.Concat(a.Select(l => (string?)l)) : (string?)cell["source"] ?? "";

    /// <summary>The release with each named solution cell's text replaced, as a student pastes an answer.</summary>
    public static JsonObject Answer(JsonObject release, IReadOnlyDictionary<string, string> answers)
    {
        var nb = (JsonObject)release.DeepClone();
        int found = 0;
        foreach (var cell in Cells(nb))
            if (GradeId(cell!) is { } id && answers.TryGetValue(id, out var text)) { cell!["source"] = text; found++; }
        if (found != answers.Count) throw new InvalidOperationException($"only {found} of {answers.Count} answers found a cell");
        return nb;
    }

    public static JsonObject CodeCell(string text, JsonArray? outputs = null) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = null,
        ["metadata"] = new JsonObject { ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" } },
        ["outputs"] = outputs ?? new JsonArray(),
        ["source"] = text,
    };

    /// <summary>Writes submitted/<student>/<assignment>/<notebook>.ipynb under <paramref name="root"/>.</summary>
    public static void Put(string root, string student, string assignment, string notebook, JsonObject nb)
    {
        string dir = Path.Combine(root, "submitted", student, assignment);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, notebook + ".ipynb"), nb.ToJsonString());
    }

    /// <summary>`redleaf grade` over a folder; the JSON it wrote, by student.</summary>
    public static (int Exit, string Out, string Err, Dictionary<string, JsonNode> ByStudent) Grade(TimeSpan limit, params string[] args)
    {
        string json = Path.Combine(Directory.CreateTempSubdirectory("redleaf-grades-").FullName, "grades.json");
        var (exit, stdout, stderr) = Cli.CliTests.RedleafWithin(limit, new[] { "grade" }.Concat(args).Concat(new[] { "--json", json }).ToArray());
        var by = File.Exists(json)
            ? JsonNode.Parse(File.ReadAllText(json))!["submissions"]!.AsArray().ToDictionary(s => (string)s!["student"]! + "/" + (string)s["notebook"]!, s => s!)
            : new Dictionary<string, JsonNode>();
        return (exit, stdout, stderr, by);
    }
}

// kernel-ext/RedLeaf.Runner: grading handouts: runs each submitted notebook (quick mode, going on
// past failing cells) and collects the "redleaf-grade {json}" lines its grade cells print. A notebook
// that never reached its grade cell scores nothing, with the first error as the reason.
using System.Text.Json.Nodes;
using RedLeaf.Notebook.Session;

namespace RedLeaf.Runner;

public sealed record ExerciseResult(string Name, int Earned, int Points, IReadOnlyList<string> Notes);

public sealed record GradeReport(string Notebook, string? Handout, int Earned, int Total, IReadOnlyList<ExerciseResult> Exercises, string? Error)
{
    public static async Task<GradeReport> GradeAsync(string notebook, RunOptions options)
    {
        var result = await new NotebookRunner(options with { KeepGoing = true, Quick = true }).RunAsync(notebook);
        var line = result.Cells.SelectMany(c => c.Outputs).SelectMany(o => o.Data.Values)
            .SelectMany(v => v.Split('\n')).Select(l => l.Trim())
            .LastOrDefault(l => l.StartsWith(Grade.LinePrefix, StringComparison.Ordinal));
        if (line is null)
            return new GradeReport(notebook, null, 0, 0, Array.Empty<ExerciseResult>(), result.ErrorSummary ?? "the notebook printed no grade (is its grade cell missing?)");
        var json = JsonNode.Parse(System.Net.WebUtility.HtmlDecode(line[Grade.LinePrefix.Length..]))!;
        var exercises = json["exercises"]!.AsArray().Select(e => new ExerciseResult(
            (string)e!["name"]!, (int)e["earned"]!, (int)e["points"]!, e["notes"]!.AsArray().Select(n => (string)n!).ToArray())).ToArray();
        return new GradeReport(notebook, (string?)json["handout"], (int)json["earned"]!, (int)json["total"]!, exercises, result.ErrorSummary);
    }

    public JsonObject ToJson() => new()
    {
        ["notebook"] = Notebook,
        ["handout"] = Handout,
        ["earned"] = Earned,
        ["total"] = Total,
        ["error"] = Error,
        ["exercises"] = new JsonArray(Exercises.Select(e => (JsonNode)new JsonObject
        {
            ["name"] = e.Name, ["earned"] = e.Earned, ["points"] = e.Points, ["notes"] = new JsonArray(e.Notes.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
        }).ToArray()),
    };
}

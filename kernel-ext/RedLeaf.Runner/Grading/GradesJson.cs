// kernel-ext/RedLeaf.Runner/Grading: `redleaf grade --json`: every submission with its score, status,
// reason and grade cells, {"submissions":[{"student","assignment","notebook","score","max_score",
// "status","reason","cells":[{"grade_id","score","max_score","output"}]}]}.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RedLeaf.Runner.Grading;

public static class GradesJson
{
    public static string Render(IEnumerable<SubmissionResult> results) => new JsonObject
    {
        ["submissions"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
        {
            ["student"] = r.Student,
            ["assignment"] = r.Assignment,
            ["notebook"] = r.Notebook,
            ["path"] = r.Path,
            ["score"] = r.Score,
            ["max_score"] = r.MaxScore,
            ["status"] = r.Status,
            ["reason"] = r.Reason,
            ["seconds"] = Math.Round(r.Seconds, 1),
            ["cells"] = new JsonArray(r.Cells.Select(c => (JsonNode)new JsonObject
            {
                ["grade_id"] = c.GradeId,
                ["score"] = c.Score,
                ["max_score"] = c.MaxScore,
                ["output"] = c.Output,
            }).ToArray()),
            ["solutions"] = new JsonArray(r.Solutions.Select(u => (JsonNode)new JsonObject
            {
                ["grade_id"] = u.GradeId,
                ["ran"] = u.Ran,
                ["unchanged"] = u.Unchanged,
                ["reason"] = u.Reason,
            }).ToArray()),
        }).ToArray()),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}

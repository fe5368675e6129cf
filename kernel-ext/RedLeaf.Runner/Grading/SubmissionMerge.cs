// kernel-ext/RedLeaf.Runner/Grading: what actually runs when a submission is graded. The notebook is
// rebuilt from the instructor's source, cell by cell: every cell that is not a solution cell is the
// source's own (hidden tests included), whatever the student did to it (edited, deleted, reordered,
// or cells added beside it, which are dropped); stored outputs are dropped everywhere. Only the text of
// solution cells comes from the student, matched by grade_id (or, for a cell that lost its metadata,
// by position), and only if it is still the domain, interface set or rv6 cell the source declared:
// the same first line (#!domain --name .. --grant ..), and no other magic or directive line that could
// switch the rest of the cell to host C#. Anything else runs the release's stub instead. So nothing a
// student writes runs as host code: it goes through the trusted compiler or the rv6 shell.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RedLeaf.Runner.Grading;

/// <summary>How one solution cell of a submission was used: its grade_id, whether the student's text
/// ran, whether it was unchanged from the release, and why not when it did not run.</summary>
public sealed record SolutionUse(string GradeId, int Cell, bool Ran, bool Unchanged, string? Reason, string Text);

public static partial class SubmissionMerge
{
    /// <summary>The notebook to run: <paramref name="source"/> (normalized) with the solution cells of
    /// <paramref name="submission"/> (null: a file that was not a notebook) accepted into it.</summary>
    public static (JsonObject Notebook, IReadOnlyList<SolutionUse> Solutions) Build(JsonObject source, JsonObject release, JsonObject? submission)
    {
        var graded = (JsonObject)source.DeepClone();
        var cells = Assignment.Cells(graded);
        var released = Assignment.Cells(release);
        var submitted = submission?["cells"] is JsonArray arr ? arr.Where(c => c is JsonObject).Select(c => c!).ToList() : new List<JsonNode>();
        var uses = new List<SolutionUse>();
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            if (Nbgrader.CellType(cell) == "code") { cell["outputs"] = new JsonArray(); cell["execution_count"] = null; }
            if (!Nbgrader.IsSolution(cell)) continue;
            string id = Nbgrader.GradeId(cell)!;
            string stub = Nbgrader.Source(released[i]);
            var theirs = submitted.FirstOrDefault(c => Nbgrader.GradeId(c) == id)
                ?? (i < submitted.Count && Nbgrader.GradeId(submitted[i]) is null ? submitted[i] : null);
            string? text = theirs is null ? null : Nbgrader.Source(theirs);
            string? refused = text is null ? "the cell is missing from the submission" : Refusal(text, Nbgrader.Source(cell));
            if (refused is not null)
            {
                Assignment.SetSource(cell, stub);
                uses.Add(new SolutionUse(id, i + 1, false, false, $"{refused}; the release's stub ran in its place", text ?? ""));
                continue;
            }
            Assignment.SetSource(cell, text!);
            uses.Add(new SolutionUse(id, i + 1, true, Nbgrader.Checksum(cell) == Nbgrader.Checksum(released[i]), null, text!));
        }
        return (graded, uses);
    }

    /// <summary>Why a student's text may not stand in for the source's solution cell, or null if it may.</summary>
    public static string? Refusal(string text, string sourceText)
    {
        string want = Assignment.FirstLine(sourceText);
        string first = Assignment.FirstLine(text);
        if (Assignment.Magic(text) is null)
            return $"the answer is not a {string.Join(", ", Assignment.SolutionMagics)} cell (it starts with '{Clip(first)}'), and only those are graded";
        if (first != want)
            return $"the cell's first line was changed to '{Clip(first)}' (it must stay '{want}')";
        var lines = text.Split('\n');
        int firstIndex = Array.FindIndex(lines, l => l.Trim().Length > 0);
        for (int n = firstIndex + 1; n < lines.Length; n++)
            if (Directive().IsMatch(lines[n]))
                return $"line {n + 1} ('{Clip(lines[n].Trim())}') is a magic command or directive, which would run outside the domain";
        return null;
    }

    private static string Clip(string s) => s.Length > 80 ? s[..80] + "..." : s;

    /// <summary>A .NET Interactive magic (#!csharp would run the rest as host code) or a script directive.</summary>
    [GeneratedRegex(@"^\s*#(!|(r|i|load)\b)")]
    private static partial Regex Directive();
}

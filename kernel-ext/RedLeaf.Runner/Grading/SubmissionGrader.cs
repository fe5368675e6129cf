// kernel-ext/RedLeaf.Runner/Grading: grades one submission, in the parent process: a working folder of
// its own, the notebook rebuilt from the source with only the student's solution cells in it
// (SubmissionMerge), run by a child process under the submission's time and memory limits
// (NotebookProcess), and the grade cells scored here from the outputs the child handed back (CellScore).
// Nothing the child does decides more than its cells' outputs: it never sees the other submissions, the
// source files or the grade outputs, and a child that dies or overruns scores 0 with the reason.
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RedLeaf.Runner.Grading;

public sealed record GradeOptions
{
    public NotebookLimits Limits { get; init; } = new() { Wall = TimeSpan.FromMinutes(10), MemoryBytes = 3L << 30 };

    /// <summary>The child's command line for a working folder and the notebook in it.</summary>
    public required Func<string, string, IReadOnlyList<string>> ChildCommand { get; init; }
}

public static class SubmissionGrader
{
    public static async Task<SubmissionResult> GradeAsync(Submission s, GradeOptions options)
    {
        var clock = Stopwatch.StartNew();
        SubmissionResult Fail(string reason, double max = 0, IReadOnlyList<CellScore>? cells = null, IReadOnlyList<SolutionUse>? uses = null) =>
            new(s.Student, s.Assignment, s.Notebook, s.Path, 0, max, SubmissionResult.Failed, reason,
                cells ?? Array.Empty<CellScore>(), uses ?? Array.Empty<SolutionUse>(), clock.Elapsed.TotalSeconds);

        if (s.Source is null) return Fail(s.Problem ?? "no source notebook");
        JsonObject source, release;
        try
        {
            source = Read(s.Source) ?? throw new InvalidDataException($"{s.Source}: not a notebook");
            Assignment.Normalize(source, s.Source);
            release = Assignment.Release(source, s.Source);
        }
        catch (InvalidDataException e) { return Fail($"the source cannot be graded from: {e.Message}"); }
        var gradeCells = Assignment.Cells(source).Select((c, i) => (Cell: c, Index: i)).Where(x => Nbgrader.IsGrade(x.Cell)).ToList();
        double max = gradeCells.Sum(x => Nbgrader.Points(x.Cell));
        var zero = gradeCells.Select(x => new CellScore(Nbgrader.GradeId(x.Cell)!, 0, Nbgrader.Points(x.Cell), "not graded", 0)).ToList();

        JsonObject? submitted;
        try { submitted = Read(s.Path); }
        catch (InvalidDataException e) { return Fail(e.Message, max, zero); }
        if (submitted is null) return Fail($"{s.Path}: not a valid Jupyter notebook", max, zero);

        var (notebook, uses) = SubmissionMerge.Build(source, release, submitted);
        string work = Directory.CreateTempSubdirectory("redleaf-grade-").FullName;
        try
        {
            string path = Path.Combine(work, s.Notebook + ".ipynb");
            await File.WriteAllTextAsync(path, notebook.ToJsonString());
            var outcome = await NotebookProcess.RunInAsync(path, work, options.ChildCommand(work, path), options.Limits);
            var ran = outcome.Reported ? ChildCells.Read(work) : null;
            if (ran is null)
                return Fail(outcome.Reason ?? "the grading process left no outputs", max, zero, uses);
            var byIndex = ran.GroupBy(c => c.Index).ToDictionary(g => g.Key, g => g.First());
            var unchanged = uses.Where(u => u.Unchanged).Select(u => u.Cell - 1).ToHashSet();
            var cells = gradeCells.Select(x => CellScore.Determine(Nbgrader.GradeId(x.Cell)!, Nbgrader.Points(x.Cell),
                byIndex.GetValueOrDefault(x.Index), Nbgrader.IsSolution(x.Cell) && unchanged.Contains(x.Index))).ToList();
            return new SubmissionResult(s.Student, s.Assignment, s.Notebook, s.Path, cells.Sum(c => c.Score), max,
                SubmissionResult.Graded, null, cells, uses, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>A notebook's JSON, or null when the file is not one; bounded in size.</summary>
    private static JsonObject? Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new InvalidDataException($"{path}: no such file");
        if (info.Length > 32L << 20) throw new InvalidDataException($"{path}: {info.Length >> 20} MiB is too large for a notebook (the bound is 32 MiB)");
        try { return JsonNode.Parse(File.ReadAllText(path)) is JsonObject o && o["cells"] is JsonArray ? o : null; }
        catch (JsonException) { return null; }
    }
}

// kernel-ext/RedLeaf.Runner/Grading: one submission graded: who, which notebook of which assignment,
// the score of each grade cell, and, for a submission that could not be graded to the end (its process
// crashed or ran out of time or memory, or the file was not a notebook), status "failed" with the
// reason and a score of 0. Solutions says how each solution cell was used (for feedback).
namespace RedLeaf.Runner.Grading;

public sealed record SubmissionResult(
    string Student, string Assignment, string Notebook, string Path,
    double Score, double MaxScore, string Status, string? Reason,
    IReadOnlyList<CellScore> Cells, IReadOnlyList<SolutionUse> Solutions, double Seconds)
{
    public const string Graded = "graded", Failed = "failed";
}

// kernel-ext/RedLeaf.Runner/Grading: one grade cell's score, decided as nbgrader's determine_grade does
// from the outputs the cell produced when the source's own copy of it ran: an error or any stderr scores
// 0; a result whose text/plain is a number gives that partial credit (bounded by the cell's points);
// otherwise full points. A grade cell that is also a solution cell scores 0 while its text is the
// release's. Nothing any other cell printed counts.
using System.Globalization;

namespace RedLeaf.Runner.Grading;

public sealed record CellScore(string GradeId, double Score, double MaxScore, string Output, double Seconds)
{
    public bool Passed => Score >= MaxScore;

    public static CellScore Determine(string gradeId, double points, ChildCell? ran, bool unchangedSolution)
    {
        if (ran is null) return new CellScore(gradeId, 0, points, "the cell did not run", 0);
        if (unchangedSolution) return new CellScore(gradeId, 0, points, "the answer is unchanged from the handout", ran.Seconds);
        string text = Text(ran);
        if (ran.Error is not null || ran.Outputs.Any(o => o.Kind is "error" or "stderr"))
            return new CellScore(gradeId, 0, points, text, ran.Seconds);
        foreach (var o in ran.Outputs.Where(o => o.Kind == "result"))
            if (o.Data.TryGetValue("text/plain", out var plain)
                && double.TryParse(plain.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double partial) && double.IsFinite(partial))
                return new CellScore(gradeId, Math.Clamp(partial, 0, points), points, text, ran.Seconds);
        return new CellScore(gradeId, points, points, text, ran.Seconds);
    }

    /// <summary>The cell's outputs as text: what the student sees in feedback.</summary>
    private static string Text(ChildCell c)
    {
        var parts = c.Outputs.Select(o => o.Data.TryGetValue("text/plain", out var t) ? t
            : o.Data.TryGetValue(o.Kind, out var s) ? s : "").Where(s => s.Length > 0).ToList();
        if (c.Error is not null && !parts.Contains(c.Error)) parts.Add(c.Error);
        string all = string.Join("\n", parts).TrimEnd();
        return all.Length > 4000 ? all[..4000] + "\n..." : all;
    }
}

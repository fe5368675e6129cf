// kernel-ext/RedLeaf.Runner/Grading: `redleaf grade --csv`: nbgrader's grades.csv (nbgrader export's
// columns), one row per student and assignment, the notebooks' scores added up. Columns we do not know
// (due date, names, email) are empty; the timestamp is the submission's timestamp.txt when nbgrader's
// layout has one; no late penalty is applied.
using System.Globalization;
using System.Text;

namespace RedLeaf.Runner.Grading;

public static class GradesCsv
{
    public const string Header = "assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,late_submission_penalty,score,max_score";

    public static string Render(IEnumerable<SubmissionResult> results)
    {
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var g in results.GroupBy(r => (r.Assignment, r.Student)).OrderBy(g => g.Key.Assignment, StringComparer.Ordinal).ThenBy(g => g.Key.Student, StringComparer.Ordinal))
        {
            double score = g.Sum(r => r.Score), max = g.Sum(r => r.MaxScore);
            sb.AppendJoin(',', new[]
            {
                Field(g.Key.Assignment), "", Field(Timestamp(g.First().Path)), Field(g.Key.Student), "", "", "",
                Num(score), Num(0), Num(score), Num(max),
            }).Append('\n');
        }
        return sb.ToString();
    }

    private static string Timestamp(string notebook)
    {
        string file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(notebook))!, "timestamp.txt");
        return File.Exists(file) && new FileInfo(file).Length < 200 ? File.ReadAllText(file).Trim() : "";
    }

    private static string Num(double x) => Nbgrader.PyFloat(x);

    /// <summary>A CSV field, quoted when needed; a leading =, +, - or @ is prefixed so a spreadsheet does not run it as a formula.</summary>
    private static string Field(string s)
    {
        if (s.Length > 0 && "=+-@".Contains(s[0])) s = "'" + s;
        return s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
    }
}

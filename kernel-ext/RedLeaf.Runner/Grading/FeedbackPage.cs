// kernel-ext/RedLeaf.Runner/Grading: `redleaf grade --feedback DIR`: one HTML page per submission,
// DIR/<student>/<assignment>/<notebook>.html: the score, each grade cell's points and output, and the
// student's answers as they ran (or why they did not). Everything that came from a submission or its
// run is escaped; the page carries a Content-Security-Policy that allows no script at all.
using System.Net;
using System.Text;

namespace RedLeaf.Runner.Grading;

public static class FeedbackPage
{
    public static void WriteAll(string dir, IEnumerable<SubmissionResult> results)
    {
        foreach (var r in results)
        {
            string folder = Path.Combine(dir, GradescopeResults.SafeName(r.Student), GradescopeResults.SafeName(r.Assignment));
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, GradescopeResults.SafeName(r.Notebook) + ".html"), Render(r));
        }
    }

    public static string Render(SubmissionResult r)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\">")
          .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
          .Append("<title>").Append(E($"{r.Assignment}/{r.Notebook}: {r.Student}")).Append("</title>")
          .Append("<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:24px auto;padding:0 16px}pre{background:#f6f8fa;padding:8px;white-space:pre-wrap}")
          .Append(".ok{color:#1b5e20}.fail{color:#b71c1c}td,th{padding:4px 10px;text-align:left;vertical-align:top}</style></head><body>");
        sb.Append("<h1>").Append(E($"{r.Assignment} / {r.Notebook}")).Append("</h1>")
          .Append("<p>").Append(E($"student {r.Student}: {r.Score} / {r.MaxScore} points ({r.Status})")).Append("</p>");
        if (r.Reason is not null) sb.Append("<p class=\"fail\">").Append(E(r.Reason)).Append("</p>");
        sb.Append("<h2>Tests</h2><table><tr><th>test</th><th>points</th><th>output</th></tr>");
        foreach (var c in r.Cells)
            sb.Append("<tr><td class=\"").Append(c.Passed ? "ok" : "fail").Append("\">").Append(E(c.GradeId)).Append("</td><td>")
              .Append(E($"{c.Score} / {c.MaxScore}")).Append("</td><td><pre>").Append(E(c.Output)).Append("</pre></td></tr>");
        sb.Append("</table><h2>Your answers</h2>");
        foreach (var u in r.Solutions)
        {
            sb.Append("<h3>").Append(E($"{u.GradeId} (cell {u.Cell})")).Append("</h3>");
            if (u.Reason is not null) sb.Append("<p class=\"fail\">").Append(E(u.Reason)).Append("</p>");
            else if (u.Unchanged) sb.Append("<p class=\"fail\">unchanged from the handout</p>");
            sb.Append("<pre>").Append(E(u.Text)).Append("</pre>");
        }
        return sb.Append("</body></html>").ToString();
    }
}

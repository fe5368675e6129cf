// kernel-ext/RedLeaf.Cli: `redleaf grade <handout.ipynb|folder>... [--json PATH|-] [--timeout S]`: runs
// each student's notebook headless and reports the score per exercise, for teaching assistants. The
// table goes to stdout (or stderr when --json - puts JSON on stdout). Exit 0 when every notebook
// was graded (low scores are not errors); 1 if one could not be graded at all.
using System.Text.Json;
using System.Text.Json.Nodes;
using RedLeaf.Runner;

namespace RedLeaf.Cli.Commands;

internal static class GradeCommand
{
    public static int Run(Args args)
    {
        var options = RunCommand.Options(args) with { WriteOutputs = false };
        string? json = args.Option("--json");
        var paths = RunCommand.Notebooks(args.Words.Skip(1));
        args.RejectUnknown();
        var table = json == "-" ? Console.Error : Console.Out;
        var reports = new List<GradeReport>();
        foreach (var (p, _) in paths)
        {
            Console.Error.WriteLine($"grading {p}");
            var r = GradeReport.GradeAsync(p, options).GetAwaiter().GetResult();
            reports.Add(r);
            table.WriteLine($"{p}: {r.Earned} / {r.Total}{(r.Handout is null ? "" : $" ({r.Handout})")}");
            foreach (var e in r.Exercises)
                table.WriteLine($"  {e.Name}: {e.Earned} / {e.Points}{(e.Notes.Count == 0 ? "" : "  " + string.Join("; ", e.Notes))}");
            if (r.Error is not null) table.WriteLine($"  error: {r.Error}");
        }
        if (json is not null)
        {
            var doc = new JsonObject { ["reports"] = new JsonArray(reports.Select(r => (JsonNode)r.ToJson()).ToArray()) };
            string text = doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            if (json == "-") Console.Out.WriteLine(text);
            else File.WriteAllText(json, text);
        }
        return reports.Any(r => r.Handout is null) ? 1 : 0;
    }
}

// kernel-ext/RedLeaf.Cli: `redleaf grade PATH... [--source DIR] [--jobs N] [--json PATH|-] [--csv PATH]
// [--gradescope DIR] [--feedback DIR] [--timeout S] [--notebook-timeout S] [--memory MB]`: grades a
// class. PATH is nbgrader's submitted/ folder (submitted/<student>/<assignment>/<notebook>.ipynb) or
// loose notebooks; each is graded against its source (default notebooks/handouts/source) in a child
// process of its own, N at a time, under per-submission limits (cell 120 s, submission 600 s, memory
// 3072 MB by default); a submission that crashes or hangs scores 0 with its reason and the others go
// on. Console output follows the xv6 labs' grade script (to stderr when --json - takes stdout); every
// file is written here, by the parent, once all are graded. Exit 0 when every submission was graded
// (low scores are not errors), 1 if any failed, 2 for a usage error. `--child DIR NOTEBOOK` is the
// child's side: run the rebuilt notebook, every cell, and leave its outputs in DIR.
using System.Globalization;
using RedLeaf.Runner;
using RedLeaf.Runner.Grading;

namespace RedLeaf.Cli.Commands;

internal static class GradeCommand
{
    public const double DefaultCellTimeout = 120, DefaultSubmissionTimeout = 600, DefaultMemoryMb = 3072;

    public static int Run(Args args)
    {
        double cellTimeout = RunCommand.Seconds(args, "--timeout", DefaultCellTimeout);
        if (args.Option("--child") is { } childFolder) return RunChild(args, childFolder, cellTimeout);
        string source = args.Option("--source") ?? Path.Combine(RedLeaf.Os.Compiler.DomainTree.Root, "notebooks", "handouts", "source");
        int jobs = (int)RunCommand.Seconds(args, "--jobs", Math.Max(1, Environment.ProcessorCount / 2));
        string? json = args.Option("--json"), csv = args.Option("--csv"), gradescope = args.Option("--gradescope"), feedback = args.Option("--feedback");
        var limits = new NotebookLimits
        {
            Wall = TimeSpan.FromSeconds(RunCommand.Seconds(args, "--notebook-timeout", DefaultSubmissionTimeout)),
            MemoryBytes = (long)(RunCommand.Seconds(args, "--memory", DefaultMemoryMb) * (1 << 20)),
        };
        var words = args.Words.Skip(1).ToList();
        args.RejectUnknown();
        if (words.Count == 0) throw new UsageException("name a submitted/ folder or submitted notebooks to grade");
        List<Submission> submissions;
        try { submissions = Submission.Find(words, source); }
        catch (FileNotFoundException e) { throw new UsageException(e.Message); }
        catch (DirectoryNotFoundException e) { throw new UsageException(e.Message); }
        if (submissions.Count == 0) throw new UsageException($"no notebooks (.ipynb) in {string.Join(", ", words)}");

        var console = json == "-" ? Console.Error : Console.Out;
        var options = new GradeOptions
        {
            Limits = limits,
            ChildCommand = (folder, notebook) => Child.Command(new[]
            {
                "grade", "--child", folder, "--timeout", cellTimeout.ToString(CultureInfo.InvariantCulture), notebook,
            }),
        };
        var results = new SubmissionResult[submissions.Count];
        var gate = new object();
        Parallel.ForEachAsync(Enumerable.Range(0, submissions.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs) }, async (i, _) =>
        {
            var r = await SubmissionGrader.GradeAsync(submissions[i], options);
            results[i] = r;
            lock (gate) { console.Write(Report(r)); console.Flush(); }
        }).GetAwaiter().GetResult();

        double total = results.Sum(r => r.Score), max = results.Sum(r => r.MaxScore);
        int failed = results.Count(r => r.Status == SubmissionResult.Failed);
        console.WriteLine($"graded {results.Length - failed} of {results.Length} submissions ({failed} failed); {Num(total)}/{Num(max)} points in all");
        if (json == "-") Console.Out.WriteLine(GradesJson.Render(results));
        else if (json is not null) File.WriteAllText(json, GradesJson.Render(results));
        if (csv is not null) File.WriteAllText(csv, GradesCsv.Render(results));
        if (gradescope is not null) GradescopeResults.WriteAll(gradescope, results);
        if (feedback is not null) FeedbackPage.WriteAll(feedback, results);
        return failed == 0 ? 0 : 1;
    }

    /// <summary>One submission as the xv6 labs' grade script prints a run.</summary>
    private static string Report(SubmissionResult r)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"== Grading {r.Student}/{r.Assignment}/{r.Notebook} ==");
        foreach (var c in r.Cells)
        {
            sb.AppendLine($"== Test {c.GradeId} == {c.GradeId}: {(c.Passed ? "OK" : "FAIL")} ({c.Seconds:F1}s)");
            if (!c.Passed)
            {
                sb.AppendLine($"    {Num(c.Score)}/{Num(c.MaxScore)} points");
                foreach (var line in c.Output.Split('\n').Where(l => l.Trim().Length > 0).Take(4))
                    sb.AppendLine("    " + (line.Length > 160 ? line[..160] + "..." : line.TrimEnd()));
            }
        }
        foreach (var u in r.Solutions.Where(u => u.Reason is not null)) sb.AppendLine($"    answer {u.GradeId}: {u.Reason}");
        if (r.Reason is not null) sb.AppendLine($"    failed: {r.Reason}");
        sb.AppendLine($"Score: {Num(r.Score)}/{Num(r.MaxScore)}");
        return sb.ToString();
    }

    private static string Num(double x) => x.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The child's side: every cell of the rebuilt notebook, in this process; outputs to the folder.</summary>
    private static int RunChild(Args args, string folder, double cellTimeout)
    {
        var path = args.Words.Skip(1).SingleOrDefault() ?? throw new UsageException("--child grades exactly one notebook");
        args.RejectUnknown();
        using var cells = new StreamWriter(Path.Combine(folder, ChildReport.CellsFileName)) { AutoFlush = true };
        var runner = new NotebookRunner(new RunOptions
        {
            Quick = true,
            KeepGoing = true,
            WriteOutputs = false,
            CellTimeout = TimeSpan.FromSeconds(cellTimeout),
            CellStarting = n => cells.WriteLine(n),
        });
        var result = runner.RunAsync(path).GetAwaiter().GetResult();
        ChildCells.Write(folder, result.Cells);
        ChildReport.From(result).Write(folder);
        Console.Out.Flush();
        if (runner.Abandoned) Environment.Exit(1);
        return 0;
    }
}

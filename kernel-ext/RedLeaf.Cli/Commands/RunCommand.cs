// kernel-ext/RedLeaf.Cli: `redleaf run <notebook|folder>... [--out DIR] [--quick] [--timeout SECONDS]
// [--notebook-timeout SECONDS] [--memory MB] [-p NAME VALUE]... [-f PARAMS.json]`: executes notebooks headless, each in a process of its own
// (NotebookProcess), writes each executed .ipynb and an HTML page, shows progress on stderr, prints an
// `ok`/`FAIL` line per notebook and a summary of all of them, and exits 0 only if every notebook passed
// (1 if any failed, 2 for a usage error). A folder's release/ handouts (student copies whose stubs fail
// by design) are left out unless named directly. Parameters follow papermill (see RedLeaf.Runner/Parameters). `--child DIR` is the child's side: one notebook, in
// this process, its report written to DIR.
using System.Globalization;
using RedLeaf.Runner;

namespace RedLeaf.Cli.Commands;

internal static class RunCommand
{
    public const double DefaultCellTimeout = 300, DefaultNotebookTimeout = 3600, DefaultMemoryMb = 6144;

    public static int Run(Args args)
    {
        var options = Options(args);
        if (args.Option("--child") is { } childFolder) return RunChild(args, options, childFolder);
        var limits = Limits(args);
        var paths = Notebooks(args.Words.Skip(1));
        args.RejectUnknown();
        var outcomes = new List<ChildOutcome>();
        for (int i = 0; i < paths.Count; i++)
        {
            var (path, below) = paths[i];
            Console.Error.WriteLine($"[{i + 1}/{paths.Count}] {path}");
            // Notebooks found in a folder keep their place below it (handouts/x.html), so names never collide.
            string outFolder = Path.GetFullPath(Path.Combine(options.OutputFolder, below));
            var r = NotebookProcess.RunAsync(path, folder => Child.Command(ChildArgs(folder, outFolder, options, path)), limits,
                line => Console.Error.WriteLine(line)).GetAwaiter().GetResult();
            outcomes.Add(r);
            Console.Out.WriteLine(r.Passed ? $"ok    {path} ({r.CellsRun} cells, {r.Elapsed.TotalSeconds:F1} s) -> {r.Page}" : $"FAIL  {path}: {r.Summary}");
            Console.Out.Flush();
        }
        int failed = outcomes.Count(o => !o.Passed);
        Console.Out.WriteLine();
        Console.Out.WriteLine($"summary: {outcomes.Count - failed} of {outcomes.Count} notebooks passed");
        foreach (var o in outcomes)
            Console.Out.WriteLine($"  {(o.Passed ? "ok  " : "FAIL")}  {o.Path} ({o.Elapsed.TotalSeconds:F1} s){(o.Passed ? "" : ": " + o.Summary)}");
        return failed == 0 ? 0 : 1;
    }

    private static IEnumerable<string> ChildArgs(string folder, string outFolder, RunOptions options, string path)
    {
        yield return "run";
        yield return "--child"; yield return folder;
        yield return "--out"; yield return outFolder;
        yield return "--timeout"; yield return options.CellTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        if (options.Quick) yield return "--quick";
        if (options.Parameters.Count > 0)
        {
            // Typed values travel as JSON, so the child reads exactly what the parent parsed.
            string file = Path.Combine(folder, "parameters.json");
            File.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(options.Parameters.ToDictionary(p => p.Name, p => RedLeaf.Runner.Parameters.NotebookParameter.ToMetadata(p.Value))));
            yield return "-f"; yield return file;
        }
        yield return Path.GetFullPath(path);
    }

    /// <summary>The child's side: one notebook in this process; its report (or its error) goes to the folder.</summary>
    private static int RunChild(Args args, RunOptions options, string folder)
    {
        var path = args.Words.Skip(1).SingleOrDefault() ?? throw new UsageException("--child runs exactly one notebook");
        args.RejectUnknown();
        using var cells = new StreamWriter(Path.Combine(folder, ChildReport.CellsFileName)) { AutoFlush = true };
        var runner = new NotebookRunner(options with { CellStarting = n => cells.WriteLine(n) });
        ChildReport report;
        try
        {
            report = ChildReport.From(runner.RunAsync(path).GetAwaiter().GetResult());
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            report = new ChildReport(false, e.Message, 0, 0, null, null); // the message names the file
        }
        report.Write(folder);
        Console.Out.Flush();
        // A cell that could not be stopped still runs on its thread: end the process rather than wait on it.
        if (runner.Abandoned) Environment.Exit(1);
        return 0;
    }

    internal static RunOptions Options(Args args)
    {
        double seconds = Seconds(args, "--timeout", DefaultCellTimeout);
        var parameters = new List<RedLeaf.Runner.Parameters.NotebookParameter>();
        if (args.Option("-f") is { } file)
        {
            if (!File.Exists(file)) throw new UsageException($"-f: no parameters file at '{file}'");
            parameters.AddRange(RedLeaf.Runner.Parameters.NotebookParameter.FromJsonFile(file));
        }
        try
        {
            foreach (var (name, value) in args.Pairs("-p"))
            {
                parameters.RemoveAll(p => p.Name == name); // -p after -f wins, as in papermill
                parameters.Add(RedLeaf.Runner.Parameters.NotebookParameter.FromText(name, value));
            }
        }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        return new RunOptions
        {
            Parameters = parameters,
            OutputFolder = args.Option("--out") ?? Path.Combine("artifacts", "notebooks"),
            Quick = args.Flag("--quick"),
            CellTimeout = TimeSpan.FromSeconds(seconds),
            Progress = line => Console.Error.WriteLine("  " + line),
        };
    }

    internal static NotebookLimits Limits(Args args) => new()
    {
        Wall = TimeSpan.FromSeconds(Seconds(args, "--notebook-timeout", DefaultNotebookTimeout)),
        MemoryBytes = (long)(Seconds(args, "--memory", DefaultMemoryMb) * (1 << 20)),
    };

    internal static double Seconds(Args args, string option, double fallback)
    {
        var text = args.Option(option);
        if (text is null) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || v <= 0)
            throw new UsageException($"{option} needs a positive number, not '{text}'");
        return v;
    }

    /// <summary>Notebook files and the .ipynb files in folders (sorted), each checked to exist, with the
    /// subfolder each stands in below the folder named ("" for files named directly). Inside a folder,
    /// `release/` handouts (student copies, failing by design until answered) and checkpoints are skipped.</summary>
    internal static List<(string Path, string Below)> Notebooks(IEnumerable<string> words)
    {
        var list = new List<(string, string)>();
        foreach (var w in words)
        {
            if (Directory.Exists(w))
                list.AddRange(Directory.GetFiles(w, "*.ipynb", SearchOption.AllDirectories)
                    .Where(p => !p.Contains(".ipynb_checkpoints", StringComparison.Ordinal))
                    .Where(p => !Path.GetRelativePath(w, p).Split(Path.DirectorySeparatorChar).Contains("release"))
                    .Order(StringComparer.Ordinal)
                    .Select(p => (p, Path.GetDirectoryName(Path.GetRelativePath(w, p)) ?? "")));
            else if (File.Exists(w)) list.Add((w, ""));
            else throw new UsageException($"no notebook or folder at '{w}'");
        }
        if (list.Count == 0) throw new UsageException("name at least one notebook (.ipynb) or folder of notebooks");
        return list;
    }
}

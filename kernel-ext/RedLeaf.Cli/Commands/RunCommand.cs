// kernel-ext/RedLeaf.Cli: `redleaf run <notebook|folder>... [--out DIR] [--quick] [--timeout SECONDS]`:
// executes notebooks headless (in this process), writes each executed .ipynb and an HTML page, shows
// progress on stderr, and exits 1 naming the notebook and cell of the first error.
using System.Globalization;
using RedLeaf.Runner;

namespace RedLeaf.Cli.Commands;

internal static class RunCommand
{
    public static int Run(Args args)
    {
        var options = Options(args);
        var paths = Notebooks(args.Words.Skip(1));
        args.RejectUnknown();
        var failures = new List<string>();
        for (int i = 0; i < paths.Count; i++)
        {
            Console.Error.WriteLine($"[{i + 1}/{paths.Count}] {paths[i].Path}");
            // Notebooks found in a folder keep their place below it (handouts/x.html), so names never collide.
            var runner = new NotebookRunner(options with { OutputFolder = Path.Combine(options.OutputFolder, paths[i].Below) });
            var r = runner.RunAsync(paths[i].Path).GetAwaiter().GetResult();
            if (r.Succeeded)
                Console.Out.WriteLine($"ok    {paths[i].Path} ({r.Cells.Count} cells, {r.Elapsed.TotalSeconds:F1} s) -> {r.Page}");
            else
            {
                Console.Out.WriteLine($"FAIL  {r.ErrorSummary}");
                failures.Add(r.ErrorSummary!);
            }
            if (runner.Abandoned)
            {
                Console.Error.WriteLine("redleaf run: a cell could not be stopped; not running further notebooks");
                Console.Out.Flush();
                Environment.Exit(1); // its thread still runs: end the process rather than wait on it
            }
        }
        if (failures.Count == 0) return 0;
        Console.Error.WriteLine($"redleaf run: {failures.Count} of {paths.Count} notebooks failed; first error: {failures[0]}");
        return 1;
    }

    internal static RunOptions Options(Args args)
    {
        var timeout = args.Option("--timeout");
        double seconds = 300;
        if (timeout is not null && (!double.TryParse(timeout, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) || seconds <= 0))
            throw new UsageException($"--timeout needs a positive number of seconds, not '{timeout}'");
        return new RunOptions
        {
            OutputFolder = args.Option("--out") ?? Path.Combine("artifacts", "notebooks"),
            Quick = args.Flag("--quick"),
            CellTimeout = TimeSpan.FromSeconds(seconds),
            Progress = line => Console.Error.WriteLine("  " + line),
        };
    }

    /// <summary>Notebook files and the .ipynb files in folders (sorted), each checked to exist, with the
    /// subfolder each stands in below the folder named ("" for files named directly).</summary>
    internal static List<(string Path, string Below)> Notebooks(IEnumerable<string> words)
    {
        var list = new List<(string, string)>();
        foreach (var w in words)
        {
            if (Directory.Exists(w))
                list.AddRange(Directory.GetFiles(w, "*.ipynb", SearchOption.AllDirectories)
                    .Where(p => !p.Contains(".ipynb_checkpoints", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
                    .Select(p => (p, Path.GetDirectoryName(Path.GetRelativePath(w, p)) ?? "")));
            else if (File.Exists(w)) list.Add((w, ""));
            else throw new UsageException($"no notebook or folder at '{w}'");
        }
        if (list.Count == 0) throw new UsageException("name at least one notebook (.ipynb) or folder of notebooks");
        return list;
    }
}

// kernel-ext/RedLeaf.Runner: runs one notebook in a process of its own and watches it from outside, so
// nothing a notebook does can take the run down: Environment.Exit in a cell, a stack overflow, a host
// cell that loops forever, memory without end, a file that is not a notebook. The child (the redleaf
// tool in its --child mode) runs the notebook as NotebookRunner always has and leaves a ChildReport in
// a private folder; the parent forwards the child's progress lines, enforces the NotebookLimits (wall
// time, resident memory; the managed heap through the child's GC hard limit) and, when the child dies
// without a report, says how and in which cell (the child notes each cell it starts).
using System.Diagnostics;

namespace RedLeaf.Runner;

public static class NotebookProcess
{
    /// <summary>Runs <paramref name="notebook"/> with the child command <paramref name="argv"/> (file, then
    /// arguments), made for the private folder the child must report into.</summary>
    public static async Task<ChildOutcome> RunAsync(string notebook, Func<string, IReadOnlyList<string>> argv, NotebookLimits limits,
        Action<string>? progress = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        string folder = Directory.CreateTempSubdirectory("redleaf-child-").FullName;
        try { return await RunInAsync(notebook, folder, argv(folder), limits, progress, environment); }
        finally { try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { } }
    }

    /// <summary>As RunAsync, in a folder the caller made and keeps (a submission's working folder: the
    /// child reports into it, the caller reads what else it left there).</summary>
    public static async Task<ChildOutcome> RunInAsync(string notebook, string folder, IReadOnlyList<string> argv, NotebookLimits limits,
        Action<string>? progress = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        string name = Path.GetFileName(notebook);
        var psi = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in argv.Skip(1)) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_GCHeapHardLimit"] = "0x" + limits.ManagedHeapBytes.ToString("x");
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;

        var clock = Stopwatch.StartNew();
        using var child = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {argv[0]}");
        child.StandardInput.Close(); // a cell that reads the console gets end of input, not a hang
        var tail = new Queue<string>();
        bool overflowed = false;
        void Keep(string line) { lock (tail) { tail.Enqueue(line); if (tail.Count > 20) tail.Dequeue(); } }
        var errors = Pump(child.StandardError, line =>
        {
            // The runtime's last words on a stack overflow are the message and thousands of frames: keep the
            // fact, forward neither the frames nor their repeats.
            if (line.StartsWith("Stack overflow", StringComparison.Ordinal)) overflowed = true;
            if (overflowed || line.StartsWith("   at ", StringComparison.Ordinal)) return;
            Keep(line);
            progress?.Invoke(line);
        });
        var output = Pump(child.StandardOutput, Keep); // cells' own console output is captured by the kernel; anything else is kept for the reason

        string? killedFor = null;
        long peak = 0;
        while (!child.WaitForExit(200))
        {
            try { child.Refresh(); peak = Math.Max(peak, child.WorkingSet64); }
            catch (InvalidOperationException) { break; }
            if (clock.Elapsed > limits.Wall) killedFor = $"ran past the notebook's time limit of {limits.Wall.TotalSeconds:F0} s";
            else if (peak > limits.MemoryBytes) killedFor = $"used more than the notebook's memory limit of {limits.MemoryBytes >> 20} MiB ({peak >> 20} MiB resident)";
            if (killedFor is null) continue;
            try { child.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            child.WaitForExit(5000);
            break;
        }
        await Task.WhenAll(errors, output).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        var elapsed = clock.Elapsed;

        int? cell = ChildReport.LastCellStarted(folder);
        string where = cell is { } c ? $"{name}, cell {c}" : name;
        var report = killedFor is null ? ChildReport.Read(folder) : null;
        if (report is not null)
            return new ChildOutcome(notebook, report.Passed, report.Error is null ? null : report.Error, report.CellsRun, elapsed, report.Page) { Reported = true };

        string reason = killedFor ?? Died(child.ExitCode, overflowed, Tail(tail));
        return new ChildOutcome(notebook, false, $"{where}: {reason}", cell ?? 0, elapsed, null);
    }

    /// <summary>Why a child that wrote no report ended, from its exit code and last lines.</summary>
    private static string Died(int exitCode, bool overflowed, string tail)
    {
        if (overflowed) return $"the notebook's process died of a stack overflow (exit code {exitCode})";
        string said = tail.Length == 0 ? "" : $"; its last words: {tail}";
        if (exitCode is 134 or 137 or 139 || exitCode < 0)
            return $"the notebook's process crashed (exit code {exitCode}){said}";
        return $"the notebook's process ended before the notebook did (exit code {exitCode}: Environment.Exit or a crash in host code){said}";
    }

    private static string Tail(Queue<string> tail)
    {
        lock (tail)
        {
            var lines = tail.Where(l => !string.IsNullOrWhiteSpace(l)).TakeLast(3).Select(l => l.Trim());
            string s = string.Join(" | ", lines);
            return s.Length > 400 ? s[..400] + "..." : s;
        }
    }

    private static async Task Pump(StreamReader reader, Action<string> line)
    {
        while (await reader.ReadLineAsync() is { } l) line(l);
    }
}

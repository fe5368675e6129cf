// kernel-ext/RedLeaf.Runner/Parameters: what an executed notebook records of its run, in papermill's
// shapes so tools that read papermill's output read ours: the notebook's `metadata.papermill`
// (parameters, default_parameters, environment_variables, version, input_path, output_path, start_time,
// end_time, duration, exception) and each cell's `metadata.papermill` (status completed|failed|pending,
// start_time, end_time, duration, exception); and beside it `metadata.redleaf`, the environment a reader
// needs to reproduce the numbers: the commit and whether the tree was dirty, .NET and package versions,
// the machine, its clock, quick mode.
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.DotNet.Interactive.Documents;
using RedLeaf.Hardware;

namespace RedLeaf.Runner.Parameters;

public static class PapermillRecord
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static void Cell(InteractiveDocumentElement cell, string status, DateTimeOffset? start, DateTimeOffset? end, bool exception)
    {
        cell.Metadata ??= new Dictionary<string, object>();
        cell.Metadata["papermill"] = new Dictionary<string, object?>
        {
            ["status"] = status,
            ["start_time"] = start is { } s ? Time(s) : null,
            ["end_time"] = end is { } e ? Time(e) : null,
            ["duration"] = start is { } s2 && end is { } e2 ? (e2 - s2).TotalSeconds : null,
            ["exception"] = exception ? true : null,
        };
    }

    public static void Notebook(InteractiveDocument doc, IReadOnlyList<NotebookParameter> parameters, string input, string? output,
        DateTimeOffset start, DateTimeOffset end, bool exception, bool quick)
    {
        doc.Metadata["papermill"] = new Dictionary<string, object?>
        {
            ["parameters"] = parameters.ToDictionary(p => p.Name, p => NotebookParameter.ToMetadata(p.Value)),
            ["default_parameters"] = new Dictionary<string, object?>(), // papermill infers them for Python only
            ["environment_variables"] = new Dictionary<string, object?>(),
            ["version"] = null, // not papermill itself: see metadata.redleaf
            ["input_path"] = input,
            ["output_path"] = output,
            ["start_time"] = Time(start),
            ["end_time"] = Time(end),
            ["duration"] = (end - start).TotalSeconds,
            ["exception"] = exception ? true : null,
        };
        doc.Metadata["redleaf"] = Environment(quick);
    }

    private static Dictionary<string, object?> Environment(bool quick)
    {
        var machine = MachineDescription.Current;
        var clock = Tsc.Info;
        var (commit, dirty) = Git();
        return new Dictionary<string, object?>
        {
            ["commit"] = commit,
            ["dirty"] = dirty,
            ["dotnet"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["packages"] = new[] { "Microsoft.DotNet.Interactive", "Microsoft.DotNet.Interactive.CSharp", "Plotly.NET", "Microsoft.CodeAnalysis.CSharp" }
                .ToDictionary(n => n, n => (object?)Version(n)),
            ["machine"] = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(machine.ToJsonObject().ToJsonString()),
            ["clock"] = new Dictionary<string, object?> { ["source"] = clock.Source, ["hz"] = Math.Round(clock.Hz), ["note"] = clock.Note },
            ["quick"] = quick,
            ["tiered_pgo"] = RedLeaf.Os.Microkernel.TieredPgoOn,
        };
    }

    private static string? Version(string assembly)
    {
        var a = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(x => x.GetName().Name == assembly);
        return a?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0] ?? a?.GetName().Version?.ToString();
    }

    /// <summary>The repository's commit and whether its tree had changes (null when git is not there).</summary>
    private static (string? Commit, bool? Dirty) Git()
    {
        string root;
        try { root = RedLeaf.Os.Compiler.DomainTree.Root; } catch (DirectoryNotFoundException) { return (null, null); }
        string? Run(params string[] args)
        {
            try
            {
                var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
                foreach (var a in args) psi.ArgumentList.Add(a);
                using var p = Process.Start(psi)!;
                string text = p.StandardOutput.ReadToEnd();
                return p.WaitForExit(10_000) && p.ExitCode == 0 ? text : null;
            }
            catch (System.ComponentModel.Win32Exception) { return null; }
        }
        string? commit = Run("rev-parse", "HEAD")?.Trim();
        string? status = commit is null ? null : Run("status", "--porcelain", "--untracked-files=no");
        return (commit, status is null ? null : status.Length > 0);
    }
}

// kernel-ext/RedLeaf.Runner: runs .ipynb notebooks in this process with .NET Interactive's C# kernel
// (no Python, no Jupyter): cell by cell, each with a timeout, collecting outputs as Jupyter would
// store them; writes the executed notebook and a standalone HTML page. Stops a notebook at its first
// failing cell. A cell that overruns its timeout is stopped by killing the domains running in the
// current RedLeaf kernel (their callers get an RpcResult error and the cell finishes); only if that
// does not free the cell is it abandoned. Console capture and formatters are process-wide, so
// notebooks run one at a time.
using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using RedLeaf.Notebook.Session;
using RedLeaf.Os.Domains;
using RedLeaf.Runner.Parameters;
using DocKernelInfo = Microsoft.DotNet.Interactive.Documents.KernelInfo;

namespace RedLeaf.Runner;

public sealed class NotebookRunner
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public NotebookRunner(RunOptions options) => Options = options;

    public RunOptions Options { get; }

    /// <summary>True once a cell could not be stopped: its thread still runs, the process should exit.</summary>
    public bool Abandoned { get; private set; }

    public static KernelInfoCollection KernelInfos()
    {
        var infos = new KernelInfoCollection { new DocKernelInfo("csharp", "C#", new[] { "c#", "C#" }), new DocKernelInfo("domain", "C#") };
        infos.DefaultKernelName = "csharp";
        return infos;
    }

    public static async Task<InteractiveDocument> ReadAsync(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"notebook not found: {path}", path);
        try
        {
            await using var s = File.OpenRead(path);
            return Microsoft.DotNet.Interactive.Documents.Jupyter.Notebook.Read(s, KernelInfos());
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{path}: not a valid Jupyter notebook: {e.Message}", e);
        }
    }

    public async Task<NotebookResult> RunAsync(string path)
    {
        var doc = await ReadAsync(path);
        foreach (var warning in Parameterizer.Inject(doc, Options.Parameters)) Options.Progress?.Invoke($"{Path.GetFileName(path)}: {warning}");
        var started = DateTimeOffset.UtcNow;
        var ran = new Dictionary<InteractiveDocumentElement, (DateTimeOffset Start, DateTimeOffset End, bool Failed)>(ReferenceEqualityComparer.Instance);
        await OneAtATime.WaitAsync();
        string previousDir = Environment.CurrentDirectory;
        string? previousQuick = Environment.GetEnvironmentVariable(Lab.QuickVariable);
        var total = Stopwatch.StartNew();
        var outcomes = new List<CellOutcome>();
        var budget = new OutputBudget();
        var trusted = new HashSet<InteractiveDocumentOutputElement>(ReferenceEqualityComparer.Instance);
        try
        {
            Environment.CurrentDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (Options.Quick) Environment.SetEnvironmentVariable(Lab.QuickVariable, "1");
            Formatter.ResetToDefault();
            using var kernel = NewKernel();
            var cells = doc.Elements.ToList();
            for (int i = 0; i < cells.Count; i++)
            {
                var cell = cells[i];
                cell.Outputs.Clear();
                if (cell.KernelName is "markdown" or "md" || string.IsNullOrWhiteSpace(cell.Contents)) continue;
                Options.CellStarting?.Invoke(i + 1);
                budget.NextCell();
                var cellStart = DateTimeOffset.UtcNow;
                var outcome = await RunCellAsync(kernel, i, cell, LocateExtension(cell.Contents), budget);
                ran[cell] = (cellStart, DateTimeOffset.UtcNow, outcome.Failed);
                Options.Progress?.Invoke($"{Path.GetFileName(path)}: cell {i + 1}/{cells.Count} {(outcome.Failed ? "FAILED" : "ok")} in {outcome.Elapsed.TotalSeconds:F2} s");
                outcomes.Add(outcome);
                cell.ExecutionOrder = outcomes.Count;
                foreach (var o in outcome.Outputs)
                {
                    var element = ToElement(o, outcomes.Count);
                    if (o.Trusted) trusted.Add(element);
                    cell.Outputs.Add(element);
                }
                if (Abandoned || (outcome.Failed && !Options.KeepGoing)) break;
            }
        }
        finally
        {
            Lab.Shutdown();
            Environment.CurrentDirectory = previousDir;
            Environment.SetEnvironmentVariable(Lab.QuickVariable, previousQuick);
            Formatter.ResetToDefault();
            OneAtATime.Release();
        }
        string? ipynb = null, page = null;
        string stem = Path.Combine(Options.OutputFolder, Path.GetFileNameWithoutExtension(path));
        foreach (var cell in doc.Elements.Where(c => c.KernelName is not ("markdown" or "md")))
            if (ran.TryGetValue(cell, out var t)) PapermillRecord.Cell(cell, t.Failed ? "failed" : "completed", t.Start, t.End, t.Failed);
            else PapermillRecord.Cell(cell, "pending", null, null, false);
        PapermillRecord.Notebook(doc, Options.Parameters, Path.GetFullPath(path), Options.WriteOutputs ? Path.GetFullPath(stem + ".ipynb") : null,
            started, DateTimeOffset.UtcNow, outcomes.Any(o => o.Failed), Options.Quick);
        if (Options.WriteOutputs)
        {
            Directory.CreateDirectory(Options.OutputFolder);
            ipynb = stem + ".ipynb";
            await using (var s = File.Create(ipynb))
                Microsoft.DotNet.Interactive.Documents.Jupyter.Notebook.Write(doc, s, KernelInfos());
            page = stem + ".html";
            await File.WriteAllTextAsync(page, HtmlPage.Render(Path.GetFileNameWithoutExtension(path), doc, trusted.Contains));
        }
        return new NotebookResult(path, outcomes, total.Elapsed, ipynb, page);
    }

    private static CompositeKernel NewKernel()
    {
        var csharp = new CSharpKernel().UseKernelHelpers().UseValueSharing();
        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        return composite;
    }

    /// <summary>The extension's one line, `#r "nuget: RedLeaf.Interactive[, version]"`, works anywhere: Jupyter
    /// restores the package from the build's local feed (artifacts/feed, see kernel-ext/jupyter); here, in
    /// the runner's own process, it becomes a reference to the repository's build (artifacts/interactive)
    /// and a call to Load(), so the notebook uses the very assemblies the runner runs. The older two-line
    /// form (`#r "...RedLeaf.Interactive.dll"` then Load()) still works, from any folder. The notebook file
    /// itself is not changed.</summary>
    internal static string LocateExtension(string code)
    {
        code = PackageReference.Replace(code, _ => $"#r \"{BuiltExtension()}\"\nRedLeaf.Interactive.RedLeafExtension.Load()");
        return ExtensionReference.Replace(code, m =>
            File.Exists(Path.GetFullPath(m.Groups[1].Value)) ? m.Value : $"#r \"{BuiltExtension()}\"");
    }

    /// <summary>The extension the build put in artifacts/interactive, or a clear error naming how to build it.</summary>
    internal static string BuiltExtension()
    {
        string built = Path.Combine(RedLeaf.Os.Compiler.DomainTree.Root, "artifacts", "interactive", "RedLeaf.Interactive.dll");
        if (!File.Exists(built))
            throw new FileNotFoundException($"the notebook extension is not built ({built} is missing): run ./redleaf once (it builds it), or dotnet build kernel-ext/RedLeaf.Interactive", built);
        return built;
    }

    private static readonly System.Text.RegularExpressions.Regex PackageReference =
        new("^#r\\s+\"nuget:\\s*RedLeaf\\.Interactive\\s*(,\\s*[^\"]*)?\"[ \\t]*$", System.Text.RegularExpressions.RegexOptions.Multiline);

    private static readonly System.Text.RegularExpressions.Regex ExtensionReference =
        new("^#r\\s+\"([^\"]*RedLeaf\\.Interactive\\.dll)\"", System.Text.RegularExpressions.RegexOptions.Multiline);

    private async Task<CellOutcome> RunCellAsync(CompositeKernel kernel, int index, InteractiveDocumentElement cell, string code, OutputBudget budget)
    {
        var sw = Stopwatch.StartNew();
        // Started on a pool thread: the C# kernel runs a cell's synchronous code inside SendAsync, so
        // awaiting it directly would block here until the cell ended, with no progress and no timeout.
        var submit = new SubmitCode(code, cell.KernelName is "csharp" or null ? null : cell.KernelName);
        var run = Task.Run(() => kernel.SendAsync(submit));
        string? timeoutNote = null;
        // A long cell (a full benchmark) says it is still running every ProgressInterval, so a run never looks hung.
        var every = Options.ProgressInterval;
        while (!run.IsCompleted && sw.Elapsed + every < Options.CellTimeout)
            if (await Task.WhenAny(run, Task.Delay(every)) != run)
                Options.Progress?.Invoke($"cell {index + 1} still running ({sw.Elapsed.TotalSeconds:F0} s)");
        if (await Task.WhenAny(run, Task.Delay(Options.CellTimeout - sw.Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero)) != run)
        {
            var killed = KillRunningDomains();
            timeoutNote = $"the cell ran past its {Options.CellTimeout.TotalSeconds:F0} s timeout; " +
                (killed.Count == 0 ? "no domain was running to kill" : $"killed {string.Join(", ", killed)}");
            if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10))) != run)
            {
                Abandoned = true;
                return new CellOutcome(index, cell.KernelName ?? "csharp", cell.Contents, Array.Empty<CellOutput>(), sw.Elapsed,
                    timeoutNote + "; the cell did not stop and was abandoned (host code cannot be interrupted, only domains can)");
            }
            timeoutNote += $"; the cell stopped {sw.Elapsed.TotalSeconds - Options.CellTimeout.TotalSeconds:F2} s after the timeout";
        }
        var result = await run;
        var outputs = new List<CellOutput>();
        string? error = null;
        foreach (var e in result.Events)
        {
            switch (e)
            {
                case StandardOutputValueProduced so: outputs.Add(budget.Fit(Stream("stdout", so))); break;
                case StandardErrorValueProduced se: outputs.Add(budget.Fit(Stream("stderr", se))); break;
                case ReturnValueProduced rv: outputs.Add(budget.Fit(new CellOutput("result", WithPlainText(Data(rv), rv.Value), OwnView(rv.Value)))); break;
                case DisplayedValueUpdated du: outputs.Add(budget.Fit(new CellOutput("display", Data(du), OwnView(du.Value)))); break;
                case DisplayedValueProduced dv: outputs.Add(budget.Fit(new CellOutput("display", Data(dv), OwnView(dv.Value)))); break;
                case ErrorProduced ep: error ??= ep.Message; break;
                case CommandFailed cf: error ??= Describe(cf); break;
            }
        }
        if (timeoutNote is not null) error = error is null ? timeoutNote : $"{timeoutNote}: {error}";
        if (error is not null) outputs.Add(new CellOutput("error", new Dictionary<string, string> { ["text/plain"] = error }));
        return new CellOutcome(index, cell.KernelName ?? "csharp", cell.Contents, outputs, sw.Elapsed, error);
    }

    /// <summary>The assemblies whose views write their own HTML (escaping whatever text they show).</summary>
    private static readonly HashSet<System.Reflection.Assembly> OwnAssemblies = new()
    {
        typeof(RedLeaf.Notebook.Html.IRichView).Assembly, typeof(RedLeaf.Measure.SuiteResult).Assembly,
        typeof(RedLeaf.Abi.RpcResult).Assembly, typeof(RedLeaf.Os.BootLog).Assembly,
    };

    /// <summary>True when a value shown is one of the extension's own views (its HTML is kept on the page).</summary>
    private static bool OwnView(object? value) =>
        value?.GetType().Assembly is { IsDynamic: false } a && (OwnAssemblies.Contains(a) || a.GetName().Name == "RedLeaf.Interactive");

    private static List<string> KillRunningDomains()
    {
        var killed = new List<string>();
        if (Lab.Current is not { } k) return killed;
        foreach (var d in k.Core.Domains.Where(d => d.Status == DomainStatus.Running))
        {
            k.Core.Kill(d, "the notebook cell calling it ran past its timeout");
            killed.Add(d.Name);
        }
        return killed;
    }

    private static string Describe(CommandFailed cf)
    {
        var e = cf.Exception;
        return e is null ? cf.Message : $"{e.GetType().Name}: {e.Message}";
    }

    private static CellOutput Stream(string name, DisplayEvent e) =>
        new(name, new Dictionary<string, string> { [name] = e.FormattedValues.FirstOrDefault()?.Value ?? "" });

    private static Dictionary<string, string> Data(DisplayEvent e) =>
        e.FormattedValues.Where(f => !f.SuppressDisplay).GroupBy(f => f.MimeType).ToDictionary(g => g.Key, g => g.First().Value);

    /// <summary>A result carries text/plain beside its preferred HTML, as Jupyter's execute_result does, so
    /// a grade cell's numeric result reads as a number (nbgrader's partial credit).</summary>
    private static Dictionary<string, string> WithPlainText(Dictionary<string, string> data, object? value)
    {
        if (!data.ContainsKey(PlainTextFormatter.MimeType) && value is not null)
            data[PlainTextFormatter.MimeType] = value.ToDisplayString(PlainTextFormatter.MimeType);
        return data;
    }

    private static InteractiveDocumentOutputElement ToElement(CellOutput o, int order) => o.Kind switch
    {
        "stdout" or "stderr" => new TextElement(o[o.Kind] ?? "", o.Kind),
        "error" => new ErrorElement(o["text/plain"] ?? "", "Error", Array.Empty<string>()),
        "result" => Fill(new ReturnValueElement { ExecutionOrder = order }, o),
        _ => new DisplayElement(o.Data.ToDictionary(kv => kv.Key, kv => (object)kv.Value)),
    };

    private static ReturnValueElement Fill(ReturnValueElement r, CellOutput o)
    {
        foreach (var (k, v) in o.Data) r.Data[k] = v;
        return r;
    }
}

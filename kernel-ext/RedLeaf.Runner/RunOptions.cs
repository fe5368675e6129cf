// kernel-ext/RedLeaf.Runner: how a headless run is set up: where executed notebooks and pages go,
// quick mode, the per-cell timeout, and where progress is reported.
namespace RedLeaf.Runner;

public sealed record RunOptions
{
    /// <summary>Folder for the executed .ipynb and the .html page of each notebook.</summary>
    public string OutputFolder { get; init; } = Path.Combine("artifacts", "notebooks");

    /// <summary>Sets REDLEAF_QUICK=1 for the notebooks: smaller measurements (about 20 s a notebook).</summary>
    public bool Quick { get; init; }

    /// <summary>A cell running longer is stopped: its running domains are killed.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a cell still running says so on Progress.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Progress lines (the CLI prints them on stderr).</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Parameters injected after the notebook's `parameters` cell, as papermill does.</summary>
    public IReadOnlyList<Parameters.NotebookParameter> Parameters { get; init; } = Array.Empty<Parameters.NotebookParameter>();

    /// <summary>Called with a cell's number (1-based) just before it runs (a child process notes it for its parent).</summary>
    public Action<int>? CellStarting { get; init; }

    /// <summary>Run the cells after a failing one too (grading: one broken exercise must not hide the rest).</summary>
    public bool KeepGoing { get; init; }

    /// <summary>Write the executed notebook and page (tests may turn it off).</summary>
    public bool WriteOutputs { get; init; } = true;
}

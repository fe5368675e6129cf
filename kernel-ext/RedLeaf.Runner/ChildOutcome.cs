// kernel-ext/RedLeaf.Runner: how one notebook ended when it ran in a process of its own: passed, or
// failed with a reason that names the notebook and, where known, the cell (its first error, or what
// ended its process: a time or memory bound, Environment.Exit, a crash such as a stack overflow).
namespace RedLeaf.Runner;

public sealed record ChildOutcome(string Path, bool Passed, string? Reason, int CellsRun, TimeSpan Elapsed, string? Page)
{
    /// <summary>"00-tour.ipynb, cell 4: ..." for a failure, null when it passed.</summary>
    public string? Summary => Passed ? null : Reason;

    /// <summary>True when the child finished on its own and wrote its report (its cells may still have failed).</summary>
    public bool Reported { get; init; }
}

// kernel-ext/RedLeaf.Runner: the outcome of running one notebook: every cell's outcome, the first
// error (which cell, why), and where the executed notebook and its page were written.
namespace RedLeaf.Runner;

public sealed record NotebookResult(string Path, IReadOnlyList<CellOutcome> Cells, TimeSpan Elapsed, string? ExecutedNotebook, string? Page)
{
    public CellOutcome? FirstError => Cells.FirstOrDefault(c => c.Failed);
    public bool Succeeded => FirstError is null;

    /// <summary>"00-tour.ipynb, cell 4: ..." for the first error; null if none.</summary>
    public string? ErrorSummary => FirstError is { } c ? $"{System.IO.Path.GetFileName(Path)}, cell {c.Index + 1}: {c.Error}" : null;

    /// <summary>Everything the notebook printed or displayed, in order.</summary>
    public string Text => string.Join("\n", Cells.Select(c => c.Text));
}

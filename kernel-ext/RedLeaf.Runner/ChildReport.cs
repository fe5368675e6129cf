// kernel-ext/RedLeaf.Runner: what a notebook's process writes for its parent when it finishes on its
// own: a small JSON file in the run's private folder. A process that never writes it (it was killed,
// exited from a cell, or crashed) is reported by the parent from what it saw instead.
using System.Text.Json;

namespace RedLeaf.Runner;

public sealed record ChildReport(bool Passed, string? Error, int CellsRun, double Seconds, string? Page, string? ExecutedNotebook)
{
    public const string FileName = "result.json";
    /// <summary>The child appends the number of each cell it starts here, so the parent can name the
    /// cell a dead process was in.</summary>
    public const string CellsFileName = "cells.txt";

    public static ChildReport From(NotebookResult r) =>
        new(r.Succeeded, r.ErrorSummary, r.Cells.Count, r.Elapsed.TotalSeconds, r.Page, r.ExecutedNotebook);

    public void Write(string folder) =>
        File.WriteAllText(System.IO.Path.Combine(folder, FileName), JsonSerializer.Serialize(this));

    public static ChildReport? Read(string folder)
    {
        string path = System.IO.Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<ChildReport>(File.ReadAllText(path)); }
        catch (JsonException) { return null; }
    }

    /// <summary>The 1-based number of the last cell the child started, or null if it started none.</summary>
    public static int? LastCellStarted(string folder)
    {
        string path = System.IO.Path.Combine(folder, CellsFileName);
        if (!File.Exists(path)) return null;
        var last = File.ReadLines(path).LastOrDefault(l => l.Length > 0);
        return int.TryParse(last, out int n) ? n : null;
    }
}

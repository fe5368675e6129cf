// kernel-ext/RedLeaf.Runner: bounds on what a notebook's outputs may store, so a program printing 64 MB
// cannot make a 64 MB page and a 128 MB notebook: a text output keeps its first 1 MiB, a cell at most
// 8 MiB (room for plotly.js, about 3.6 MB, and a chart), a notebook at most 64 MiB; what is cut is
// said where it was cut, with how much was dropped and which limit did it.
namespace RedLeaf.Runner;

public sealed class OutputBudget
{
    public const int PerOutput = 1 << 20, PerCell = 8 << 20, PerNotebook = 64 << 20;

    private long _notebookLeft = PerNotebook;
    private long _cellLeft = PerCell;

    /// <summary>A new cell starts with its own allowance (within what the notebook has left).</summary>
    public void NextCell() => _cellLeft = PerCell;

    /// <summary>The output as it may be stored: text cut at the per-output limit, anything past the
    /// cell's or notebook's allowance replaced by a note.</summary>
    public CellOutput Fit(CellOutput o)
    {
        var data = new Dictionary<string, string>(o.Data.Count);
        foreach (var (mime, value) in o.Data)
        {
            string v = value;
            if (v.Length > PerOutput && !mime.Contains("html", StringComparison.Ordinal) && !mime.Contains("svg", StringComparison.Ordinal))
                v = v[..PerOutput] + $"\n[output truncated here: {v.Length - PerOutput:N0} more characters dropped (the limit is {PerOutput >> 20} MiB of text per output)]";
            long left = Math.Min(_cellLeft, _notebookLeft);
            if (v.Length > left)
            {
                string which = _cellLeft <= _notebookLeft ? $"the cell's limit of {PerCell >> 20} MiB" : $"the notebook's limit of {PerNotebook >> 20} MiB";
                v = $"[output dropped: {v.Length:N0} characters of {mime} over {which}]";
                data[mime.StartsWith("text/", StringComparison.Ordinal) || mime is "stdout" or "stderr" ? mime : "text/plain"] = v;
                _cellLeft -= v.Length;
                _notebookLeft -= v.Length;
                continue;
            }
            data[mime] = v;
            _cellLeft -= v.Length;
            _notebookLeft -= v.Length;
        }
        return o with { Data = data };
    }
}

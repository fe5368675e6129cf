// kernel-ext/RedLeaf.Runner: what running one cell produced: its outputs by MIME type (as the
// notebook stores them), how long it took, and the error if it failed.
namespace RedLeaf.Runner;

/// <summary>One output; <paramref name="Trusted"/> when one of the extension's own views made it (its HTML
/// is kept on the exported page; other HTML is sanitised).</summary>
public sealed record CellOutput(string Kind, IReadOnlyDictionary<string, string> Data, bool Trusted = false)
{
    /// <summary>The output in one MIME type, or null.</summary>
    public string? this[string mime] => Data.TryGetValue(mime, out var v) ? v : null;
}

public sealed record CellOutcome(int Index, string Kernel, string Source, IReadOnlyList<CellOutput> Outputs, TimeSpan Elapsed, string? Error)
{
    public bool Failed => Error is not null;

    /// <summary>All text of the cell's outputs (plain text preferred), for checks and grading.</summary>
    public string Text => string.Join("\n", Outputs.Select(o => o["text/plain"] ?? o["stdout"] ?? o["text/html"] ?? ""));
}

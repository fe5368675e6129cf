// kernel-ext/RedLeaf.Runner/Grading: what a grading child process hands its parent: each cell it ran,
// with its outputs by kind (stdout, stderr, result, display, error) and MIME type, written as one JSON
// file in the submission's working folder. Values are cut at a bound so a cell printing without end
// cannot make the parent read gigabytes. The parent scores from this file and writes every result.
using System.Text.Json;

namespace RedLeaf.Runner.Grading;

public sealed record ChildCell(int Index, double Seconds, string? Error, IReadOnlyList<ChildOutput> Outputs);

public sealed record ChildOutput(string Kind, IReadOnlyDictionary<string, string> Data);

public static class ChildCells
{
    public const string FileName = "cells.json";
    public const int MaxValueChars = 16 * 1024;

    public static void Write(string folder, IEnumerable<CellOutcome> outcomes)
    {
        var cells = outcomes.Select(o => new ChildCell(o.Index, o.Elapsed.TotalSeconds, Cut(o.Error),
            o.Outputs.Select(x => new ChildOutput(x.Kind, x.Data.ToDictionary(kv => kv.Key, kv => Cut(kv.Value)!))).ToList())).ToList();
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(cells));
    }

    public static IReadOnlyList<ChildCell>? Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path) || new FileInfo(path).Length > 64L << 20) return null;
        try { return JsonSerializer.Deserialize<List<ChildCell>>(File.ReadAllText(path)); }
        catch (JsonException) { return null; }
    }

    private static string? Cut(string? s) => s is null || s.Length <= MaxValueChars ? s : s[..MaxValueChars] + $"\n... (cut at {MaxValueChars} characters)";
}

// measure/Results: recorded results, one JSON file per suite under datasets/results/ (<suite>.json):
// {"suite", "runs": [run, ...]}, each run being the suite's JSON (rows, clock, machine, details) plus
// the command that produced it. Saving appends a run and keeps the newest few of the same mode (quick
// or full), so the README's table can show several runs side by side without mixing modes.
using System.Text.Json;
using System.Text.Json.Nodes;
using RedLeaf.Measure;

namespace RedLeaf.Measure.Results;

public sealed class ResultsStore
{
    public const int RunsKept = 3;

    public ResultsStore(string folder) => Folder = folder;

    /// <summary>datasets/results/ of this tree (REDLEAF_ROOT or the folder above the binaries).</summary>
    public static ResultsStore Default => new(Path.Combine(Datasets.Folder, "results"));

    public string Folder { get; }

    public string PathOf(string suite) => Path.Combine(Folder, suite + ".json");

    /// <summary>Appends a run of a suite, dropping runs of the other mode and all but the newest RunsKept.</summary>
    public string Save(SuiteResult result, string command)
    {
        var run = result.ToJson();
        run["command"] = command;
        var runs = Runs(result.Suite)
            .Where(r => (bool?)r["quick"] == result.Quick)
            .Select(r => r.DeepClone())
            .Append(run)
            .ToList();
        var kept = runs.Skip(Math.Max(0, runs.Count - RunsKept)).ToArray();
        var file = new JsonObject { ["suite"] = result.Suite, ["runs"] = new JsonArray(kept) };
        Directory.CreateDirectory(Folder);
        string path = PathOf(result.Suite);
        File.WriteAllText(path, file.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return path;
    }

    /// <summary>The recorded runs of a suite, oldest first; none if it has no file.</summary>
    public IReadOnlyList<JsonObject> Runs(string suite)
    {
        string path = PathOf(suite);
        if (!File.Exists(path)) return [];
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e); }
        if (node?["runs"] is not JsonArray runs || (string?)node["suite"] != suite)
            throw new InvalidDataException($"{path} is not a results file for suite '{suite}' (expected {{\"suite\": \"{suite}\", \"runs\": [...]}})");
        return runs.Select(r => r as JsonObject ?? throw new InvalidDataException($"{path}: a run is not a JSON object")).ToList();
    }

    /// <summary>Suites with a results file here, by name.</summary>
    public IReadOnlyList<string> Suites() => Directory.Exists(Folder)
        ? Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList()
        : [];
}

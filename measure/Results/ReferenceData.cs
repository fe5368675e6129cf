// measure/Results: the paper's figures as data (datasets/reference/*.json, transcribed from the
// design notes' REFERENCE.md), read for tables that put our numbers beside the paper's. Each
// reference row may name the row of ours it compares with ("ours": "proxy-null").
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RedLeaf.Measure.Results;

public sealed class ReferenceData
{
    public ReferenceData(string folder) => Folder = folder;

    /// <summary>datasets/reference/ of this tree.</summary>
    public static ReferenceData Default => new(Path.Combine(Datasets.Folder, "reference"));

    public string Folder { get; }

    /// <summary>A reference file by name without extension (e.g. "table1"), or null if absent.</summary>
    public JsonObject? Load(string name)
    {
        string path = Path.Combine(Folder, name + ".json");
        if (!File.Exists(path)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"{path} does not hold a JSON object");
        }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e); }
    }

    /// <summary>Table 1's rows and the figures it quotes from elsewhere, each with an "operation".</summary>
    public IEnumerable<JsonObject> Table1Entries()
    {
        var t = Load("table1");
        if (t is null) yield break;
        foreach (var key in new[] { "rows", "also_quoted" })
            if (t[key] is JsonArray a)
                foreach (var e in a.OfType<JsonObject>()) yield return e;
    }

    /// <summary>The paper's figure for one of our rows, as "124 (RedLeaf call)", or "" if none.</summary>
    public string PaperCellFor(string ours)
    {
        var e = Table1Entries().FirstOrDefault(x => (string?)x["ours"] == ours);
        if (e is null) return "";
        string number = e["cycles"] is JsonNode c ? Markdown.Number((double)c) : "";
        if ((bool?)e["approximate"] == true) number = "~" + number;
        string source = e["source"] is JsonNode s && !((string)s!).StartsWith("quoted in", StringComparison.Ordinal) ? ", " + Short((string)s!) : "";
        return $"{number} ({e["operation"]}{source})";
    }

    static string Short(string source) => source.Split(',')[0].Trim();
}

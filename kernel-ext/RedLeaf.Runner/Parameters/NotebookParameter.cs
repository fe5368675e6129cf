// kernel-ext/RedLeaf.Runner/Parameters: one parameter of a run (`redleaf run -p NAME VALUE` or a
// `-f PARAMS.json` entry), as papermill reads it and writes it for a C# kernel. From the command line a
// value is read as papermill's CLI reads it: True/False (any case) a bool, None/null nothing, an integer,
// a float, otherwise a string; from JSON, as typed. In C# (papermill's CSharpTranslator) an assignment
// `var name = value;`: strings quoted and escaped, integers past Int32 with an L, bools true/false,
// null, lists `new [] { ... }`, objects `new Dictionary<string,Object>{ { "k" , v } }`.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace RedLeaf.Runner.Parameters;

public sealed record NotebookParameter(string Name, object? Value)
{
    /// <summary>A parameter from the command line, its value typed as papermill's CLI types it.</summary>
    public static NotebookParameter FromText(string name, string text)
    {
        CheckName(name, "-p");
        object? value = text switch
        {
            _ when text.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
            _ when text.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
            "None" or "null" => null,
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l) => l,
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
            _ => text,
        };
        return new NotebookParameter(name, value);
    }

    /// <summary>Every parameter of a JSON object file (`-f PARAMS.json`), values as typed there.</summary>
    public static IReadOnlyList<NotebookParameter> FromJsonFile(string path)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e); }
        if (root is not JsonObject obj) throw new InvalidDataException($"{path}: parameters must be one JSON object of name: value");
        return obj.Select(kv => { CheckName(kv.Key, path); return new NotebookParameter(kv.Key, FromJson(kv.Value)); }).ToList();
    }

    /// <summary>papermill's C# assignment for this parameter.</summary>
    public string ToCSharp() => $"var {Name} = {Literal(Value)};";

    public static string Literal(object? v) => v switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long l => l is > int.MaxValue or < int.MinValue ? l.ToString(CultureInfo.InvariantCulture) + "L" : l.ToString(CultureInfo.InvariantCulture),
        double d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) + (d == Math.Floor(d) && !d.ToString("R", CultureInfo.InvariantCulture).Contains('E') ? ".0" : "")
            : throw new InvalidDataException($"a parameter cannot be {d}"),
        string s => Quote(s),
        IReadOnlyList<object?> list => "new [] { " + string.Join(", ", list.Select(Literal)) + " }",
        IReadOnlyDictionary<string, object?> map => "new Dictionary<string,Object>{ " + string.Join(", ", map.Select(kv => $"{{ {Quote(kv.Key)} , {Literal(kv.Value)} }}")) + " }",
        _ => throw new InvalidDataException($"a parameter of type {v.GetType().Name} has no C# form"),
    };

    /// <summary>The value as JSON, for the executed notebook's papermill metadata.</summary>
    public static object? ToMetadata(object? v) => v switch
    {
        IReadOnlyList<object?> list => list.Select(ToMetadata).ToArray(),
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => ToMetadata(kv.Value)),
        _ => v,
    };

    private static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
            sb.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", '\0' => "\\0", _ when char.IsControl(c) => $"\\u{(int)c:x4}", _ => c.ToString() });
        return sb.Append('"').ToString();
    }

    private static object? FromJson(JsonNode? n) => n switch
    {
        null => null,
        JsonArray a => a.Select(FromJson).ToList(),
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => FromJson(kv.Value)),
        JsonValue v when v.TryGetValue(out bool b) => b,
        JsonValue v when v.TryGetValue(out long l) => l,
        JsonValue v when v.TryGetValue(out double d) => d,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => n.ToJsonString(),
    };

    private static void CheckName(string name, string where)
    {
        bool ok = name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');
        if (!ok) throw new ArgumentException($"parameter name '{name}' (from {where}) is not a C# identifier");
    }
}

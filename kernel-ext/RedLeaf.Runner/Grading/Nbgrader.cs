// kernel-ext/RedLeaf.Runner/Grading: nbgrader's cell metadata (schema version 3), read and written on
// the notebook's JSON as nbgrader stores it: `metadata.nbgrader` with grade, solution, locked, task,
// grade_id, points, checksum, cell_type, schema_version. The predicates and the checksum follow
// nbgrader/utils.py exactly (a grade cell counts as locked, a solution cell never does; the checksum
// is md5 over source, cell type, the three flags as Python prints booleans, the grade id, and
// str(float(points)) for grade cells), so a course's own nbgrader reads our handouts as its own.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace RedLeaf.Runner.Grading;

public static class Nbgrader
{
    public const int SchemaVersion = 3;

    public static JsonObject? Meta(JsonNode cell) => cell["metadata"]?["nbgrader"] as JsonObject;

    private static bool Flag(JsonNode cell, string name) => Meta(cell)?[name] is JsonValue v && v.TryGetValue(out bool b) && b;

    public static bool IsGrade(JsonNode cell) => Flag(cell, "grade");
    public static bool IsSolution(JsonNode cell) => Flag(cell, "solution");
    public static bool IsTask(JsonNode cell) => Flag(cell, "task");

    /// <summary>nbgrader's is_locked: never a solution cell, always a grade cell, else the flag.</summary>
    public static bool IsLocked(JsonNode cell) =>
        Meta(cell) is not null && !IsSolution(cell) && (IsGrade(cell) || Flag(cell, "locked"));

    public static string? GradeId(JsonNode cell) => (string?)Meta(cell)?["grade_id"];

    public static double Points(JsonNode cell) => Meta(cell)?["points"] is JsonValue v ? v.GetValue<double>() : 0;

    /// <summary>A cell's source as one string (the file may hold it as a list of lines).</summary>
    public static string Source(JsonNode cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue v => (string?)v ?? "",
        _ => "",
    };

    public static string CellType(JsonNode cell) => (string?)cell["cell_type"] ?? "code";

    /// <summary>nbgrader's compute_checksum.</summary>
    public static string Checksum(JsonNode cell)
    {
        var text = new StringBuilder()
            .Append(Source(cell)).Append(CellType(cell))
            .Append(Py(IsGrade(cell))).Append(Py(IsSolution(cell))).Append(Py(IsLocked(cell)))
            .Append(GradeId(cell) ?? throw new InvalidDataException("an nbgrader cell without a grade_id has no checksum"));
        if (IsGrade(cell)) text.Append(PyFloat(Points(cell)));
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>nbgrader's ComputeChecksums: grade, solution and locked cells get their checksum and cell type.</summary>
    public static void StampChecksum(JsonNode cell)
    {
        if (!(IsGrade(cell) || IsSolution(cell) || IsLocked(cell))) return;
        var meta = Meta(cell)!;
        meta["checksum"] = Checksum(cell);
        meta["cell_type"] = CellType(cell);
    }

    private static string Py(bool b) => b ? "True" : "False";

    /// <summary>Python's str(float(x)) for the points a cell can carry (4 -> "4.0", 2.5 -> "2.5").</summary>
    public static string PyFloat(double x)
    {
        string s = x.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s : s + ".0";
    }
}

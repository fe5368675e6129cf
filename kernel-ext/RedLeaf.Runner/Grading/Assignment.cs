// kernel-ext/RedLeaf.Runner/Grading: from an instructor's source notebook to the students' release, as
// nbgrader's generate_assignment does it: solution regions (`// BEGIN SOLUTION` .. `// END SOLUTION`)
// become a stub that compiles, hidden tests (`BEGIN HIDDEN TESTS` .. `END HIDDEN TESTS`) leave the grade
// cells, outputs are cleared, locked and grade cells become undeletable and uneditable, and grade,
// solution and locked cells get nbgrader's checksum. Our one rule nbgrader does not have: a solution
// cell is a #!domain, #!idl or #!rv6 cell, so whatever a student writes is compiled and contained like
// any domain; a source that breaks it is refused here, naming the cell. And one nbgrader has no form for: a
// solution region may open with a stub of its own, a `// BEGIN STUB` .. `// END STUB` block of commented-out
// code (commented, so the source runs the solution), which the release gets uncommented in place of the
// region, under a `// YOUR CODE HERE` line: a starting point that compiles and works, such as a domain that
// copies where it should move. (nbgrader itself would put its usual stub there.)
using System.Text.Json.Nodes;

namespace RedLeaf.Runner.Grading;

public static class Assignment
{
    /// <summary>The first line a solution cell may start with.</summary>
    public static readonly string[] SolutionMagics = { "#!domain", "#!idl", "#!rv6" };

    /// <summary>What replaces a solution region, by the cell's magic: it compiles where the region stood
    /// (a method body for #!domain, a member list for #!idl).</summary>
    public static string Stub(string magic) => magic switch
    {
        "#!domain" => "throw new System.NotImplementedException(); // YOUR CODE HERE",
        "#!idl" => "// YOUR CODE HERE",
        _ => "",
    };

    /// <summary>The magic (#!domain, #!idl, #!rv6) a cell's text starts with, or null.</summary>
    public static string? Magic(string source)
    {
        string first = FirstLine(source);
        return SolutionMagics.FirstOrDefault(m => first == m || first.StartsWith(m + " ", StringComparison.Ordinal));
    }

    public static string FirstLine(string source) =>
        source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";

    /// <summary>Checks a source notebook's nbgrader cells and stamps schema version and checksums on
    /// them (returns whether anything changed). Throws InvalidDataException naming what is wrong.</summary>
    public static bool Normalize(JsonObject source, string name)
    {
        string before = source.ToJsonString();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var cells = Cells(source);
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            string where = $"{name}, cell {i + 1}";
            string text = Nbgrader.Source(cell);
            bool markers = text.Contains("BEGIN SOLUTION", StringComparison.Ordinal) || text.Contains("BEGIN HIDDEN TESTS", StringComparison.Ordinal);
            if (Nbgrader.Meta(cell) is not { } meta)
            {
                if (markers) throw new InvalidDataException($"{where}: has solution or hidden-test markers but no nbgrader metadata");
                continue;
            }
            string id = Nbgrader.GradeId(cell) ?? throw new InvalidDataException($"{where}: an nbgrader cell needs a grade_id");
            if (!ids.Add(id)) throw new InvalidDataException($"{where}: grade_id '{id}' is used twice");
            meta["schema_version"] = Nbgrader.SchemaVersion;
            foreach (var flag in new[] { "grade", "solution", "locked", "task" }) meta[flag] ??= false;
            if (Nbgrader.IsSolution(cell))
            {
                if (Nbgrader.CellType(cell) != "code" || Magic(text) is null)
                    throw new InvalidDataException($"{where} ('{id}'): a solution cell must be a code cell starting with {string.Join(", ", SolutionMagics)}, so a student's answer runs as a contained domain");
                if (!text.Contains("BEGIN SOLUTION", StringComparison.Ordinal)) throw new InvalidDataException($"{where} ('{id}'): a solution cell needs a // BEGIN SOLUTION .. // END SOLUTION region");
                Strip(text, "BEGIN SOLUTION", "END SOLUTION", where, (_, region) => StubOf(region, where) ?? "");
            }
            else if (text.Contains("BEGIN SOLUTION", StringComparison.Ordinal))
                throw new InvalidDataException($"{where} ('{id}'): BEGIN SOLUTION outside a solution cell");
            if (!Nbgrader.IsSolution(cell) && text.Contains("BEGIN STUB", StringComparison.Ordinal))
                throw new InvalidDataException($"{where} ('{id}'): BEGIN STUB outside a solution region");
            if (Nbgrader.IsGrade(cell) && !Nbgrader.IsSolution(cell))
            {
                if (Nbgrader.CellType(cell) != "code") throw new InvalidDataException($"{where} ('{id}'): grade cells are code cells here");
                Strip(text, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", where, (_, _) => null);
            }
            else if (!Nbgrader.IsGrade(cell) && text.Contains("BEGIN HIDDEN TESTS", StringComparison.Ordinal))
                throw new InvalidDataException($"{where} ('{id}'): hidden tests outside a grade cell");
            if (!Nbgrader.IsGrade(cell)) meta.Remove("points");
            else if (Nbgrader.Points(cell) <= 0) throw new InvalidDataException($"{where} ('{id}'): a grade cell needs points above 0");
            Nbgrader.StampChecksum(cell);
        }
        if (ids.Count == 0) throw new InvalidDataException($"{name}: no nbgrader cells; is it an assignment source?");
        return before != source.ToJsonString();
    }

    /// <summary>The students' copy of a (normalized) source notebook.</summary>
    public static JsonObject Release(JsonObject source, string name)
    {
        var release = (JsonObject)source.DeepClone();
        Normalize(release, name);
        var cells = Cells(release);
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            if (Nbgrader.CellType(cell) == "code") { cell["outputs"] = new JsonArray(); cell["execution_count"] = null; }
            if (Nbgrader.Meta(cell) is null) continue;
            string text = Nbgrader.Source(cell), where = $"{name}, cell {i + 1}";
            if (Nbgrader.IsSolution(cell))
            {
                string stub = Stub(Magic(text)!);
                SetSource(cell, Strip(text, "BEGIN SOLUTION", "END SOLUTION", where,
                    (indent, region) => StubOf(region, where) is { } own ? indent + "// YOUR CODE HERE\n" + own.TrimEnd('\n') : indent + stub));
            }
            else if (Nbgrader.IsGrade(cell)) SetSource(cell, Strip(text, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", where, (_, _) => null));
            var meta = (JsonObject)cell["metadata"]!;
            if (Nbgrader.IsLocked(cell)) { meta["deletable"] = false; meta["editable"] = false; }
            Nbgrader.StampChecksum(cell);
        }
        return release;
    }

    public static List<JsonNode> Cells(JsonObject notebook) =>
        (notebook["cells"] as JsonArray ?? throw new InvalidDataException("not a notebook: no cells")).Select(c => c!).ToList();

    public static void SetSource(JsonNode cell, string text)
    {
        var lines = new JsonArray();
        foreach (var l in SplitKeepingEnds(text)) lines.Add(l);
        cell["source"] = lines;
    }

    private static IEnumerable<string> SplitKeepingEnds(string text)
    {
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') { yield return text[start..(i + 1)]; start = i + 1; }
        if (start < text.Length) yield return text[start..];
    }

    /// <summary>A solution region's own stub: the `// BEGIN STUB` .. `// END STUB` block it opens with, its lines
    /// uncommented (the `//` after the indentation, and one space after it, removed); null when it has none.</summary>
    private static string? StubOf(IReadOnlyList<string> region, string where)
    {
        int first = 0;
        while (first < region.Count && region[first].Trim().Length == 0) first++;
        if (first == region.Count || !region[first].Contains("BEGIN STUB", StringComparison.Ordinal))
        {
            if (region.Any(l => l.Contains("BEGIN STUB", StringComparison.Ordinal) || l.Contains("END STUB", StringComparison.Ordinal)))
                throw new InvalidDataException($"{where}: a BEGIN STUB .. END STUB block must open its solution region");
            return null;
        }
        var stub = new List<string>();
        for (int i = first + 1; i < region.Count; i++)
        {
            string line = region[i].TrimEnd('\n', '\r'), code = line.TrimStart(), indent = line[..(line.Length - code.Length)];
            if (code.Contains("END STUB", StringComparison.Ordinal)) return string.Concat(stub);
            if (code.Contains("BEGIN STUB", StringComparison.Ordinal)) throw new InvalidDataException($"{where}: BEGIN STUB inside another BEGIN STUB block");
            if (code.Length == 0) { stub.Add("\n"); continue; }
            if (!code.StartsWith("//", StringComparison.Ordinal))
                throw new InvalidDataException($"{where}: a stub's lines are commented out in the source (// ...), so the source runs its solution; this one is not: {code}");
            code = code[2..];
            stub.Add((code.Length == 0 ? "" : indent + (code.StartsWith(' ') ? code[1..] : code)) + "\n");
        }
        throw new InvalidDataException($"{where}: BEGIN STUB without END STUB");
    }

    /// <summary>Replaces every region from a line containing <paramref name="begin"/> to one containing
    /// <paramref name="end"/> (both included) with what <paramref name="replace"/> gives for the begin
    /// line's indentation and the lines between the two (null: nothing).</summary>
    private static string Strip(string text, string begin, string end, string where, Func<string, IReadOnlyList<string>, string?> replace)
    {
        var output = new List<string>();
        List<string>? region = null;
        string indent = "";
        foreach (var line in SplitKeepingEnds(text))
        {
            if (region is null && line.Contains(begin, StringComparison.Ordinal))
            {
                region = new List<string>();
                indent = line[..(line.Length - line.TrimStart().Length)];
                continue;
            }
            if (region is not null && line.Contains(begin, StringComparison.Ordinal)) throw new InvalidDataException($"{where}: {begin} inside another {begin} region");
            if (region is not null)
            {
                if (!line.Contains(end, StringComparison.Ordinal)) { region.Add(line); continue; }
                if (replace(indent, region) is { } stub) output.Add(stub + "\n");
                region = null;
                continue;
            }
            if (line.Contains(end, StringComparison.Ordinal)) throw new InvalidDataException($"{where}: {end} without {begin}");
            output.Add(line);
        }
        if (region is not null) throw new InvalidDataException($"{where}: {begin} without {end}");
        string result = string.Concat(output);
        return text.EndsWith('\n') || !result.EndsWith('\n') ? result : result[..^1];
    }
}

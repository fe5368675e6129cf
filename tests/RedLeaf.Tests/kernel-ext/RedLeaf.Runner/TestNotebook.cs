// tests/kernel-ext/RedLeaf.Runner: builds small .ipynb files for runner tests (in a temp folder, outside the repository;
// the first cell loads the extension with the one-line package reference) and finds the repository's notebooks and the built extension.
using System.Text.Json.Nodes;
using RedLeaf.Os.Compiler;

namespace RedLeaf.Tests.Notebooks;

internal static class TestNotebook
{
    public static string Root => DomainTree.Root;
    public static string Extension => Path.Combine(Root, "artifacts", "interactive", "RedLeaf.Interactive.dll");
    /// <summary>The one line every notebook loads the extension with, wherever it is on disk.</summary>
    public const string LoadCell = "#r \"nuget: RedLeaf.Interactive, 0.1.0\"";
    /// <summary>The older form: a `#r` of the built DLL by path, then Load().</summary>
    public static string LoadCellByPath => $"#r \"{Extension}\"\nRedLeaf.Interactive.RedLeafExtension.Load()";

    /// <summary>Writes a notebook of code cells (a cell starting with "md:" is markdown) to a temp file.</summary>
    public static string Write(params string[] cells)
    {
        var arr = new JsonArray();
        foreach (var c in cells)
        {
            bool md = c.StartsWith("md:", StringComparison.Ordinal);
            var cell = new JsonObject
            {
                ["cell_type"] = md ? "markdown" : "code",
                ["metadata"] = md ? new JsonObject() : new JsonObject { ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" } },
                ["source"] = md ? c[3..] : c,
            };
            if (!md) { cell["outputs"] = new JsonArray(); cell["execution_count"] = null; }
            arr.Add(cell);
        }
        var nb = new JsonObject
        {
            ["cells"] = arr,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp", ["display_name"] = ".NET (C#)", ["language"] = "C#" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        string dir = Directory.CreateTempSubdirectory("redleaf-nb-").FullName;
        string path = Path.Combine(dir, "test.ipynb");
        File.WriteAllText(path, nb.ToJsonString());
        return path;
    }

    /// <summary>Every notebook the main job runs: all of notebooks/ but the handouts' release/ (student copies, failing by design).</summary>
    public static IEnumerable<string> RepositoryNotebooks() =>
        Directory.GetFiles(Path.Combine(Root, "notebooks"), "*.ipynb", SearchOption.AllDirectories)
            .Where(p => !Path.GetRelativePath(Path.Combine(Root, "notebooks"), p).Split(Path.DirectorySeparatorChar).Contains("release"))
            .Order(StringComparer.Ordinal);
}

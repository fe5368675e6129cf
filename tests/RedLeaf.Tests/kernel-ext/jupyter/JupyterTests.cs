// tests/kernel-ext/jupyter: notebooks executed by real Jupyter (nbconvert --execute) on the dotnet-interactive
// kernel, through kernel-ext/jupyter/redleaf-jupyter.sh, as the README documents: the tour (no error,
// the ownership graph and the chart) and the trusted-compiler notebook (no error; its #!idl cell's
// interface set, which C# cells and domains share inside the tool's own assembly loading), a chart's PNG beside
// its HTML (SkiaSharp's native library loads in the tool), and a notebook
// outside the repository that loads the extension with the one-line package reference.
using System.Text.Json.Nodes;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
[Collection(ChildProcessNotebookCollection.Name)]
public class JupyterTests
{
    [Fact]
    public void TheTourRunsInRealJupyter()
    {
        string all = Execute("00-tour.ipynb");
        Assert.Contains("redleaf-graph", all);
        Assert.Contains("plotly.js v2.28.0", all);
    }

    [Fact]
    public void AnIdlCellWorksInRealJupyter()
    {
        string all = Execute("02-trusted-compiler.ipynb");
        Assert.Contains("interface set Cell.Interfaces.", all);
        Assert.Contains("tally is a TallyProxy from Cell.Proxies.", all);
    }

    /// <summary>A chart's display carries its PNG (image/png beside text/html) in the real host too: SkiaSharp and
    /// its native library, which sits beside the extension's assemblies, load in the dotnet-interactive tool.</summary>
    [Fact]
    public void AChartCarriesItsPngInRealJupyter()
    {
        string path = TestNotebook.Write(TestNotebook.LoadCellByPath,
            "using RedLeaf.Notebook.Charts;\nnew CycleSamples(\"calls\", System.Linq.Enumerable.Range(0, 500).Select(i => 100.0 + i % 37).ToArray())");
        var nb = JsonNode.Parse(ExecuteToJson(path))!;
        var data = nb["cells"]![1]!["outputs"]!.AsArray().Select(o => o!["data"]).Single(d => d?["text/html"] is not null)!;
        Assert.True(data["image/png"] is not null, "no image/png beside the chart's text/html: " + string.Join(", ", data.AsObject().Select(kv => kv.Key)));
        string base64 = data["image/png"] is JsonArray lines ? string.Concat(lines.Select(l => (string)l!)) : (string)data["image/png"]!;
        Assert.StartsWith("\u0089PNG", System.Text.Encoding.Latin1.GetString(Convert.FromBase64String(base64), 0, 4));
    }

    /// <summary>A notebook far from the repository (a student's copy in /tmp) loads the extension with the
    /// one line every notebook uses, `#r "nuget: RedLeaf.Interactive, 0.1.0"`, restored from the build's feed.</summary>
    [Fact]
    public void ANotebookOutsideTheRepositoryLoadsTheExtensionInRealJupyter()
    {
        string path = TestNotebook.Write(TestNotebook.LoadCell,
            "using RedLeaf.Notebook.Session;\nvar kernel = Lab.Boot();\nkernel is not null",
            "#!domain --name echo\nusing RedLeaf.Abi;\nusing RedLeaf.Interfaces.Lab;\nusing RedLeaf.Interfaces.Test;\npublic sealed class K : IKeeper { public RpcResult<long> Add(long a, long b) => a + b; public RpcResult<long> Keep(RRef<Payload> p) { p.Drop(); return 1; } public RpcResult<long> Count() => 0; public RpcResult Crash() => RpcResult.Ok; }\npublic static class Entry { [DomainEntry] public static IKeeper Start() => new K(); }",
            "echo.Add(40, 2).Value");
        Assert.DoesNotContain(TestNotebook.Root, path);
        string all = ExecuteFile(path);
        Assert.Contains("42", all);
    }

    /// <summary>Runs notebooks/<paramref name="notebook"/> in real Jupyter (quick mode); all its code cells' outputs, as JSON, none an error.</summary>
    private static string Execute(string notebook) => ExecuteFile(Path.Combine(TestNotebook.Root, "notebooks", notebook));

    private static string ExecuteFile(string notebookPath)
    {
        var nb = JsonNode.Parse(ExecuteToJson(notebookPath))!;
        var outputs = nb["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").SelectMany(c => c!["outputs"]!.AsArray()).ToList();
        Assert.DoesNotContain(outputs, o => (string?)o!["output_type"] == "error");
        return string.Concat(outputs.Select(o => o!.ToJsonString()));
    }

    /// <summary>The executed notebook's JSON.</summary>
    private static string ExecuteToJson(string notebookPath)
    {
        string outFile = Path.Combine(Directory.CreateTempSubdirectory("redleaf-jupyter-").FullName, Path.GetFileName(notebookPath));
        var (exit, stdout, stderr) = ExternalTools.Run("bash",
            new[] { Path.Combine(TestNotebook.Root, "kernel-ext", "jupyter", "redleaf-jupyter.sh"), "execute", notebookPath, outFile, "300" },
            TimeSpan.FromMinutes(8), new Dictionary<string, string> { ["REDLEAF_QUICK"] = "1" });
        Assert.True(exit == 0, $"redleaf-jupyter.sh failed ({exit}):\n{stderr}\n{stdout}");
        return File.ReadAllText(outFile);
    }
}

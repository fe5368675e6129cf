// tests/kernel-ext/jupyter: notebooks executed by real Jupyter (nbconvert --execute) on the dotnet-interactive
// kernel, through kernel-ext/jupyter/redleaf-jupyter.sh, as the README documents: the tour (no error,
// the ownership graph and the chart) and the trusted-compiler notebook (no error; its #!idl cell's
// interface set, which C# cells and domains share inside the tool's own assembly loading), and a notebook
// outside the repository that loads the extension with the one-line package reference.
using System.Text.Json.Nodes;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
[Collection(NotebookCollection.Name)]
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
        string outFile = Path.Combine(Directory.CreateTempSubdirectory("redleaf-jupyter-").FullName, Path.GetFileName(notebookPath));
        var (exit, stdout, stderr) = ExternalTools.Run("bash",
            new[] { Path.Combine(TestNotebook.Root, "kernel-ext", "jupyter", "redleaf-jupyter.sh"), "execute", notebookPath, outFile, "300" },
            TimeSpan.FromMinutes(8), new Dictionary<string, string> { ["REDLEAF_QUICK"] = "1" });
        Assert.True(exit == 0, $"redleaf-jupyter.sh failed ({exit}):\n{stderr}\n{stdout}");
        var nb = JsonNode.Parse(File.ReadAllText(outFile))!;
        var outputs = nb["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").SelectMany(c => c!["outputs"]!.AsArray()).ToList();
        Assert.DoesNotContain(outputs, o => (string?)o!["output_type"] == "error");
        return string.Concat(outputs.Select(o => o!.ToJsonString()));
    }
}

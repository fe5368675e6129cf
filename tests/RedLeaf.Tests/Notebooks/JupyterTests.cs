// tests/Notebooks: the tour executed by real Jupyter (nbconvert --execute) on the dotnet-interactive
// kernel, through kernel-ext/jupyter/redleaf-jupyter.sh, as the README documents. Its executed
// notebook must hold no error and show the ownership graph and the chart.
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
        string outFile = Path.Combine(Directory.CreateTempSubdirectory("redleaf-jupyter-").FullName, "tour.ipynb");
        var (exit, stdout, stderr) = ExternalTools.Run("bash",
            new[] { Path.Combine(TestNotebook.Root, "kernel-ext", "jupyter", "redleaf-jupyter.sh"), "execute", Path.Combine(TestNotebook.Root, "notebooks", "tour.ipynb"), outFile, "300" },
            TimeSpan.FromMinutes(8), new Dictionary<string, string> { ["REDLEAF_QUICK"] = "1" });
        Assert.True(exit == 0, $"redleaf-jupyter.sh failed ({exit}):\n{stderr}\n{stdout}");
        var nb = JsonNode.Parse(File.ReadAllText(outFile))!;
        var outputs = nb["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").SelectMany(c => c!["outputs"]!.AsArray()).ToList();
        Assert.DoesNotContain(outputs, o => (string?)o!["output_type"] == "error");
        string all = string.Concat(outputs.Select(o => o!.ToJsonString()));
        Assert.Contains("redleaf-graph", all);
        Assert.Contains("plotly.js v2.28.0", all);
    }
}

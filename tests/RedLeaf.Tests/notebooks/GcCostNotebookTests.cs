// tests/notebooks: 07-gc-cost.ipynb's parameters, as papermill would inject them through `redleaf run -p`: the rates and
// GC modes it measures are the ones asked for (the notebook's quick run as a whole is NotebookRunTests').
using System.Text.Json.Nodes;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
[Collection(MeasurementNotebookCollection.Name)]
public class GcCostNotebookTests
{
    [Fact]
    public void ItsParametersChooseTheRatesAndTheModesMeasured()
    {
        string outDir = Directory.CreateTempSubdirectory("redleaf-gc-cost-").FullName;
        var (exit, stdout, stderr) = Cli.CliTests.RedleafWithin(TimeSpan.FromMinutes(5), "run",
            Path.Combine(TestNotebook.Root, "notebooks", "07-gc-cost.ipynb"), "--quick", "-p", "rates", "0,256", "-p", "modes", "svr,wks-conc", "--out", outDir);
        Assert.True(exit == 0, stdout + stderr);

        var cells = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "07-gc-cost.ipynb")))!["cells"]!.AsArray();
        var injected = cells.Single(c => c!["metadata"]?["tags"]?.AsArray().Any(t => (string?)t == "injected-parameters") == true)!;
        string source = string.Concat(injected["source"]!.AsArray().Select(l => (string?)l));
        Assert.Contains("var rates = \"0,256\";", source);
        Assert.Contains("var modes = \"svr,wks-conc\";", source);

        string outputs = string.Concat(cells.SelectMany(c => c!["outputs"]?.AsArray() ?? new JsonArray())
            .Select(o => o!["text"] is JsonArray t ? string.Concat(t.Select(l => (string?)l)) : o["text"]?.ToString() ?? ""));
        foreach (var row in new[] { "svr-0mb", "svr-256mb", "svr-crash-cleanup", "wks-conc-0mb", "wks-conc-256mb", "wks-conc-crash-cleanup" })
            Assert.Contains($"gc: {row}: ", outputs);
        Assert.DoesNotContain("512mb", outputs);
        Assert.DoesNotContain("gc: svr-conc-", outputs);
        Assert.Contains("all checks passed", outputs);
    }
}

// tests/kernel-ext/RedLeaf.Runner: papermill's convention in `redleaf run`: -p NAME VALUE and -f PARAMS.json values
// typed as papermill's CLI types them and written as its C# translator writes them; the injected cell
// after the `parameters` cell; papermill's metadata on the executed notebook and its cells, and the
// redleaf environment record; and a reproduction notebook that really uses the value it was given.
using System.Text.Json.Nodes;
using RedLeaf.Runner.Parameters;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
[Collection(MeasurementNotebookCollection.Name)]
public class ParameterTests
{
    [Theory]
    [InlineData("runs", "2", "var runs = 2;")]
    [InlineData("big", "3000000000", "var big = 3000000000L;")]
    [InlineData("neg", "-7", "var neg = -7;")]
    [InlineData("rate", "0.5", "var rate = 0.5;")]
    [InlineData("whole", "2.0", "var whole = 2.0;")]
    [InlineData("on", "True", "var on = true;")]
    [InlineData("off", "false", "var off = false;")]
    [InlineData("none", "None", "var none = null;")]
    [InlineData("name", "say \"hi\"\\now", "var name = \"say \\\"hi\\\"\\\\now\";")]
    public void CommandLineValuesAreTypedAndWrittenAsPapermillDoesForCSharp(string name, string text, string expected) =>
        Assert.Equal(expected, NotebookParameter.FromText(name, text).ToCSharp());

    [Fact]
    public void JsonFileValuesKeepTheirTypesListsAndObjectsIncluded()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("redleaf-params-").FullName, "p.json");
        File.WriteAllText(file, """{"sizes": [64, 4096], "label": "a", "opts": {"x": 1.5, "y": true}, "n": null}""");
        var ps = NotebookParameter.FromJsonFile(file).ToDictionary(p => p.Name, p => p.ToCSharp());
        Assert.Equal("var sizes = new [] { 64, 4096 };", ps["sizes"]);
        Assert.Equal("var label = \"a\";", ps["label"]);
        Assert.Equal("var opts = new Dictionary<string,Object>{ { \"x\" , 1.5 }, { \"y\" , true } };", ps["opts"]);
        Assert.Equal("var n = null;", ps["n"]);
        Assert.Throws<ArgumentException>(() => NotebookParameter.FromText("not a name", "1"));
    }

    [Fact]
    public void ARunWithAParameterInjectsItRecordsItAndTheNotebookUsesIt()
    {
        string outDir = Directory.CreateTempSubdirectory("redleaf-param-run-").FullName;
        var (exit, stdout, stderr) = Cli.CliTests.RedleafWithin(TimeSpan.FromMinutes(5), "run",
            Path.Combine(TestNotebook.Root, "notebooks", "03-why-calls-are-cheap.ipynb"), "--quick", "-p", "runs", "2", "--out", outDir);
        Assert.True(exit == 0, stdout + stderr); // the notebook's own checks passed: NotebookRunTests leaves this notebook to this test
        NotebookRunTests.AssertPage("03-why-calls-are-cheap.ipynb", Path.Combine(outDir, "03-why-calls-are-cheap.html"));
        var nb = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "03-why-calls-are-cheap.ipynb")))!;
        var cells = nb["cells"]!.AsArray().Select(c => c!).ToList();
        int defaults = cells.FindIndex(c => Tags(c).Contains("parameters"));
        int injected = cells.FindIndex(c => Tags(c).Contains("injected-parameters"));
        Assert.True(defaults >= 0 && injected == defaults + 1, $"parameters cell at {defaults}, injected at {injected}");
        Assert.Contains("var runs = 2;", Source(cells[injected]));

        var pm = nb["metadata"]!["papermill"]!;
        Assert.Equal(2, (long)pm["parameters"]!["runs"]!);
        foreach (var f in new[] { "default_parameters", "environment_variables", "input_path", "output_path", "start_time", "end_time", "duration" })
            Assert.NotNull(pm[f]);
        foreach (var c in cells.Where(c => (string?)c["cell_type"] == "code"))
            Assert.Equal("completed", (string?)c["metadata"]!["papermill"]!["status"]);
        var env = nb["metadata"]!["redleaf"]!;
        Assert.Matches("^[0-9a-f]{40}$", (string?)env["commit"]);
        Assert.True((bool)env["quick"]!);

        // The notebook really ran the suite twice: one median per run.
        string all = string.Concat(cells.SelectMany(c => c["outputs"]?.AsArray() ?? new JsonArray()).Select(o => o!.ToJsonString()));
        var m = System.Text.RegularExpressions.Regex.Match(all, @"proxy-null median per run \(TSC ticks\): ([0-9.]+), ([0-9.]+)");
        Assert.True(m.Success, "no per-run line with two medians");
    }

    private static List<string> Tags(JsonNode cell) =>
        cell["metadata"]?["tags"]?.AsArray().Select(t => (string)t!).ToList() ?? new List<string>();

    private static string Source(JsonNode cell) => cell["source"] is JsonArray a ? string.Concat(a.Select(s => (string?)s)) : (string?)cell["source"] ?? "";
}

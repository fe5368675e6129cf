// tests/kernel-ext/RedLeaf.Runner: pages built from hostile notebooks are safe to open. A student's markdown with raw
// HTML and event handlers, a code cell whose metadata claims to be markdown, HTML a cell displays, and a
// chart whose series label closes the chart's script: opened in headless Chromium, none of their scripts
// runs (each would add the word PWNED to the page: it is spelled in two halves in the sources, so only a
// script that ran could write it whole). The chart itself still draws (its own script is allowed by the
// page's Content-Security-Policy, by hash). Outputs are bounded: a cell printing 20 MB stores 1 MiB and says so.
using RedLeaf.Runner;
using RedLeaf.Tests.Notebooks;
using Xunit;

namespace RedLeaf.Tests.Classroom;

[Trait("suite", "classroom")]
[Collection(NotebookCollection.Name)]
public class PageSafetyTests
{
    private const string Pwn = "document.body.insertAdjacentHTML('beforeend', '<p>PW' + 'NED-";

    [Fact]
    public async Task ScriptsFromAHostileNotebookDoNotRunInItsPage()
    {
        string chromium = ExternalTools.Require("chromium", "chromium");
        string path = TestNotebook.Write(
            TestNotebook.LoadCell,
            $"md:# Homework\n<script>{Pwn}md</p>')</script>\n<img src=\"x\" onerror=\"{Pwn}img</p>')\">\n[click](javascript:{Pwn}link</p>'))",
            $"display(HTML(\"<b>bold</b><script>{Pwn}display</p>')</script><img src=x onerror=\\\"{Pwn}onerror</p>')\\\">\"));",
            "using RedLeaf.Notebook.Session;\nusing RedLeaf.Notebook.Charts;\nvar kernel = Lab.Boot();\n" +
            $"var m = kernel.Measure(\"</script><script>{Pwn}chart</p>')</script>\", () => System.Threading.Thread.SpinWait(1));\nnew CycleHistogram(new[] {{ m }})");
        // A code cell whose metadata claims to be markdown is shown as (sanitised) markdown, never run.
        var nb = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        nb["cells"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["outputs"] = new System.Text.Json.Nodes.JsonArray(),
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["dotnet_interactive"] = new System.Text.Json.Nodes.JsonObject { ["language"] = "markdown" } },
            ["source"] = $"<script>{Pwn}claimed</p>')</script>",
        });
        File.WriteAllText(path, nb.ToJsonString());

        string outDir = Directory.CreateTempSubdirectory("redleaf-hostile-page-").FullName;
        var result = await new NotebookRunner(new RunOptions { OutputFolder = outDir, Quick = true }).RunAsync(path);
        Assert.True(result.Succeeded, result.ErrorSummary);

        string[] flags = { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--virtual-time-budget=10000" };
        var (exit, dom, err) = ExternalTools.Run(chromium, flags.Append("--dump-dom").Append(new Uri(result.Page!).AbsoluteUri), TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, err);
        Assert.DoesNotContain("PWNED", dom);
        Assert.Contains("<b>bold</b>", dom);       // harmless HTML survives the sanitiser
        Assert.Contains("class=\"main-svg\"", dom); // the chart's own script ran
        Assert.Contains("Content-Security-Policy", File.ReadAllText(result.Page!));
    }

    [Fact]
    public async Task ACellPrintingTwentyMegabytesStoresOneAndSaysSo()
    {
        string path = TestNotebook.Write(TestNotebook.LoadCell, "System.Console.Write(new string('x', 20_000_000));");
        string outDir = Directory.CreateTempSubdirectory("redleaf-big-output-").FullName;
        var result = await new NotebookRunner(new RunOptions { OutputFolder = outDir, Quick = true }).RunAsync(path);
        Assert.True(result.Succeeded, result.ErrorSummary);
        Assert.Contains("output truncated here", result.Text);
        Assert.True(new FileInfo(result.ExecutedNotebook!).Length < 3 << 20, $"notebook is {new FileInfo(result.ExecutedNotebook!).Length:N0} bytes");
        Assert.True(new FileInfo(result.Page!).Length < 3 << 20, $"page is {new FileInfo(result.Page!).Length:N0} bytes");
    }
}

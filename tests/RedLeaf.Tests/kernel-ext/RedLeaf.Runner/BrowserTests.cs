// tests/kernel-ext/RedLeaf.Runner: the exported tour page opened in headless Chromium (Debian's chromium): the
// rendered DOM shows the ownership graph's nodes and a drawn Plotly chart (.main-svg, which only
// exists once plotly.js ran, offline). So do the rv6 page and a 1,000-object ownership graph. Screenshots
// are kept in artifacts/screenshots/ (tour.png, rv6.png, graph-1000.png) for a person to look at.
using RedLeaf.Runner;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
[Collection(NotebookCollection.Name)]
public class BrowserTests
{
    [Fact]
    public async Task TheTourPageRendersTheGraphAndTheChartInChromium()
    {
        string chromium = ExternalTools.Require("chromium", "chromium");
        string outDir = Directory.CreateTempSubdirectory("redleaf-browser-").FullName;
        var result = await new NotebookRunner(new RunOptions { OutputFolder = outDir, Quick = true }).RunAsync(Path.Combine(TestNotebook.Root, "notebooks", "00-tour.ipynb"));
        Assert.True(result.Succeeded, result.ErrorSummary);
        string url = new Uri(result.Page!).AbsoluteUri;
        string[] common = { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--virtual-time-budget=15000", "--window-size=1280,6000" };

        var (exit, dom, err) = ExternalTools.Run(chromium, common.Append("--dump-dom").Append(url), TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, err);
        Assert.Contains("class=\"main-svg\"", dom);
        Assert.Contains("class=\"redleaf-graph\"", dom);
        Assert.Contains("class=\"rref\"", dom);

        Screenshot(chromium, common, url, "tour.png");
    }

    [Fact]
    public async Task TheRv6PageRendersItsGraphsInChromium()
    {
        string chromium = ExternalTools.Require("chromium", "chromium");
        string outDir = Directory.CreateTempSubdirectory("redleaf-browser-").FullName;
        var result = await new NotebookRunner(new RunOptions { OutputFolder = outDir, Quick = true }).RunAsync(Path.Combine(TestNotebook.Root, "notebooks", "01-rv6.ipynb"));
        Assert.True(result.Succeeded, result.ErrorSummary);
        string url = new Uri(result.Page!).AbsoluteUri;
        string[] common = { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--virtual-time-budget=15000", "--window-size=1280,7000" };
        var (exit, dom, err) = ExternalTools.Run(chromium, common.Append("--dump-dom").Append(url), TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, err);
        Assert.Contains("class=\"redleaf-graph\"", dom);
        Assert.Contains("\u00d7 byte[1024]", System.Net.WebUtility.HtmlDecode(dom)); // a run of rv6's buffers, collapsed
        Screenshot(chromium, common, url, "rv6.png");
    }

    [Fact]
    public void AThousandObjectGraphRendersInChromium()
    {
        string chromium = ExternalTools.Require("chromium", "chromium");
        var owners = new Dictionary<int, string> { [3] = "fs#3", [4] = "app#4", [5] = "net#5", [6] = "notes#6" };
        var graph = new RedLeaf.Notebook.Graph.OwnershipGraph(OwnershipGraphLayoutTests.Thousand(), owners, "1,000 objects");
        string page = Path.Combine(Directory.CreateTempSubdirectory("redleaf-browser-").FullName, "graph-1000.html");
        File.WriteAllText(page, "<!doctype html><html><head><meta charset=\"utf-8\"><title>1,000 objects</title></head><body>" + graph.ToHtml() + "</body></html>");
        string url = new Uri(page).AbsoluteUri;
        string[] common = { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--window-size=1280,5200" };
        var (exit, dom, err) = ExternalTools.Run(chromium, common.Append("--dump-dom").Append(url), TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, err);
        Assert.Contains("class=\"redleaf-graph\"", dom);
        Assert.Contains("<details", dom);
        Screenshot(chromium, common, url, "graph-1000.png");
    }

    /// <summary>Keeps a screenshot of <paramref name="url"/> in artifacts/screenshots/ and checks it is not empty.</summary>
    private static void Screenshot(string chromium, string[] common, string url, string name)
    {
        string shots = Path.Combine(TestNotebook.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(shots);
        string png = Path.Combine(shots, name);
        File.Delete(png);
        var (exit, _, err) = ExternalTools.Run(chromium, common.Append($"--screenshot={png}").Append(url), TimeSpan.FromMinutes(2));
        Assert.True(exit == 0 && File.Exists(png) && new FileInfo(png).Length > 10_000, $"no screenshot {name}: {err}");
    }
}

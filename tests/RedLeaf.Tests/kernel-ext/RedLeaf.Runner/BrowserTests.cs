// tests/kernel-ext/RedLeaf.Runner: the exported tour page opened in headless Chromium (Debian's chromium): the
// rendered DOM shows the ownership graph's nodes and a drawn Plotly chart (.main-svg, which only
// exists once plotly.js ran, offline). A screenshot is kept in artifacts/screenshots/tour.png.
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
        var result = await new NotebookRunner(new RunOptions { OutputFolder = outDir, Quick = true }).RunAsync(Path.Combine(TestNotebook.Root, "notebooks", "tour.ipynb"));
        Assert.True(result.Succeeded, result.ErrorSummary);
        string url = new Uri(result.Page!).AbsoluteUri;
        string[] common = { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--virtual-time-budget=15000", "--window-size=1280,6000" };

        var (exit, dom, err) = ExternalTools.Run(chromium, common.Append("--dump-dom").Append(url), TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, err);
        Assert.Contains("class=\"main-svg\"", dom);
        Assert.Contains("class=\"redleaf-graph\"", dom);
        Assert.Contains("class=\"rref\"", dom);

        string shots = Path.Combine(TestNotebook.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(shots);
        string png = Path.Combine(shots, "tour.png");
        (exit, _, err) = ExternalTools.Run(chromium, common.Append($"--screenshot={png}").Append(url), TimeSpan.FromMinutes(2));
        Assert.True(exit == 0 && File.Exists(png) && new FileInfo(png).Length > 10_000, $"no screenshot: {err}");
    }
}

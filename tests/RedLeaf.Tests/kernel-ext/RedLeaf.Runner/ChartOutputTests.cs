// tests/kernel-ext/RedLeaf.Runner: a chart's PNG reaches the executed notebook and the static tools. A small
// notebook displays a cycle histogram and a PlotlyView; the runner's .ipynb holds image/png beside
// text/html in the same output, and the HTML holds the same picture (cleared by its script before plotly
// draws, so viewers that do not run scripts show it); the exported page shows the interactive chart; nbconvert's
// HTML keeps the picture; and nbconvert (Debian's jupyter-nbconvert) turning the notebook into LaTeX, its route to a
// PDF, takes that PNG: it is extracted as a file of the chart's size. The page is screenshot in headless
// Chromium (artifacts/screenshots/charts.png) with the PNG itself beside it (charts-fallback.png).
using System.Text.Json.Nodes;
using RedLeaf.Runner;
using SkiaSharp;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
[Collection(NotebookCollection.Name)]
public class ChartOutputTests
{
    private const string ChartCell =
        "using RedLeaf.Notebook.Charts;\nusing Plotly.NET.CSharp;\n" +
        "var rng = new System.Random(1);\n" +
        "var a = new CycleSamples(\"proxy-null\", System.Linq.Enumerable.Range(0, 2000).Select(i => 100 + rng.NextDouble() * 40 + (i % 400 == 0 ? 2000 : 0)).ToArray());\n" +
        "var b = new CycleSamples(\"direct\", System.Linq.Enumerable.Range(0, 2000).Select(i => 30 + rng.NextDouble() * 20).ToArray());\n" +
        "display(new CycleHistogram(new[] { a, b }, \"Cross-domain calls\"));\n" +
        "new PlotlyView(Chart.Line<double, double, string>(x: new[] { 0.0, 1, 2, 3 }, y: new[] { 4.0, 1, 3, 2 }, Name: \"reads\")\n" +
        "    .WithYAxisStyle<double, double, string>(TitleText: \"MB/s\"), \"A time series\")";

    [Fact]
    public async Task TheExecutedNotebookCarriesEachChartsPngAndNbconvertTakesIt()
    {
        string path = TestNotebook.Write(TestNotebook.LoadCell, ChartCell);
        string outDir = Directory.CreateTempSubdirectory("redleaf-chart-png-").FullName;
        var result = await new NotebookRunner(new RunOptions { OutputFolder = outDir, Quick = true }).RunAsync(path);
        Assert.True(result.Succeeded, result.ErrorSummary);

        var nb = JsonNode.Parse(File.ReadAllText(result.ExecutedNotebook!))!;
        var outputs = nb["cells"]!.AsArray()[1]!["outputs"]!.AsArray();
        var charts = outputs.Where(o => o!["data"]?["text/html"] is not null).ToList();
        Assert.Equal(2, charts.Count);
        var pngs = new List<byte[]>();
        foreach (var o in charts)
        {
            Assert.True(o!["data"]!["image/png"] is not null, "a chart's output has no image/png beside its text/html, only " + string.Join(", ", o["data"]!.AsObject().Select(kv => kv.Key)));
            byte[] png = Convert.FromBase64String(MultilineString(o["data"]!["image/png"]!));
            using var bitmap = SKBitmap.Decode(png);
            Assert.NotNull(bitmap);
            pngs.Add(png);
        }

        // The chart's HTML holds the same picture, which its script clears before drawing: viewers that show
        // text/html without running scripts (GitHub, nbviewer, an untrusted notebook) show the picture.
        for (int i = 0; i < charts.Count; i++)
        {
            string html = MultilineString(charts[i]!["data"]!["text/html"]!);
            Assert.Contains("<img class=\"redleaf-chart-picture\"", html);
            Assert.Contains("data:image/png;base64," + Convert.ToBase64String(pngs[i]), html);
            Assert.Contains("d.textContent = ''", html);
        }

        // The page draws the interactive charts; each picture is there once, inside the chart its script clears.
        string page = File.ReadAllText(result.Page!);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(page, "Plotly.newPlot\\(d, ").Count);
        foreach (var png in pngs) Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, System.Text.RegularExpressions.Regex.Escape(Convert.ToBase64String(png)[..200])));

        // nbconvert's HTML, like GitHub and nbviewer, takes text/html: the picture comes with it.
        string nbconvertHtml = Directory.CreateTempSubdirectory("redleaf-chart-html-").FullName;
        var (htmlExit, htmlOut, htmlErr) = ExternalTools.Run(ExternalTools.Require("jupyter-nbconvert", "jupyter-nbconvert"),
            new[] { "--to", "html", result.ExecutedNotebook!, "--output-dir", nbconvertHtml }, TimeSpan.FromMinutes(2));
        Assert.True(htmlExit == 0, htmlOut + htmlErr);
        string converted = File.ReadAllText(Directory.GetFiles(nbconvertHtml, "*.html").Single());
        foreach (var png in pngs) Assert.Contains("data:image/png;base64," + Convert.ToBase64String(png)[..200], converted);

        // nbconvert's LaTeX (its PDF route) prefers image/png to text/html and extracts it; its HTML and
        // markdown exporters prefer text/html, as Jupyter does.
        string jupyter = ExternalTools.Require("jupyter-nbconvert", "jupyter-nbconvert");
        string texDir = Directory.CreateTempSubdirectory("redleaf-chart-tex-").FullName;
        var (exit, stdout, stderr) = ExternalTools.Run(jupyter, new[] { "--to", "latex", result.ExecutedNotebook!, "--output-dir", texDir }, TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, stdout + stderr);
        string tex = File.ReadAllText(Directory.GetFiles(texDir, "*.tex").Single());
        var extracted = Directory.GetFiles(texDir, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, extracted.Count);
        foreach (var file in extracted)
        {
            Assert.Contains(Path.GetFileName(file), tex);
            Assert.Contains(File.ReadAllBytes(file), pngs);
        }
        using (var first = SKBitmap.Decode(extracted[0]))
            Assert.True(first.Width == RedLeaf.Notebook.Charts.ChartStyle.Width && first.Height == RedLeaf.Notebook.Charts.ChartStyle.Height,
                $"nbconvert's picture is {first.Width}x{first.Height}");

        // For a person to look at: the page in Chromium, and the picture static viewers show.
        string chromium = ExternalTools.Require("chromium", "chromium");
        string shots = Path.Combine(TestNotebook.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(shots);
        File.WriteAllBytes(Path.Combine(shots, "charts-fallback.png"), pngs[0]);
        string shot = Path.Combine(shots, "charts.png");
        File.Delete(shot);
        string[] flags = { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--virtual-time-budget=10000", "--window-size=1280,1400", $"--screenshot={shot}" };
        var (shotExit, _, shotErr) = ExternalTools.Run(chromium, flags.Append(new Uri(result.Page!).AbsoluteUri), TimeSpan.FromMinutes(2));
        Assert.True(shotExit == 0 && File.Exists(shot) && new FileInfo(shot).Length > 10_000, $"no screenshot: {shotErr}");
    }

    /// <summary>nbformat's multiline string: one string, or its lines as an array.</summary>
    private static string MultilineString(JsonNode node) => node is JsonArray lines ? string.Concat(lines.Select(l => l!.GetValue<string>())) : node.GetValue<string>();
}

// tests/notebooks: every notebook in notebooks/ runs headless in quick mode and passes its own checks;
// its exported page is self-contained: no script is fetched from the network, every page with a
// chart carries plotly.js exactly once, and pages that show the heap carry an inline SVG graph.
using System.Text.RegularExpressions;
using RedLeaf.Runner;
using Xunit;
using Xunit.Abstractions;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
[Collection(NotebookCollection.Name)]
public class NotebookRunTests
{
    private readonly ITestOutputHelper _out;
    public NotebookRunTests(ITestOutputHelper output) => _out = output;

    /// <summary>Run in quick mode by another test, in a child process, with the same checks of its page: not run twice.</summary>
    private static readonly Dictionary<string, string> RunElsewhere = new()
    {
        ["03-why-calls-are-cheap.ipynb"] = "ParameterTests.ARunWithAParameterInjectsItRecordsItAndTheNotebookUsesIt (runs = 2)",
        ["04-language-tax.ipynb"] = HeavyInChildProcess,
        ["05-drivers-and-batching.ipynb"] = HeavyInChildProcess,
        ["06-recovery.ipynb"] = HeavyInChildProcess,
    };

    private const string HeavyInChildProcess = "NotebookChildRunTests: the longest measurement notebooks run in a child process (`redleaf run --quick`), " +
        "alongside the parallel suites, instead of one at a time in this process";

    /// <summary>The notebooks NotebookChildRunTests runs.</summary>
    public static IEnumerable<object[]> HeavyNotebooks() => RunElsewhere.Where(kv => kv.Value == HeavyInChildProcess).Select(kv => new object[] { kv.Key });

    public static IEnumerable<object[]> Notebooks() => TestNotebook.RepositoryNotebooks()
        .Select(p => Path.GetRelativePath(Path.Combine(TestNotebook.Root, "notebooks"), p))
        .Where(p => !RunElsewhere.ContainsKey(p))
        .Select(p => new object[] { p });

    /// <summary>Notebooks whose pages must show an ownership graph.</summary>
    private static readonly string[] WithGraph = { "00-tour.ipynb", "01-rv6.ipynb", "06-recovery.ipynb", "write-a-domain.ipynb", "pass-data-without-copying.ipynb", "shadow-driver.ipynb" };

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task RunsHeadlessAndPassesItsChecks(string notebook)
    {
        string outDir = Directory.CreateTempSubdirectory("redleaf-run-").FullName;
        var runner = new NotebookRunner(new RunOptions { OutputFolder = outDir, Quick = true, CellTimeout = TimeSpan.FromMinutes(3) });
        var result = await runner.RunAsync(Path.Combine(TestNotebook.Root, "notebooks", notebook));
        _out.WriteLine($"{notebook}: {result.Cells.Count} cells in {result.Elapsed.TotalSeconds:F1} s");
        Assert.True(result.Succeeded, result.ErrorSummary);
        Assert.NotEmpty(result.Cells);

        AssertPage(notebook, result.Page!);
        Assert.True(File.Exists(result.ExecutedNotebook));
    }

    /// <summary>A notebook's exported page is self-contained: no script fetched from the network, plotly.js once if it
    /// has a chart, an inline ownership graph where the notebook shows the heap.</summary>
    internal static void AssertPage(string notebook, string pagePath)
    {
        string page = File.ReadAllText(pagePath);
        Assert.DoesNotMatch(new Regex("<script[^>]*\\bsrc\\s*=", RegexOptions.IgnoreCase), page);
        if (page.Contains("Plotly.newPlot", StringComparison.Ordinal))
            Assert.Single(Regex.Matches(page, Regex.Escape("plotly.js v2.28.0")));
        if (WithGraph.Contains(Path.GetFileName(notebook)))
            Assert.Contains("<svg class=\"redleaf-graph\"", page);
    }

    [Fact]
    public void EveryNotebookRunElsewhereIsInTheRepository()
    {
        foreach (var n in RunElsewhere.Keys)
            Assert.True(File.Exists(Path.Combine(TestNotebook.Root, "notebooks", n)), $"{n} is said to run elsewhere but is not in notebooks/");
    }

    [Fact]
    public void EveryNotebookIsListedHere() => Assert.True(Notebooks().Count() >= 1, "notebooks/ holds no notebook");
}

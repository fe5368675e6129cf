// tests/notebooks: the longest measurement notebooks (their quick runs take 20-50 s each) run headless in a child process,
// `redleaf run --quick` as the main job runs them, so they share the machine with the parallel suites instead of
// running one at a time in this process (NotebookRunTests runs the rest in-process); the same checks of their pages.
using Xunit;
using Xunit.Abstractions;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
[Collection(MeasurementNotebookCollection.Name)]
public class NotebookChildRunTests
{
    private readonly ITestOutputHelper _out;
    public NotebookChildRunTests(ITestOutputHelper output) => _out = output;

    [Theory]
    [MemberData(nameof(NotebookRunTests.HeavyNotebooks), MemberType = typeof(NotebookRunTests))]
    public void RunsHeadlessInAChildProcessAndPassesItsChecks(string notebook)
    {
        string outDir = Directory.CreateTempSubdirectory("redleaf-child-run-").FullName;
        var (exit, stdout, stderr) = Cli.CliTests.RedleafWithin(TimeSpan.FromMinutes(6), "run",
            Path.Combine(TestNotebook.Root, "notebooks", notebook), "--quick", "--out", outDir);
        _out.WriteLine(stdout);
        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        string name = Path.GetFileNameWithoutExtension(notebook);
        NotebookRunTests.AssertPage(notebook, Path.Combine(outDir, name + ".html"));
        Assert.True(File.Exists(Path.Combine(outDir, name + ".ipynb")), "the executed notebook was written");
    }
}

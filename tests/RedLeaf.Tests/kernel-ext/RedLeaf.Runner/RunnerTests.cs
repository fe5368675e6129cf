// tests/kernel-ext/RedLeaf.Runner: the headless runner's contract: the first error is named by notebook and cell; a
// runaway domain cell is stopped by killing the domain (the run goes on to report it, the process
// lives); domain cells report compiler diagnostics at the cell's own lines; a domain's export reaches
// notebook code only as a trusted proxy, so a killed domain is still collected inside the runner;
// a malformed notebook is refused with its path in the message.
using System.Diagnostics;
using RedLeaf.Runner;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
[Collection(NotebookCollection.Name)]
public class RunnerTests
{
    private const string Boot = "using RedLeaf.Notebook.Session;\nusing static RedLeaf.Notebook.Session.Checks;\nvar kernel = Lab.Boot();";

    private static string KeeperDomain(string name, string addBody) => $$"""
        #!domain --name {{name}}
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Lab;
        using RedLeaf.Interfaces.Test;

        public sealed class K : IKeeper
        {
            public RpcResult<long> Add(long a, long b) { {{addBody}} }
            public RpcResult<long> Keep(RRef<Payload> p) { p.Drop(); return 1; }
            public RpcResult<long> Count() => 0;
            public RpcResult Crash() => throw new InvalidOperationException("asked");
        }

        public static class Entry
        {
            [DomainEntry]
            public static IKeeper Start() => new K();
        }
        """;

    private static Task<NotebookResult> Run(string path, TimeSpan? timeout = null) =>
        new NotebookRunner(new RunOptions { WriteOutputs = false, Quick = true, CellTimeout = timeout ?? TimeSpan.FromMinutes(2) }).RunAsync(path);

    [Fact]
    public async Task TheFirstErrorNamesTheNotebookAndCellAndLaterCellsDoNotRun()
    {
        var nb = TestNotebook.Write("md:# title", TestNotebook.LoadCell, "Console.WriteLine(\"one\");", "throw new InvalidOperationException(\"boom in cell four\");", "Console.WriteLine(\"never\");");
        var r = await Run(nb);
        Assert.False(r.Succeeded);
        Assert.Equal(3, r.FirstError!.Index);
        Assert.StartsWith("test.ipynb, cell 4: ", r.ErrorSummary);
        Assert.Contains("boom in cell four", r.ErrorSummary);
        Assert.DoesNotContain("never", r.Text);
    }

    [Fact]
    public async Task ARunawayDomainCellIsStoppedByKillingTheDomain()
    {
        var nb = TestNotebook.Write(TestNotebook.LoadCell, Boot,
            KeeperDomain("spin", "long x = a; while (true) { x = x * 3 + b; }"),
            "var r = spin.Add(1, 2);\nConsole.WriteLine($\"spin.Add returned {r}\");",
            "Console.WriteLine(\"after\");");
        var runner = new NotebookRunner(new RunOptions { WriteOutputs = false, Quick = true, CellTimeout = TimeSpan.FromSeconds(8) });
        var sw = Stopwatch.StartNew();
        var r = await runner.RunAsync(nb);
        sw.Stop();
        Assert.False(runner.Abandoned);
        var cell = r.FirstError!;
        Assert.Equal(3, cell.Index);
        Assert.Contains("timeout", cell.Error);
        Assert.Contains("killed spin", cell.Error);
        Assert.Contains("spin.Add returned Err(", cell.Text); // the caller got an RpcResult error and the cell finished
        Assert.True(cell.Elapsed < TimeSpan.FromSeconds(8 + 5), $"the cell took {cell.Elapsed.TotalSeconds:F1} s to stop after an 8 s timeout");
    }

    [Fact]
    public async Task DomainCellDiagnosticsPointAtTheCellsLines()
    {
        var nb = TestNotebook.Write(TestNotebook.LoadCell, Boot, KeeperDomain("bad", "return undefinedName;"));
        var r = await Run(nb);
        var error = r.FirstError!.Error!;
        Assert.Contains("refused by the trusted compiler", error);
        // The domain cell: line 1 is the #!domain line; Add's body is on line 8.
        Assert.Contains("cell line 8,", error);
        Assert.Contains("undefinedName", error);
    }

    [Fact]
    public async Task UnsafeDomainCellsAreRefusedWithAReason()
    {
        var nb = TestNotebook.Write(TestNotebook.LoadCell, Boot, KeeperDomain("sneaky", "System.IO.File.WriteAllText(\"/tmp/x\", \"y\"); return 0;"));
        var r = await Run(nb);
        Assert.Contains("refused by the trusted compiler", r.FirstError!.Error);
        Assert.Contains("cell line 8,", r.FirstError.Error);
    }

    [Fact]
    public async Task DomainExportsReachCellsOnlyAsProxiesAndAKilledDomainIsCollected()
    {
        var nb = TestNotebook.Write(TestNotebook.LoadCell, Boot,
            KeeperDomain("k", "return a + b;"),
            "Console.WriteLine(k.GetType().Assembly.GetName().Name);\nCheckEqual(5L, k.Add(2, 3).Value, \"k.Add\");",
            "var report = kernel.Kill(\"k\");\nCheck(report.Collection?.Collected == true, \"the killed domain's code was collected inside the runner\");\nConsole.WriteLine(k.Add(1, 1));");
        var r = await Run(nb);
        Assert.True(r.Succeeded, r.ErrorSummary);
        Assert.Contains("RedLeaf.Proxies", r.Text);
        Assert.Contains("Err(NotRunning", r.Text);
    }

    private const string TallySet = """
        #!idl
        using RedLeaf.Abi;
        namespace Tallies;

        [DomainInterface]
        public interface ITally { RpcResult<long> Next(long by); }
        """;

    private const string TallyDomain = """
        #!domain --name tally
        using RedLeaf.Abi;
        using Tallies;

        sealed class T : ITally { long _n; public RpcResult<long> Next(long by) { _n += by; return _n; } }

        public static class Entry { [DomainEntry] public static ITally Start() => new T(); }
        """;

    // A keeper whose Add(a, b) asks the tally domain, through the cell's interface, to count a + b.
    private const string CountingKeeper = """
        #!domain --name keeper --grant tally
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Lab;
        using RedLeaf.Interfaces.Test;
        using Tallies;

        sealed class K : IKeeper
        {
            private readonly ITally _tally;
            public K(ITally tally) { _tally = tally; }
            public RpcResult<long> Add(long a, long b) => _tally.Next(a + b);
            public RpcResult<long> Keep(RRef<Payload> p) { p.Drop(); return 1; }
            public RpcResult<long> Count() => 0;
            public RpcResult Crash() => throw new InvalidOperationException("asked");
        }

        public static class Entry { [DomainEntry] public static IKeeper Start(ITally tally) => new K(tally); }
        """;

    [Fact]
    public async Task AnIdlCellDeclaresAnInterfaceThatOneDomainCellExportsAndAnotherCalls()
    {
        var nb = TestNotebook.Write(TestNotebook.LoadCell, Boot, TallySet, TallyDomain, CountingKeeper,
            "CheckEqual(3L, keeper.Add(1, 2).Value, \"keeper.Add through the tally\");\nCheckEqual(10L, keeper.Add(3, 4).Value, \"the tally kept count\");",
            "Console.WriteLine(tally.GetType().Assembly.GetName().Name);\nCheckEqual(15L, tally.Next(5).Value, \"the host calls the cell's interface\");");
        var r = await Run(nb);
        Assert.True(r.Succeeded, r.ErrorSummary);
        Assert.Contains("interface set Cell.Interfaces.", r.Text);
        Assert.Contains("Tallies.ITally (1 methods)", r.Text);
        Assert.Contains("Cell.Proxies.", r.Text);
    }

    [Fact]
    public async Task AnIdlCellThatHoldsCodeIsRefusedAtItsLine()
    {
        var nb = TestNotebook.Write(TestNotebook.LoadCell, Boot, "#!idl\nnamespace Lab.Bad;\npublic static class Helper { public static int Twice(int x) => 2 * x; }");
        var r = await Run(nb);
        var error = r.FirstError!.Error!;
        Assert.Contains("the interface set was refused", error);
        Assert.Contains("cell line 3,", error);
        Assert.Contains("RLIDL005", error);
    }

    [Fact]
    public async Task AMalformedNotebookIsRefusedNamingTheFile()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("redleaf-nb-").FullName, "broken.ipynb");
        File.WriteAllText(path, "{ \"cells\": [ { \"cell_type\": ");
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => Run(path));
        Assert.Contains("broken.ipynb", e.Message);
    }

    /// <summary>The older first cell (`#r` of the DLL by a path that does not resolve from a temp folder,
    /// then Load()) still finds the repository's build.</summary>
    [Fact]
    public async Task TheOlderByPathFirstCellStillLoadsTheExtension()
    {
        var path = TestNotebook.Write("#r \"../artifacts/interactive/RedLeaf.Interactive.dll\"\nRedLeaf.Interactive.RedLeafExtension.Load()", Boot, "kernel is not null");
        var r = await Run(path);
        Assert.True(r.Succeeded, r.ErrorSummary);
    }

    /// <summary>A cell of plain synchronous host code still gets its "still running" lines: the runner does
    /// not wait inside the cell (it once did, so a long cell printed nothing until it ended).</summary>
    [Fact]
    public async Task ALongSynchronousCellReportsProgressWhileItRuns()
    {
        var lines = new List<string>();
        var path = TestNotebook.Write(TestNotebook.LoadCell, "System.Threading.Thread.Sleep(3500);");
        var r = await new NotebookRunner(new RunOptions
        {
            WriteOutputs = false,
            Quick = true,
            ProgressInterval = TimeSpan.FromSeconds(1),
            Progress = l => { lock (lines) lines.Add(l); },
        }).RunAsync(path);
        Assert.True(r.Succeeded, r.ErrorSummary);
        lock (lines) Assert.True(lines.Count(l => l.Contains("cell 2 still running", StringComparison.Ordinal)) >= 2, string.Join("\n", lines));
    }

    [Fact]
    public void RunExitsNonZeroNamingTheCellAndWritesPages()
    {
        var ok = TestNotebook.Write(TestNotebook.LoadCell, "display(\"hello\");");
        string outDir = Directory.CreateTempSubdirectory("redleaf-out-").FullName;
        var (exit, stdout, stderr) = Cli.CliTests.Redleaf("run", ok, "--out", outDir, "--quick");
        Assert.True(exit == 0, stderr + stdout);
        Assert.True(File.Exists(Path.Combine(outDir, "test.html")));
        Assert.True(File.Exists(Path.Combine(outDir, "test.ipynb")));
        Assert.Contains("cell 2/2", stderr); // progress

        var bad = TestNotebook.Write(TestNotebook.LoadCell, "throw new Exception(\"no\");");
        (exit, stdout, stderr) = Cli.CliTests.Redleaf("run", bad, "--out", outDir);
        Assert.Equal(1, exit);
        Assert.Contains("test.ipynb, cell 2: ", stdout + stderr);

        (exit, _, stderr) = Cli.CliTests.Redleaf("run", "/nonexistent/x.ipynb");
        Assert.Equal(2, exit);
        Assert.Contains("/nonexistent/x.ipynb", stderr);
    }
}

// tests/kernel-ext/RedLeaf.Runner: `redleaf run` over a folder of hostile notebooks, as a TA's run over a class would
// meet them: Environment.Exit in a host cell, a host cell that loops forever, a stack overflow, a file
// that is not a notebook, and memory without end (managed, and native past the managed limit). Each
// ends its own notebook with a FAIL line naming it and the cell, the others still run, the summary
// lists every outcome, and the exit status is 1.
using RedLeaf.Tests.Notebooks;
using Xunit;

namespace RedLeaf.Tests.Classroom;

[Trait("suite", "classroom")]
[Collection(ChildProcessNotebookCollection.Name)]
public class RunIsolationTests
{
    [Fact]
    public void ANotebookThatKillsItsProcessFailsAloneAndTheRunGoesOn()
    {
        string dir = Directory.CreateTempSubdirectory("redleaf-hostile-run-").FullName;
        Put(dir, "a-exit.ipynb", TestNotebook.LoadCell, "System.Environment.Exit(0);", "1 + 1");
        Put(dir, "b-loop.ipynb", TestNotebook.LoadCell, "while (true) { }");
        Put(dir, "c-overflow.ipynb", TestNotebook.LoadCell, "int F(int n) => F(n + 1) + 1;\nF(0)");
        File.WriteAllText(Path.Combine(dir, "d-malformed.ipynb"), "{ \"cells\": [ { \"cell_type\": ");
        Put(dir, "e-fine.ipynb", TestNotebook.LoadCell, "display(\"fine\");\n6 * 7");
        string outDir = Directory.CreateTempSubdirectory("redleaf-hostile-out-").FullName;

        var (exit, stdout, stderr) = Cli.CliTests.RedleafWithin(TimeSpan.FromMinutes(6), "run", dir, "--out", outDir, "--timeout", "15", "--notebook-timeout", "100");

        Assert.True(exit == 1, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("FAIL  " + Path.Combine(dir, "a-exit.ipynb") + ": a-exit.ipynb, cell 2: the notebook's process ended before the notebook did (exit code 0", stdout);
        Assert.Contains("b-loop.ipynb, cell 2: the cell ran past its 15 s timeout", stdout);
        Assert.Contains("c-overflow.ipynb, cell 2: the notebook's process died of a stack overflow", stdout);
        Assert.Contains("d-malformed.ipynb: not a valid Jupyter notebook", stdout);
        Assert.Contains("ok    " + Path.Combine(dir, "e-fine.ipynb"), stdout);
        Assert.True(File.Exists(Path.Combine(outDir, "e-fine.html")), "the passing notebook's page was written");
        Assert.Contains("summary: 1 of 5 notebooks passed", stdout);
        foreach (var n in new[] { "a-exit", "b-loop", "c-overflow", "d-malformed" })
            Assert.Contains($"  FAIL  {Path.Combine(dir, n + ".ipynb")}", stdout);
    }

    [Fact]
    public void ANotebookOverItsMemoryLimitFailsNamingTheLimit()
    {
        string dir = Directory.CreateTempSubdirectory("redleaf-hostile-mem-").FullName;
        // Native memory the GC does not see: only the watcher outside the process can bound it.
        Put(dir, "native.ipynb", TestNotebook.LoadCell,
            "var blocks = new System.Collections.Generic.List<System.IntPtr>();\nwhile (true) { var p = System.Runtime.InteropServices.Marshal.AllocHGlobal(1 << 24); for (int i = 0; i < 1 << 24; i += 4096) System.Runtime.InteropServices.Marshal.WriteByte(p, i, 1); blocks.Add(p); }");
        Put(dir, "managed.ipynb", TestNotebook.LoadCell,
            "var keep = new System.Collections.Generic.List<byte[]>();\nwhile (true) { var a = new byte[1 << 24]; System.Array.Fill(a, (byte)1); keep.Add(a); }");
        var (exit, stdout, stderr) = Cli.CliTests.RedleafWithin(TimeSpan.FromMinutes(4), "run", dir, "--out", dir, "--timeout", "60", "--memory", "1536");
        Assert.True(exit == 1, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("native.ipynb, cell 2: used more than the notebook's memory limit of 1536 MiB", stdout);
        Assert.Contains("managed.ipynb, cell 2: ", stdout);
        Assert.Contains("OutOfMemoryException", stdout);
        Assert.Contains("summary: 0 of 2 notebooks passed", stdout);
    }

    private static void Put(string dir, string name, params string[] cells) =>
        File.Copy(TestNotebook.Write(cells), Path.Combine(dir, name));
}

// tests/benchmarks/RedLeaf.Benchmarks/Suites: `bench rv6` (issue 19, item 4) in quick mode has its rows and fields, each with
// Linux's figure beside it where the suite claims one; and the Linux baseline (native/procbench) does what its rows
// say: an exec of a path that does not exist fails the run instead of timing a fork that exited at once.
using System.Diagnostics;
using RedLeaf.Benchmarks.Native;
using RedLeaf.Benchmarks.Suites;
using Xunit;

namespace RedLeaf.Tests.Bench;

[Trait("suite", "bench")]
[Collection("rv6-riscv")]
public class Rv6SuiteTests
{
    [Fact]
    public void TheQuickRunHasEveryRowWithItsBaseline()
    {
        var r = Rv6Suite.Run(quick: true);
        Assert.Equal(new[] { "fork", "fork-exec", "pipe", "spawn-sh", "boot-warm" }, r.Rows.Select(x => x.Name));
        double Field(string row, string field) => (double)r.Rows.Single(x => x.Name == row).Fields.Single(f => f.Key == field).Value!;
        // Shapes, not speeds: a quick run under a loaded CI machine is noise-bound (each fork row is the difference of two
        // pass sizes), so only the whole-pass rows are held to be positive.
        foreach (var row in new[] { "fork", "fork-exec", "spawn-sh", "boot-warm" })
            Assert.True(double.IsFinite(Field(row, "median_us")) && double.IsFinite(Field(row, "p90_us")), row);
        foreach (var row in new[] { "spawn-sh", "boot-warm" })
            Assert.True(Field(row, "median_us") > 0 && Field(row, "p90_us") >= Field(row, "median_us"), row);
        foreach (var row in new[] { "fork", "fork-exec" })
            Assert.True(Field(row, "linux_us") > 0 && double.IsFinite(Field(row, "of_linux")), row);
        Assert.True(double.IsFinite(Field("pipe", "mb_per_s")) && Field("pipe", "linux_mb_per_s") > 0);
    }

    [Fact]
    public void TheLinuxBaselineExecsWhatItIsGivenAndFailsOtherwise()
    {
        static (int Code, string Out) Run(params string[] args)
        {
            var psi = new ProcessStartInfo(NativeBenchLibrary.ProcBenchPath) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string o = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, o.Trim());
        }
        var ok = Run("forkexec", "3", NativeBenchLibrary.TrueStaticPath);
        Assert.Equal(0, ok.Code);
        Assert.True(double.Parse(ok.Out, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.NotEqual(0, Run("forkexec", "3", "/nonexistent/true").Code);
        var pipe = Run("pipe", "256");
        Assert.Equal(0, pipe.Code);
        Assert.True(double.Parse(pipe.Out, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }
}

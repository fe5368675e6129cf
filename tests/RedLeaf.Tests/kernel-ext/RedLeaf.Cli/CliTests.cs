// tests/kernel-ext/RedLeaf.Cli: the `redleaf` tool run as a user runs it (a child process), checking exit codes, that
// stdout carries only what was asked for, and that mistakes get a message naming the mistake.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace RedLeaf.Tests.Cli;

[Trait("suite", "kernel")]
public class CliTests
{
    internal static (int Exit, string Out, string Err) Redleaf(params string[] args) => RedleafWith(null, args);

    internal static (int Exit, string Out, string Err) RedleafWithin(TimeSpan limit, params string[] args) => RedleafWith(null, limit, args);

    /// <summary>Runs the CLI with <paramref name="environment"/> added to this process's variables.</summary>
    internal static (int Exit, string Out, string Err) RedleafWith(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RedleafWith(environment, TimeSpan.FromMinutes(2), args);

    internal static (int Exit, string Out, string Err) RedleafWith(IReadOnlyDictionary<string, string>? environment, TimeSpan limit, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "redleaf.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit)) { p.Kill(true); throw new TimeoutException($"redleaf {string.Join(' ', args)} ran over {limit.TotalSeconds:F0} s"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void BenchCallsQuickPrintsOnlyJsonOnStdout()
    {
        var (exit, stdout, stderr) = Redleaf("bench", "calls", "--quick", "--json", "-");
        Assert.True(exit == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("calls", (string?)json["suite"]);
        var names = json["rows"]!.AsArray().Select(r => (string?)r!["name"]).ToList();
        Assert.Contains("proxy-null", names);
        Assert.Contains("proxy-rref", names);
        foreach (var row in json["rows"]!.AsArray())
            foreach (var f in new[] { "median_cycles", "p90_cycles", "p99_cycles", "min_cycles", "samples", "alloc_bytes_per_op" })
                Assert.NotNull(row![f]);
        Assert.Contains("proxy-null", stderr); // progress and the table go to stderr
    }

    [Fact]
    public void DemoTellsTheStoryAndExitsZero()
    {
        var (exit, stdout, stderr) = Redleaf("demo");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("dom_b crashes while owning a nested RRef", stdout);
        Assert.Contains("context collected: True", stdout);
        Assert.Contains("use after move", stdout);
    }

    [Theory]
    [InlineData(new[] { "bench", "nosuch" }, "unknown suite 'nosuch'")]
    [InlineData(new[] { "bench", "calls", "--qiuck" }, "unknown option --qiuck")]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "bench", "calls", "--json" }, "--json needs a value")]
    [InlineData(new[] { "bench", "gc", "--rates", "0,fast" }, "an allocation rate is a number of MB/s between 0 and 100000, not 'fast'")]
    [InlineData(new[] { "bench", "calls", "--here" }, "--rates and --here are for gc only")]
    public void MistakesExitTwoNamingTheMistake(string[] args, string message)
    {
        var (exit, _, stderr) = Redleaf(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
    }
}

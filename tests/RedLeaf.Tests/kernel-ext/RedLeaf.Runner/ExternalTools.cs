// tests/kernel-ext/RedLeaf.Runner: runs the outside tools the notebook checks need (headless Chromium, Jupyter via
// kernel-ext/jupyter/redleaf-jupyter.sh, dotnet pack). A missing tool fails the test with the Debian
// package to install, never skips it.
using System.Diagnostics;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

internal static class ExternalTools
{
    public static string Require(string command, string package)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var p = Path.Combine(dir, command);
            if (File.Exists(p)) return p;
        }
        Assert.Fail($"'{command}' is not installed: install the Debian package {package} (.ci/setup does)");
        return "";
    }

    public static (int Exit, string Out, string Err) Run(string file, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? env = null, string? cwd = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd ?? TestNotebook.Root };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(true); Assert.Fail($"{file} {string.Join(' ', args)} ran over {timeout.TotalSeconds:F0} s"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

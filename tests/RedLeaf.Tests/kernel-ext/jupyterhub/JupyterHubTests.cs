// tests/kernel-ext/jupyterhub: the course's JupyterHub (kernel-ext/jupyterhub) for real, through its
// hub-check.py: two throwaway Unix students, a hub on 127.0.0.1 with LocalProcessSpawner, each
// student's server started through the hub's REST API, a handout handed out by nbgitpuller and executed
// in each server over the websocket kernel API (load the extension, boot, a #!domain, a call). Checked
// here again from the outside: both kernels answered, as two different students (the name each kernel
// printed and the uid /proc gave its process), nothing listened beyond localhost, and afterwards the
// students, their homes and their processes are gone. Needs root (it creates users) and .ci/setup's
// packages; 35 to 85 s on 2 cores, with the machine's load.
using System.Diagnostics;
using System.Text.RegularExpressions;
using RedLeaf.Tests.Notebooks;
using Xunit;

namespace RedLeaf.Tests.Classroom;

[Trait("suite", "classroom")]
[Collection(ChildProcessNotebookCollection.Name)]
public class JupyterHubTests
{
    [Fact]
    public void TwoStudentsRunAHandoutOnTheHubEachInAKernelOfTheirOwn()
    {
        Assert.True(Environment.UserName == "root", "the hub check creates Unix users and starts a hub that spawns their servers: run the tests as root");
        string feed = Path.Combine(TestNotebook.Root, "artifacts", "feed", "RedLeaf.Interactive.0.1.0.nupkg");
        Assert.True(File.Exists(feed), $"{feed} is missing: build the extension (./redleaf, or this test project's build)");
        ExternalTools.Require("jupyterhub", "jupyterhub");
        ExternalTools.Require("configurable-http-proxy", "node-configurable-http-proxy");

        var (exit, stdout, stderr) = RunHubCheck(TimeSpan.FromMinutes(8));
        string all = $"exit {exit}\n{stdout}\n{stderr}";

        Assert.True(exit == 0, all);
        Assert.Contains("hub-check: passed in", stdout);
        var students = Regex.Matches(stdout, @"created Unix users (rlhub-a-\d+), (rlhub-b-\d+)");
        Assert.True(students.Count == 1, all);
        string a = students[0].Groups[1].Value, b = students[0].Groups[2].Value;

        // Each kernel: its own student, by the name it printed and by the owner of its process.
        var kernels = Regex.Matches(stdout, @"(rlhub-[ab]-\d+): kernel process (\d+) runs as uid (\d+) \((rlhub-[ab]-\d+)\); domain answered; key (\S+)");
        Assert.True(kernels.Count == 2, all);
        Assert.Equal(new[] { a, b }, kernels.Select(m => m.Groups[1].Value));
        Assert.All(kernels, m => Assert.Equal(m.Groups[1].Value, m.Groups[4].Value));
        Assert.NotEqual(kernels[0].Groups[3].Value, kernels[1].Groups[3].Value);
        Assert.All(kernels, m => Assert.StartsWith($"/home/{m.Groups[1].Value}/", m.Groups[5].Value));
        Assert.Matches(@"\d+ listening sockets among the hub's processes and the kernels, all on localhost", stdout);
        Assert.Contains($"{a}: nbgitpuller handed out course/hub-check.ipynb (owned by {a})", stdout);
        Assert.Contains($"{b}: nbgitpuller handed out course/hub-check.ipynb (owned by {b})", stdout);

        // Afterwards nothing of the students is left: no account, no home, no process.
        string passwd = File.ReadAllText("/etc/passwd");
        foreach (var student in new[] { a, b })
        {
            Assert.DoesNotContain(student + ":", passwd);
            Assert.False(Directory.Exists($"/home/{student}"), $"/home/{student} was left behind");
        }
        foreach (Match m in kernels)
            Assert.False(Directory.Exists($"/proc/{m.Groups[2].Value}") && OwnerOf(int.Parse(m.Groups[2].Value)) == m.Groups[3].Value,
                $"kernel process {m.Groups[2].Value} of {m.Groups[1].Value} is still running");
    }

    /// <summary>Runs hub-check.py; past the limit it is asked to stop (SIGTERM: it then removes its
    /// students and stops its hub) and killed only if it has not within a minute.</summary>
    private static (int Exit, string Out, string Err) RunHubCheck(TimeSpan limit)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestNotebook.Root };
        foreach (var a in new[] { Path.Combine(TestNotebook.Root, "kernel-ext", "jupyterhub", "hub-check.py"), "--cell-seconds", "240" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit))
        {
            using (var term = Process.Start("kill", new[] { "-TERM", p.Id.ToString() })) term.WaitForExit();
            if (!p.WaitForExit(TimeSpan.FromMinutes(1))) p.Kill(true);
            p.WaitForExit();
            Assert.Fail($"hub-check.py ran over {limit.TotalMinutes:F0} min and was stopped:\n{stdout.Result}\n{stderr.Result}");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static string? OwnerOf(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Uid:"))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
        }
        catch (IOException) { return null; }
    }
}

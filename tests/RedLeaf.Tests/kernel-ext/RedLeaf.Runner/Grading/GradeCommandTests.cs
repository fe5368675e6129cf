// tests/kernel-ext/RedLeaf.Runner/Grading: `redleaf grade` over a class, as a TA runs it: nbgrader's submitted/ folder with a
// solved, a blank, a hanging (its domain spins in every call, so the submission overruns its time
// limit) and a malformed submission, and a loose file beside it, graded two at a time. The hanging and
// malformed ones score 0 with their reasons and the others are graded; every output is written (JSON,
// nbgrader's grades.csv, Gradescope results.json, feedback pages that escape what students wrote); the
// console reads like the xv6 labs' grade script. And the Gradescope bundle `redleaf autograder` writes
// runs against a folder laid out like /autograder, set-up's network steps skipped.
using System.Diagnostics;
using System.Text.Json.Nodes;
using RedLeaf.Tests.Notebooks;
using Xunit;
using static RedLeaf.Tests.Classroom.Handouts;

namespace RedLeaf.Tests.Classroom;

[Trait("suite", "classroom")]
[Collection(ChildProcessNotebookCollection.Name)]
public class GradeCommandTests
{
    private const string Spinning = """
        #!domain --name stack
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Lab;

        public sealed class MyStack : IStack
        {
            private long _n;
            public RpcResult Push(long value) { while (true) _n++; }
            public RpcResult<long> Pop() { while (true) _n++; }
            public RpcResult<long> Count() { while (true) _n++; }
        }

        public static class Entry
        {
            [DomainEntry]
            public static IStack Start() => new MyStack();
        }
        """;

    [Fact]
    public void AClassIsGradedInParallelAndAHangingOrBrokenSubmissionScoresZeroAlone()
    {
        var release = Release("hw1", "write-a-domain");
        string root = Directory.CreateTempSubdirectory("redleaf-class-").FullName;
        string solved = Solution("hw1.stack.cell").Replace("public sealed class MyStack", "// <script>alert('pwned')</script> & done\npublic sealed class MyStack");
        Put(root, "alice", "hw1", "write-a-domain", Answer(release, Solved(solved)));
        Put(root, "bob", "hw1", "write-a-domain", release);
        Put(root, "carol", "hw1", "write-a-domain", Answer(release, new Dictionary<string, string> { ["stack"] = Spinning }));
        Directory.CreateDirectory(Path.Combine(root, "submitted", "dave", "hw1"));
        File.WriteAllText(Path.Combine(root, "submitted", "dave", "hw1", "write-a-domain.ipynb"), "{ \"cells\": [ { \"cell_type\": ");
        File.WriteAllText(Path.Combine(root, "submitted", "alice", "hw1", "timestamp.txt"), "2026-12-01 10:00:00.000000 UTC");
        string loose = Path.Combine(Directory.CreateTempSubdirectory("redleaf-loose-").FullName, "erin");
        Directory.CreateDirectory(loose);
        File.WriteAllText(Path.Combine(loose, "write-a-domain.ipynb"), Answer(release, new Dictionary<string, string> { ["stack"] = Solution("hw1.stack.wrong.cell") }).ToJsonString());

        string outDir = Directory.CreateTempSubdirectory("redleaf-grade-out-").FullName;
        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr, by) = Grade(TimeSpan.FromMinutes(6), Path.Combine(root, "submitted"), Path.Combine(loose, "write-a-domain.ipynb"),
            "--jobs", "2", "--timeout", "8", "--notebook-timeout", "30",
            "--csv", Path.Combine(outDir, "grades.csv"), "--gradescope", Path.Combine(outDir, "gs"), "--feedback", Path.Combine(outDir, "feedback"));
        string all = $"exit {exit} after {clock.Elapsed.TotalSeconds:F0} s\n{stdout}\n{stderr}";

        Assert.True(exit == 1, all); // two submissions failed
        Assert.Equal(5, by.Count);
        JsonNode S(string student) => by[student + "/write-a-domain"];
        Assert.Equal(("graded", 10.0), ((string)S("alice")["status"]!, (double)S("alice")["score"]!));
        Assert.Equal(("graded", 0.0), ((string)S("bob")["status"]!, (double)S("bob")["score"]!));
        Assert.Equal("graded", (string?)S("erin")["status"]);
        Assert.InRange((double)S("erin")["score"]!, 1, 9);
        Assert.Equal(("failed", 0.0), ((string)S("carol")["status"]!, (double)S("carol")["score"]!));
        Assert.Contains("ran past the notebook's time limit of 30 s", (string)S("carol")["reason"]!);
        Assert.Equal(("failed", 0.0), ((string)S("dave")["status"]!, (double)S("dave")["score"]!));
        Assert.Contains("not a valid Jupyter notebook", (string)S("dave")["reason"]!);
        Assert.Equal(10.0, (double)S("dave")["max_score"]!);
        var cells = S("alice")["cells"]!.AsArray();
        Assert.Equal(new[] { "stack-order", "stack-count", "stack-empty", "refused-interface", "restart-prediction" }, cells.Select(c => (string)c!["grade_id"]!));
        Assert.All(cells, c => Assert.Equal((double)c!["max_score"]!, (double)c["score"]!));

        // The xv6 labs' grade script's lines.
        Assert.Contains("== Test stack-order == stack-order: OK (", stdout);
        Assert.Contains("== Test stack-order == stack-order: FAIL (", stdout);
        Assert.Contains("Score: 10/10", stdout);
        Assert.Contains("Score: 0/10", stdout);

        // nbgrader's grades.csv.
        var csv = File.ReadAllLines(Path.Combine(outDir, "grades.csv"));
        Assert.Equal("assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,late_submission_penalty,score,max_score", csv[0]);
        Assert.Contains("hw1,,2026-12-01 10:00:00.000000 UTC,alice,,,,10.0,0.0,10.0,10.0", csv);
        Assert.Contains("hw1,,,carol,,,,0.0,0.0,0.0,10.0", csv);
        Assert.Equal(6, csv.Length);

        // Gradescope's results.json, one per student and assignment.
        var gs = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "gs", "alice", "hw1", "results.json")))!;
        Assert.Equal(10.0, (double)gs["score"]!);
        var tests = gs["tests"]!.AsArray();
        Assert.Equal(5, tests.Count);
        Assert.All(tests, t => { Assert.Equal("passed", (string?)t!["status"]); Assert.NotNull(t["name"]); Assert.NotNull(t["max_score"]); Assert.NotNull(t["output"]); });
        var carolGs = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "gs", "carol", "hw1", "results.json")))!;
        Assert.Contains(carolGs["tests"]!.AsArray(), t => (string?)t!["status"] == "failed" && ((string?)t["output"] ?? "").Contains("time limit"));

        // Feedback pages: the student's answer is shown, escaped, under a policy that runs no script.
        string page = File.ReadAllText(Path.Combine(outDir, "feedback", "alice", "hw1", "write-a-domain.html"));
        Assert.Contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; &amp; done", page);
        Assert.DoesNotContain("<script", page);
        Assert.Contains("Content-Security-Policy", page);
        Assert.True(File.Exists(Path.Combine(outDir, "feedback", "dave", "hw1", "write-a-domain.html")));
    }

    [Fact]
    public void TheGradescopeBundleGradesASubmissionLaidOutAsAutograderDoes()
    {
        string root = Directory.CreateTempSubdirectory("redleaf-autograder-").FullName;
        string bundle = Path.Combine(root, "source");
        var (exit, stdout, stderr) = Cli.CliTests.Redleaf("autograder", "--out", bundle, "--assignment", "hw1", "--repo", "https://example.invalid/redleaf.git");
        Assert.True(exit == 0, stdout + stderr);
        foreach (var f in new[] { "setup.sh", "run_autograder", Path.Combine("assignments", "hw1", "write-a-domain.ipynb") })
            Assert.True(File.Exists(Path.Combine(bundle, f)), f);
        if (!OperatingSystem.IsWindows()) Assert.True(File.GetUnixFileMode(Path.Combine(bundle, "run_autograder")).HasFlag(UnixFileMode.UserExecute));
        File.CreateSymbolicLink(Path.Combine(bundle, "redleaf"), TestNotebook.Root); // what setup.sh's clone would make
        Directory.CreateDirectory(Path.Combine(root, "submission"));
        var release = Release("hw1", "write-a-domain");
        File.WriteAllText(Path.Combine(root, "submission", "write-a-domain.ipynb"),
            Answer(release, Solved(Solution("hw1.stack.cell"))).ToJsonString());

        var env = new Dictionary<string, string>
        {
            ["AUTOGRADER_ROOT"] = root,
            ["REDLEAF_OFFLINE"] = "1",
            // The tool this test suite built, instead of the checkout's launcher (which would build a Release copy).
            ["REDLEAF_CMD"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "redleaf.dll")}",
        };
        var setup = Bash(Path.Combine(bundle, "setup.sh"), env, TimeSpan.FromMinutes(2));
        Assert.True(setup.Exit == 0, setup.Output);
        Assert.Contains("setup: redleaf is ready", setup.Output);
        var run = Bash(Path.Combine(bundle, "run_autograder"), env, TimeSpan.FromMinutes(4));
        Assert.True(run.Exit == 0, run.Output);
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "results", "results.json")))!;
        Assert.True((double)results["score"]! == 10.0, results.ToJsonString());
        Assert.Equal(5, results["tests"]!.AsArray().Count);
        Assert.Contains("Score: 10/10", run.Output);

        // A submission with no notebook of the assignment still gets a results.json saying so.
        File.Delete(Path.Combine(root, "submission", "write-a-domain.ipynb"));
        File.WriteAllText(Path.Combine(root, "submission", "notes.txt"), "I forgot the notebook");
        run = Bash(Path.Combine(bundle, "run_autograder"), env, TimeSpan.FromMinutes(2));
        results = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "results", "results.json")))!;
        Assert.Equal(0.0, (double)results["score"]!);
        Assert.Contains("No notebook of this assignment", (string)results["output"]!);
    }

    /// <summary>Homework 1's three answers, the stack's given.</summary>
    private static Dictionary<string, string> Solved(string stack) => new()
    {
        ["stack"] = stack,
        ["refused"] = Solution("hw1.refused.cell"),
        ["answers"] = Solution("hw1.answers.cell"),
    };

    private static (int Exit, string Output) Bash(string script, IReadOnlyDictionary<string, string> env, TimeSpan limit)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit)) { p.Kill(true); throw new TimeoutException($"{script} ran over {limit.TotalSeconds:F0} s"); }
        return (p.ExitCode, o.Result + e.Result);
    }
}

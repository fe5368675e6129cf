// tests/kernel-ext/RedLeaf.Runner/Grading: the handouts are nbgrader assignments a course's own nbgrader would accept. Every
// nbgrader cell's metadata (schema version 3, flags, grade_id, points) and checksum are checked against a
// second md5 computation written here from nbgrader's utils.py, independent of Nbgrader.Checksum; the
// release holds no solution and no hidden test, its locked cells cannot be deleted or edited, and it
// is exactly what `redleaf assign` makes of the source. The rebuild of a submission (SubmissionMerge)
// takes only solution cells from the student and refuses any that would run as host code; scores follow
// nbgrader's determine_grade.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RedLeaf.Runner.Grading;
using Xunit;
using static RedLeaf.Tests.Classroom.Handouts;

namespace RedLeaf.Tests.Classroom;

[Trait("suite", "classroom")]
public class NbgraderFormatTests
{
    public static IEnumerable<object[]> Notebooks() =>
        Directory.GetFiles(SourceRoot, "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => new object[] { Path.GetFileName(Path.GetDirectoryName(p))!, Path.GetFileNameWithoutExtension(p) });

    /// <summary>nbgrader's compute_checksum, written again: md5 fed field by field.</summary>
    private static string SecondChecksum(JsonNode cell)
    {
        var nbg = cell["metadata"]!["nbgrader"]!;
        bool grade = (bool?)nbg["grade"] ?? false, solution = (bool?)nbg["solution"] ?? false;
        bool locked = !solution && (grade || ((bool?)nbg["locked"] ?? false));
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        void Feed(string s) => md5.AppendData(Encoding.UTF8.GetBytes(s));
        Feed(Text(cell));
        Feed((string)cell["cell_type"]!);
        foreach (var b in new[] { grade, solution, locked }) Feed(b ? "True" : "False");
        Feed((string)nbg["grade_id"]!);
        if (grade)
        {
            double points = (double)nbg["points"]!;
            Feed(points % 1 == 0 ? ((long)points).ToString(CultureInfo.InvariantCulture) + ".0" : points.ToString(CultureInfo.InvariantCulture));
        }
        return Convert.ToHexString(md5.GetHashAndReset()).ToLowerInvariant();
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void SourceAndReleaseCarryNbgraderMetadataAndItsChecksums(string assignment, string notebook)
    {
        var source = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(SourceRoot, assignment, notebook + ".ipynb")))!;
        var release = Release(assignment, notebook);
        Assert.Equal(Cells(source).Count, Cells(release).Count);
        int grades = 0, solutions = 0, hidden = 0;
        for (int i = 0; i < Cells(source).Count; i++)
        {
            var s = Cells(source)[i]!;
            var r = Cells(release)[i]!;
            if (s["metadata"]?["nbgrader"] is not JsonObject meta) continue;
            Assert.Equal(3, (int)meta["schema_version"]!);
            foreach (var flag in new[] { "grade", "solution", "locked", "task" }) Assert.NotNull(meta[flag]);
            Assert.Equal(GradeId(s), GradeId(r));
            var rmeta = r["metadata"]!["nbgrader"]!;
            Assert.Equal(SecondChecksum(s), (string?)meta["checksum"]);
            Assert.Equal(SecondChecksum(r), (string?)rmeta["checksum"]);
            Assert.Equal((string)s["cell_type"]!, (string?)rmeta["cell_type"]);
            string st = Text(s), rt = Text(r);
            Assert.DoesNotContain("BEGIN SOLUTION", rt);
            Assert.DoesNotContain("HIDDEN TESTS", rt);
            if (IsSolution(s))
            {
                solutions++;
                Assert.Matches("^#!(domain|idl|rv6)\\b", st);
                Assert.Contains("BEGIN SOLUTION", st);
                Assert.Equal(st.Split('\n')[0], rt.Split('\n')[0]);
                Assert.Contains("YOUR CODE HERE", rt);
                Assert.Null(r["metadata"]!["editable"]);
            }
            else
            {
                bool locked = IsGrade(s) || (bool)meta["locked"]!;
                Assert.True(locked, $"{GradeId(s)}: every nbgrader cell here is a solution, a grade or a locked cell");
                Assert.Equal(false, (bool?)r["metadata"]!["deletable"]);
                Assert.Equal(false, (bool?)r["metadata"]!["editable"]);
            }
            if (IsGrade(s))
            {
                grades++;
                Assert.True((double)meta["points"]! > 0);
                if (st.Contains("BEGIN HIDDEN TESTS")) { hidden++; Assert.NotEqual(st, rt); }
                else Assert.Equal(st, rt);
            }
            else Assert.Null(meta["points"]);
            if (s["cell_type"]!.ToString() == "code") Assert.Empty(r["outputs"]!.AsArray());
        }
        Assert.True(grades >= 3 && solutions >= 1 && hidden >= 1, $"{grades} grade cells, {solutions} solution cells, {hidden} with hidden tests");
    }

    [Fact]
    public void TheCommittedReleasesAreWhatAssignMakes()
    {
        var (exit, stdout, stderr) = Cli.CliTests.Redleaf("assign", "--check");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("releases match their sources", stdout);

        string copy = Directory.CreateTempSubdirectory("redleaf-assign-").FullName;
        foreach (var f in Directory.GetFiles(SourceRoot, "*.ipynb", SearchOption.AllDirectories))
        {
            string to = Path.Combine(copy, "source", Path.GetRelativePath(SourceRoot, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }
        (exit, stdout, stderr) = Cli.CliTests.Redleaf("assign", Path.Combine(copy, "source"));
        Assert.True(exit == 0, stdout + stderr);
        foreach (var f in Directory.GetFiles(ReleaseRoot, "*.ipynb", SearchOption.AllDirectories))
            Assert.Equal(File.ReadAllText(f), File.ReadAllText(Path.Combine(copy, "release", Path.GetRelativePath(ReleaseRoot, f))));
    }

    [Fact]
    public void AssignRefusesASolutionCellThatWouldRunAsHostCode()
    {
        var nb = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(SourceRoot, "hw1", "write-a-domain.ipynb")))!;
        var solution = Cells(nb).First(c => IsSolution(c!))!;
        solution["source"] = "// BEGIN SOLUTION\nvar x = 1;\n// END SOLUTION\n";
        var e = Assert.Throws<InvalidDataException>(() => Assignment.Release(nb, "hw1"));
        Assert.Contains("a solution cell must be a code cell starting with #!domain, #!idl, #!rv6", e.Message);
    }

    [Fact]
    public void ASolutionRegionsOwnStubIsReleasedUncommentedAndMustBeCommentedInTheSource()
    {
        var nb = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(SourceRoot, "hw1", "write-a-domain.ipynb")))!;
        var solution = Cells(nb).First(c => IsSolution(c!))!;
        string first = Text(solution).Split('\n')[0];
        solution["source"] = first + "\nclass A\n{\n    // BEGIN SOLUTION\n    // BEGIN STUB\n    // int Copy()\n    // {\n    //     return 1;\n    // }\n    //\n    // END STUB\n" +
                             "    int Move() => 2;\n    // END SOLUTION\n}\n";
        var release = Assignment.Release(nb, "hw1");
        string released = Text(Cells(release).First(c => IsSolution(c!))!);
        Assert.Equal(first + "\nclass A\n{\n    // YOUR CODE HERE\n    int Copy()\n    {\n        return 1;\n    }\n}\n", released);

        // A stub line left uncommented would run in the source beside the solution: refused, naming it.
        solution["source"] = first + "\n// BEGIN SOLUTION\n// BEGIN STUB\nint Copy() => 1;\n// END STUB\nint Move() => 2;\n// END SOLUTION\n";
        var e = Assert.Throws<InvalidDataException>(() => Assignment.Release(nb, "hw1"));
        Assert.Contains("a stub's lines are commented out in the source", e.Message);
        Assert.Contains("int Copy() => 1;", e.Message);
        // And a stub block must open its region, inside a solution cell.
        solution["source"] = first + "\n// BEGIN SOLUTION\nint Move() => 2;\n// BEGIN STUB\n// int Copy() => 1;\n// END STUB\n// END SOLUTION\n";
        Assert.Contains("must open its solution region", Assert.Throws<InvalidDataException>(() => Assignment.Release(nb, "hw1")).Message);
    }

    private static (JsonObject Source, JsonObject Release) Hw1()
    {
        var source = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(SourceRoot, "hw1", "write-a-domain.ipynb")))!;
        Assignment.Normalize(source, "hw1");
        return (source, Assignment.Release(source, "hw1"));
    }

    [Fact]
    public void ARebuiltSubmissionIsTheSourceWithOnlyTheStudentsSolutionCells()
    {
        var (source, release) = Hw1();
        var sub = Answer(release, new Dictionary<string, string> { ["stack"] = Solution("hw1.stack.cell") });
        var cells = Cells(sub);
        // Edited, reordered, deleted and added cells, and stored outputs.
        var boot = cells.First(c => GradeId(c!) == "boot")!;
        boot["source"] = "System.IO.File.WriteAllText(\"/tmp/owned\", \"x\");";
        var grade = cells.First(c => IsGrade(c!))!;
        cells.Remove(grade);
        cells.Insert(0, grade);
        cells.Remove(cells.First(c => GradeId(c!) == "try-it"));
        cells.Add(CodeCell("System.Environment.Exit(0);"));
        foreach (var c in cells.Where(c => (string?)c!["cell_type"] == "code"))
            c!["outputs"] = new JsonArray(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "forged" });

        var (graded, uses) = SubmissionMerge.Build(source, release, sub);
        var use = uses.Single(u => u.GradeId == "stack");
        Assert.True(use.Ran && !use.Unchanged, use.Reason);
        Assert.All(uses.Where(u => u.GradeId != "stack"), u => Assert.True(u.Ran && u.Unchanged, u.Reason));
        Assert.Equal(Cells(source).Count, Cells(graded).Count);
        for (int i = 0; i < Cells(source).Count; i++)
        {
            var g = Cells(graded)[i]!;
            if ((string?)g["cell_type"] == "code") Assert.Empty(g["outputs"]!.AsArray());
            string expected = GradeId(Cells(source)[i]!) == "stack" ? Solution("hw1.stack.cell")
                : IsSolution(Cells(source)[i]!) ? Text(Cells(release)[i]!) : Text(Cells(source)[i]!);
            Assert.Equal(expected, Text(g));
        }
    }

    [Theory]
    [InlineData("var s = 1; // host code in the answer cell", "the answer is not a #!domain, #!idl, #!rv6 cell")]
    [InlineData("#!domain --name stack --grant flaky_sensor\npublic static class Entry { }", "the cell's first line was changed to '#!domain --name stack --grant flaky_sensor'")]
    [InlineData("#!domain --name stack\npublic static class Entry { }\n#!csharp\nSystem.Environment.Exit(0);", "line 3 ('#!csharp') is a magic command or directive")]
    [InlineData("#!domain --name stack\n  #r \"nuget: Evil, 1.0\"\npublic static class Entry { }", "line 2 ('#r \"nuget: Evil, 1.0\"') is a magic command or directive")]
    [InlineData("#!domain --name stack\n#!set --name x --value 1", "line 2 ('#!set --name x --value 1') is a magic command")]
    public void AnAnswerThatWouldLeaveItsDomainIsReplacedByTheStub(string answer, string reason)
    {
        var (source, release) = Hw1();
        var (graded, uses) = SubmissionMerge.Build(source, release, Answer(release, new Dictionary<string, string> { ["stack"] = answer }));
        var use = uses.Single(u => u.GradeId == "stack");
        Assert.False(use.Ran);
        Assert.Contains(reason, use.Reason);
        var stub = Cells(release).First(c => IsSolution(c!))!;
        Assert.Equal(Text(stub), Text(Cells(graded).First(c => IsSolution(c!))!));
        Assert.DoesNotContain(Cells(graded), c => Text(c!).Contains("Exit(0)") || Text(c!).Contains("Evil"));
    }

    [Fact]
    public void ASubmissionWithoutItsSolutionCellsRunsTheStubsAndTheSourceCells()
    {
        var (source, release) = Hw1();
        var (graded, uses) = SubmissionMerge.Build(source, release, new JsonObject { ["cells"] = new JsonArray(CodeCell("#!domain --name stack\n// BEGIN SOLUTION")) });
        Assert.All(uses, u => Assert.False(u.Ran)); // position 0 is no solution cell's place
        Assert.Equal(Cells(source).Count, Cells(graded).Count);
    }

    private static ChildCell Ran(params ChildOutput[] outputs) => new(0, 0.5, null, outputs);
    private static ChildOutput Out(string kind, string mime, string text) => new(kind, new Dictionary<string, string> { [mime] = text });

    [Fact]
    public void GradeCellsScoreAsNbgraderDeterminesThem()
    {
        Assert.Equal(4, CellScore.Determine("a", 4, Ran(), false).Score);
        Assert.Equal(4, CellScore.Determine("a", 4, Ran(Out("stdout", "stdout", "2")), false).Score); // printed numbers do not count
        Assert.Equal(2.5, CellScore.Determine("a", 4, Ran(Out("result", "text/plain", "2.5")), false).Score);
        Assert.Equal(4, CellScore.Determine("a", 4, Ran(Out("result", "text/plain", "100")), false).Score);
        Assert.Equal(0, CellScore.Determine("a", 4, Ran(Out("result", "text/plain", "-3")), false).Score);
        Assert.Equal(4, CellScore.Determine("a", 4, Ran(Out("result", "text/plain", "a view")), false).Score);
        Assert.Equal(0, CellScore.Determine("a", 4, Ran(Out("stderr", "stderr", "warning"), Out("result", "text/plain", "4")), false).Score);
        Assert.Equal(0, CellScore.Determine("a", 4, Ran(Out("error", "text/plain", "boom")), false).Score);
        Assert.Equal(0, CellScore.Determine("a", 4, new ChildCell(0, 1, "timeout", Array.Empty<ChildOutput>()), false).Score);
        Assert.Equal(0, CellScore.Determine("a", 4, null, false).Score);
        Assert.Equal(0, CellScore.Determine("a", 4, Ran(), unchangedSolution: true).Score);
    }
}

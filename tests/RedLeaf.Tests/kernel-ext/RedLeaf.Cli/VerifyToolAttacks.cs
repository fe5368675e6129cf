// tests/kernel-ext/RedLeaf.Cli: hostile sources as a student would check them, with `redleaf verify` (run as a child
// process): a refused file exits 1 and names file(line,col) and the diagnostic; an attack that only run
// time can show is accepted (exit 0); a folder of homework domains is walked and every refusal listed.
// Also the precision of what the student reads: the column of a refused construct.
using RedLeaf.Os.Compiler.Gate;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;
using CliTool = RedLeaf.Tests.Cli.CliTests;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class VerifyToolAttacks
{
    private static string TempFolder() => Directory.CreateTempSubdirectory("redleaf-hostile-verify-").FullName;

    /// <summary>One run of the tool over two hostile files and a folder of homework: each refusal is
    /// printed as file(line,col): error ID: message, the folder's run-time-only attack is accepted, exit 1.</summary>
    [Fact]
    public void VerifyRefusesHostileFilesNamingFileLineColumnAndId()
    {
        var dir = TempFolder();
        try
        {
            var reflection = Source("""
                        var kernel = Type.GetType("RedLeaf.Os.Microkernel, RedLeaf.Os"); // <-
                        return kernel is null ? 0 : 1;
                """);
            var pointer = Source("""
                        long x = argument;
                        unsafe { return *(&x + 64); } // <-
                """);
            File.WriteAllText(Path.Combine(dir, "homework.cs"), reflection);
            File.WriteAllText(Path.Combine(dir, "pointer.cs"), pointer);
            Directory.CreateDirectory(Path.Combine(dir, "tree", "spin"));
            Directory.CreateDirectory(Path.Combine(dir, "tree", "exit"));
            File.WriteAllText(Path.Combine(dir, "tree", "spin", "Spin.cs"), Source("        while (true) { }"));
            var exitSource = Source("""
                        Environment.Exit(0); // <-
                        return 0;
                """);
            File.WriteAllText(Path.Combine(dir, "tree", "exit", "Exit.cs"), exitSource);

            var (exit, stdout, stderr) = CliTool.Redleaf("verify", Path.Combine(dir, "homework.cs"), Path.Combine(dir, "pointer.cs"), Path.Combine(dir, "tree"));
            Assert.True(exit == 1, $"exit {exit}\n{stdout}\n{stderr}");
            Assert.Contains($"homework.cs({LineOf(reflection)},", stdout);
            Assert.Contains($"error {GateIds.Reflection}: calls System.Type.GetType", stdout);
            Assert.Contains($"pointer.cs({LineOf(pointer)},{ColumnOf(pointer, "unsafe")}): error CS0227", stdout);
            Assert.Contains($"Exit.cs({LineOf(exitSource)},", stdout);
            Assert.Contains($"error {GateIds.Environment}: calls System.Environment.Exit", stdout);
            Assert.Contains("1 accepted, 3 refused", stdout);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void VerifyAcceptsAnAttackOnlyRunTimeShows()
    {
        var dir = TempFolder();
        try
        {
            File.WriteAllText(Path.Combine(dir, "Spin.cs"), Source("        while (true) { }"));
            var (exit, stdout, stderr) = CliTool.Redleaf("verify", dir);
            Assert.True(exit == 0, $"an infinite loop is for run time to stop; verify should accept it: exit {exit}\n{stdout}\n{stderr}");
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>The gate's diagnostics come from the PDB of the instrumented code; the instrumentation is
    /// inserted without line breaks, so lines stay right, but columns on a line that received a check
    /// must still be the student's columns.</summary>
    [Fact]
    public void GateDiagnosticsPointAtTheColumnOfTheConstruct()
    {
        var source = Source("""
                    AppContext.SetData("x", 1); // <-
                    return 0;
            """);
        var d = Refused(source, GateIds.Environment, "System.AppContext.SetData");
        Assert.True(d.Column == ColumnOf(source, "AppContext"),
            $"reported at column {d.Column}, the construct is at column {ColumnOf(source, "AppContext")} (the offset is the length of the inserted Guard call): {d}");
    }

    [Fact]
    public void GateDiagnosticsOnALaterLineHaveTheRightColumn()
    {
        var source = Source("""
                    long n = argument;
                    n += AppContext.GetData("x") is null ? 0 : 1; // <-
                    return n;
            """);
        var d = Refused(source, GateIds.Environment, "System.AppContext.GetData");
        Assert.True(d.Column <= ColumnOf(source, "AppContext"), $"{d}");
    }
}

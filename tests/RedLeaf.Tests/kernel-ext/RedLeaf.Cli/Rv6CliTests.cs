// tests/kernel-ext/RedLeaf.Cli: `redleaf mkfs`, `fsck`, `fsls`, `fscat` run as a user runs them (child processes): exit 0
// clean, 1 damaged or not an image, 2 for usage; a foreign or truncated file gets a message naming it,
// never a stack trace.
using System.Diagnostics;
using RedLeaf.Tests.Cli;
using Xunit;

namespace RedLeaf.Tests.Rv6;

[Trait("suite", "rv6")]
public class Rv6CliTests
{
    [Fact]
    public void MkfsThenFsckThenFslsThenFscatRoundTripsAFolder()
    {
        string dir = Directory.CreateTempSubdirectory("redleaf-cli-mkfs-").FullName;
        try
        {
            MkfsTests.WriteTree(dir, Rv6Fixtures.SampleTree());
            string image = Path.Combine(dir, "fs.img");

            var (exit, stdout, stderr) = CliTests.Redleaf("mkfs", image, Path.Combine(dir, "tree"), "--size=3000");
            Assert.True(exit == 0, stderr + stdout);
            Assert.Contains("total 3000", stdout);

            (exit, stdout, stderr) = CliTests.Redleaf("fsck", image);
            Assert.True(exit == 0, stderr + stdout);
            Assert.EndsWith("clean", stdout.TrimEnd());

            (exit, stdout, stderr) = CliTests.Redleaf("fsls", image);
            Assert.True(exit == 0, stderr);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(".              1 1 1024", lines[0]);
            Assert.Contains(lines, l => l.StartsWith("big.bin        2 ", StringComparison.Ordinal) && l.EndsWith($" {20 * 1024 + 123}", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("sub            1 ", StringComparison.Ordinal));

            var (catExit, bytes) = RedleafBytes("fscat", image, "sub/inner.txt");
            Assert.Equal(0, catExit);
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "tree", "sub", "inner.txt")), bytes);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void FsckExitsOneOnDamageAndOnForeignOrTruncatedFilesWithoutATrace()
    {
        string dir = Directory.CreateTempSubdirectory("redleaf-cli-fsck-").FullName;
        try
        {
            string damaged = Path.Combine(dir, "damaged.img");
            var img = RedLeaf.Xv6.Mkfs.Build(Rv6Fixtures.SampleTree());
            img[1024 * 45] = 0; // the bitmap's first byte: metadata blocks 0-7 marked free
            File.WriteAllBytes(damaged, img);
            var (exit, stdout, stderr) = CliTests.Redleaf("fsck", damaged);
            Assert.Equal(1, exit);
            Assert.Contains("DAMAGE BitmapMarksFree: block 0 (boot block) is metadata, but the bitmap marks it free", stdout);
            Assert.Contains("DAMAGED: 8 problems", stdout);

            string foreign = Path.Combine(dir, "notes.txt");
            File.WriteAllText(foreign, string.Concat(Enumerable.Repeat("not a file system\n", 200)));
            (exit, stdout, stderr) = CliTests.Redleaf("fsck", foreign);
            Assert.Equal(1, exit);
            Assert.Contains("BadMagic: bad magic 0x", stdout);
            Assert.Contains("not an xv6 file system", stdout);

            string cut = Path.Combine(dir, "cut.img");
            File.WriteAllBytes(cut, img[..(500 * 1024)]);
            foreach (var command in new[] { "fsck", "fsls" })
            {
                (exit, stdout, stderr) = CliTests.Redleaf(command, cut);
                Assert.Equal(1, exit);
                Assert.Contains("holds only 500: truncated", stdout + stderr);
                Assert.DoesNotContain("   at ", stdout + stderr);
            }

            (exit, _, stderr) = CliTests.Redleaf("fsls", foreign);
            Assert.Equal(1, exit);
            Assert.Contains($"redleaf: {foreign}: bad magic", stderr);
            Assert.DoesNotContain("   at ", stderr);

            (exit, _, stderr) = CliTests.Redleaf("fsck", Path.Combine(dir, "missing.img"));
            Assert.Equal(1, exit);
            Assert.Contains("missing.img: no such image file", stderr);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData(new[] { "fsck" }, "usage: redleaf fsck IMAGE")]
    [InlineData(new[] { "mkfs" }, "usage: redleaf mkfs IMAGE")]
    [InlineData(new[] { "mkfs", "x.img", "--size", "100" }, "--size needs a value: --size=N")]
    [InlineData(new[] { "mkfs", "x.img", "--size=lots" }, "--size=lots: not a positive whole number")]
    [InlineData(new[] { "mkfs", "x.img", "/no/such/folder" }, "/no/such/folder: no such folder")]
    [InlineData(new[] { "fsls" }, "usage: redleaf fsls IMAGE [PATH]")]
    [InlineData(new[] { "fscat", "x.img" }, "usage: redleaf fscat IMAGE PATH")]
    public void MistakesExitTwo(string[] args, string message)
    {
        var (exit, _, stderr) = CliTests.Redleaf(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void MkfsRefusesAFileTooLargeNamingIt()
    {
        string dir = Directory.CreateTempSubdirectory("redleaf-cli-big-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "tree"));
            File.WriteAllBytes(Path.Combine(dir, "tree", "huge"), new byte[300 * 1024]);
            var (exit, _, stderr) = CliTests.Redleaf("mkfs", Path.Combine(dir, "fs.img"), Path.Combine(dir, "tree"));
            Assert.Equal(1, exit);
            Assert.Contains("/huge: 307200 bytes is larger than the largest xv6 file (MAXFILE = 268 blocks = 274432 bytes)", stderr);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Runs redleaf and returns its stdout as raw bytes (fscat writes binary files).</summary>
    internal static (int Exit, byte[] Stdout) RedleafBytes(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "redleaf.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException($"redleaf {string.Join(' ', args)} ran over 2 minutes"); }
        copy.Wait();
        return (p.ExitCode, stdout.ToArray());
    }
}

// tests/benchmarks/RedLeaf.Benchmarks: the TCB count behind notebooks/08-trusted-computing-base.ipynb: every listed folder is
// counted with its role, build output is skipped, and the third-party binaries are found.
using RedLeaf.Benchmarks.Tcb;
using RedLeaf.Os.Compiler;
using Xunit;

namespace RedLeaf.Tests.Bench;

[Trait("suite", "bench")]
public class TrustedBaseTests
{
    [Fact]
    public void CountsEachFolderWithItsRoleAndSkipsBuildOutput()
    {
        var parts = TrustedBase.Count(DomainTree.Root);
        Assert.Equal(TrustedBase.Parts.Select(p => p.Folder), parts.Where(p => !p.Folder.EndsWith("(outside the TCB)")).Select(p => p.Folder));
        Assert.All(parts, p => Assert.True(p.Files > 0 && p.Lines > p.Files, $"{p.Folder}: {p.Files} files, {p.Lines} lines"));
        Assert.Equal(TcbRole.Untrusted, parts.Single(p => p.Folder == "domains").Role);
        Assert.Equal(TcbRole.Trusted, parts.Single(p => p.Folder == "os/kernel").Role);
        // The tier that assembles systems runs with the kernel's authority: trusted, except a file that says why not.
        Assert.Equal(TcbRole.Trusted, parts.Single(p => p.Folder == "systems").Role);
        Assert.Equal(TcbRole.Tools, parts.Single(p => p.Folder == "systems (outside the TCB)").Role);

        // A file in obj/ is not source: counting the same tree with one added there changes nothing.
        string root = Directory.CreateTempSubdirectory("redleaf-tcb-").FullName;
        foreach (var (folder, _, _) in TrustedBase.Parts) Directory.CreateDirectory(Path.Combine(root, folder));
        File.WriteAllText(Path.Combine(root, "machine", "A.cs"), "class A\n{\n\n}\n");
        Directory.CreateDirectory(Path.Combine(root, "machine", "obj"));
        File.WriteAllText(Path.Combine(root, "machine", "obj", "B.cs"), "class B {}\n");
        var m = TrustedBase.Count(root).Single(p => p.Folder == "machine");
        Assert.Equal((1, 3), (m.Files, m.Lines));

        // A trusted file that says it is outside the TCB is counted apart, with the tools.
        File.WriteAllText(Path.Combine(root, "machine", "C.cs"), $"// machine: a helper\n// {TrustedBase.OutsideMarker} (a test says why)\nclass C {{}}\n");
        var counted = TrustedBase.Count(root);
        Assert.Equal((1, 3), (counted.Single(p => p.Folder == "machine").Files, counted.Single(p => p.Folder == "machine").Lines));
        Assert.Equal((TcbRole.Tools, 1, 3), counted.Single(p => p.Folder == "machine (outside the TCB)") is var o ? (o.Role, o.Files, o.Lines) : default);
    }

    [Fact]
    public void FindsTheRuntimeAndRoslyn()
    {
        var names = TrustedBase.Binaries().Select(b => b.Name).ToList();
        Assert.Contains("System.Private.CoreLib.dll", names);
        Assert.Contains("Microsoft.CodeAnalysis.dll", names);
    }
}

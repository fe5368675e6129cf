// tests/os: os/README.md's table of contents (in the spirit of xv6's defs.h) stays complete: every source
// file of os/abi, os/kernel and os/compiler has its one line under its folder's heading, and no line
// names a file that is gone. The line's text is written by hand (from the file's opening comment).
using System.Text.RegularExpressions;
using RedLeaf.Os.Compiler;
using Xunit;

namespace RedLeaf.Tests;

[Trait("suite", "architecture")]
public class OsTableOfContentsTests
{
    [Fact]
    public void EveryFileOfOsHasItsLineAndEveryLineAFile()
    {
        string root = DomainTree.Root;
        string readme = File.ReadAllText(Path.Combine(root, "os", "README.md"));
        int b = readme.IndexOf("<!-- toc:begin -->", StringComparison.Ordinal), e = readme.IndexOf("<!-- toc:end -->", StringComparison.Ordinal);
        Assert.True(b >= 0 && e > b, "os/README.md has no table of contents between <!-- toc:begin --> and <!-- toc:end -->");
        var listed = new HashSet<string>(StringComparer.Ordinal);
        string? folder = null;
        foreach (var line in readme[b..e].Split('\n'))
        {
            if (Regex.Match(line, @"^\*\*`([^`]+)/`\*\*$") is { Success: true } h) folder = h.Groups[1].Value;
            else if (Regex.Match(line, @"^- `([^`]+)`: \S") is { Success: true } m)
                listed.Add($"{folder ?? throw new Xunit.Sdk.XunitException($"os/README.md: '{line}' comes before any folder heading")}/{m.Groups[1].Value}.cs");
        }
        var files = new[] { "os/abi", "os/kernel", "os/compiler" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root, d), "*.cs", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(p => p is "bin" or "obj"))
            .ToHashSet(StringComparer.Ordinal);
        Assert.True(files.Count > 100, $"only {files.Count} files found under os/");
        var missing = files.Except(listed).Order().ToList();
        var stale = listed.Except(files).Order().ToList();
        Assert.True(missing.Count == 0, "files of os/ with no line in os/README.md's table of contents: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "lines of os/README.md's table of contents naming no file: " + string.Join(", ", stale));
    }
}

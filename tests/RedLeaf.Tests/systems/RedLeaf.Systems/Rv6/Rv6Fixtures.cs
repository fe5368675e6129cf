// tests/systems/RedLeaf.Systems/Rv6: where the rv6 tests find their test data: the image written by the original xv6
// mkfs and its manifest, kept in the repository (tests/RedLeaf.Tests/tools/RedLeaf.Xv6/fixtures/, see its
// README), or wherever REDLEAF_FIXTURES points. If it is missing the test fails with a message saying
// where it was looked for and which variable overrides it.
using Domains.Rv6.Fs.Disk;
using RedLeaf.Os.Compiler;
using RedLeaf.Xv6;

namespace RedLeaf.Tests.Rv6;

internal static class Rv6Fixtures
{
    public const string FixturesVariable = "REDLEAF_FIXTURES";

    /// <summary>The folder holding xv6-text.img and its manifest.</summary>
    public static string Folder => Find(FixturesVariable, Path.Combine("tests", "RedLeaf.Tests", "tools", "RedLeaf.Xv6", "fixtures"), "xv6-text.img");

    /// <summary>The sha256 of xv6-text.img as xv6's mkfs wrote it (recorded in the fixtures' README).</summary>
    public const string ImageSha256 = "d972c01d0adbe6471abec01d231c070adcdbc9417266eb6727d042822ff14e59";

    public static string Image => Path.Combine(Folder, "xv6-text.img");

    public static string Manifest => Path.Combine(Folder, "xv6-text.manifest");

    private static string Find(string variable, string inRepository, string mustHold)
    {
        var env = Environment.GetEnvironmentVariable(variable);
        string dir = !string.IsNullOrEmpty(env) ? env : Path.GetFullPath(Path.Combine(DomainTree.Root, inRepository));
        if (!File.Exists(Path.Combine(dir, mustHold)))
            throw new FileNotFoundException($"cannot find {Path.Combine(dir, mustHold)}: expected {inRepository} in the repository ({DomainTree.Root}), or set {variable}");
        return dir;
    }

    /// <summary>The manifest's lines: name, size, sha256 of each file in the root directory.</summary>
    public static IReadOnlyList<(string Name, long Size, string Sha256)> ManifestEntries() =>
        File.ReadAllLines(Manifest)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => p.Length == 3 ? (p[0], long.Parse(p[1]), p[2]) : throw new InvalidDataException($"{Manifest}: a line is not 'name size sha256': {string.Join(' ', p)}"))
            .ToList();

    /// <summary>A small tree that touches every part of the format: a file in the indirect blocks, an
    /// empty one, a 14-byte name, a subfolder with a file.</summary>
    public static IReadOnlyList<MkfsNode> SampleTree() => new[]
    {
        MkfsNode.File("README", "an rv6 test image\n"u8.ToArray()),
        MkfsNode.File("big.bin", Bytes(20 * Layout.BSIZE + 123, seed: 1)),
        MkfsNode.File("empty", Array.Empty<byte>()),
        MkfsNode.File("fourteen-chars", "exactly DIRSIZ\n"u8.ToArray()),
        MkfsNode.Directory("sub", new[] { MkfsNode.File("inner.txt", Bytes(3000, seed: 2)) }),
    };

    /// <summary>Deterministic pseudo-random bytes.</summary>
    public static byte[] Bytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }
}

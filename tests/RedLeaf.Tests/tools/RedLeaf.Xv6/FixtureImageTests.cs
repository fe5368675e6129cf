// tests/tools/RedLeaf.Xv6: the image the original xv6 mkfs wrote (fixtures/xv6-text.img here, see its README), read through the
// shared disk layer: its root holds exactly the files of its manifest (names, sizes, sha256 of the
// contents), fsck finds it clean, and mkfs given the same files makes the same image, byte for byte.
using System.Security.Cryptography;
using Domains.Rv6.Fs.Disk;
using RedLeaf.Xv6;
using Xunit;

namespace RedLeaf.Tests.Rv6;

[Trait("suite", "rv6")]
public class FixtureImageTests
{
    [Fact]
    public void TheImageIsTheOneXv6sMkfsWrote()
    {
        // The copy in the repository is the image as recorded (fixtures/README.md), not a look-alike.
        Assert.Equal(Rv6Fixtures.ImageSha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Rv6Fixtures.Image))));
    }

    [Fact]
    public void TheRootHoldsExactlyTheManifestsFiles()
    {
        var fs = FsImage.Open(Rv6Fixtures.Image);
        var expected = Rv6Fixtures.ManifestEntries();
        Assert.NotEmpty(expected);
        var entries = fs.ReadDir(Layout.ROOTINO).Select(de => (Name: FsImage.DisplayName(de), Inum: (uint)de.inum)).ToList();
        Assert.Equal(new[] { ".", ".." }, entries.Take(2).Select(e => e.Name));
        Assert.All(entries.Take(2), e => Assert.Equal(Layout.ROOTINO, e.Inum));

        var files = entries.Skip(2).ToList();
        Assert.Equal(expected.Select(e => e.Name), files.Select(f => f.Name)); // same names, same order
        foreach (var (name, size, sha) in expected)
        {
            uint inum = fs.Lookup(name) ?? throw new Xunit.Sdk.XunitException($"{name} not found");
            Assert.Equal(InodeType.T_FILE, fs.Inode(inum).type);
            var data = fs.ReadFile(inum);
            Assert.Equal(size, data.Length);
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(data)));
        }
    }

    [Fact]
    public void TheBigFileReachesIntoTheIndirectBlock()
    {
        var fs = FsImage.Open(Rv6Fixtures.Image);
        var big = fs.Inode(fs.Lookup("big.txt")!.Value);
        Assert.True(big.size > Layout.NDIRECT * Layout.BSIZE, "the fixture's big file should need the indirect block");
        Assert.NotEqual(0u, big.addrs[Layout.NDIRECT]);
    }

    [Fact]
    public void FsckFindsItClean()
    {
        var report = Fsck.CheckFile(Rv6Fixtures.Image);
        Assert.True(report.Clean, string.Join("\n", report.Problems));
        Assert.Contains("log: empty", report.Notes);
    }

    [Fact]
    public void MkfsGivenTheSameFilesMakesTheSameImageByteForByte()
    {
        var original = File.ReadAllBytes(Rv6Fixtures.Image);
        var fs = FsImage.Open(Rv6Fixtures.Image);
        var files = fs.ReadDir(Layout.ROOTINO).Skip(2).Select(de => MkfsNode.File(FsImage.DisplayName(de), fs.ReadFile(de.inum))).ToList();
        var ours = Mkfs.Build(files);
        Assert.Equal(original.Length, ours.Length);
        int first = Enumerable.Range(0, original.Length).FirstOrDefault(i => original[i] != ours[i], -1);
        Assert.True(first < 0, $"the images differ first at byte {first} (block {first / Layout.BSIZE})");
    }
}

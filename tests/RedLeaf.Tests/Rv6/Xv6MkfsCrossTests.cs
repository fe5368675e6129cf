// tests/Rv6: interchangeability with the original: xv6-riscv's own mkfs/mkfs.c, taken from the
// read-only mirror and built with gcc into a temp folder at test time (never committed), makes an
// image of the same files our mkfs makes one of; the two must be equal byte for byte. The one
// deliberate difference (mkfs.c rounds a root that fills whole blocks up by a block it never
// allocates, a hole) is checked too: fsck names the hole in mkfs.c's image, and ours has none.
using Domains.Rv6.Fs.Disk;
using RedLeaf.Xv6;
using Xunit;

namespace RedLeaf.Tests.Rv6;

[Trait("suite", "rv6")]
public class Xv6MkfsCrossTests : IClassFixture<OriginalMkfs>
{
    private readonly OriginalMkfs _original;

    public Xv6MkfsCrossTests(OriginalMkfs original) => _original = original;

    [Fact]
    public void TheOriginalMkfsAndOursMakeTheSameImage()
    {
        var files = new[]
        {
            MkfsNode.File("README", "xv6 and rv6 share a disk format\n"u8.ToArray()),
            MkfsNode.File("a.txt", Rv6Fixtures.Bytes(5000, seed: 4)),
            MkfsNode.File("big.bin", Rv6Fixtures.Bytes(200 * Layout.BSIZE + 17, seed: 5)),
            MkfsNode.File("empty", Array.Empty<byte>()),
            MkfsNode.File("fourteen-chars", Rv6Fixtures.Bytes(Layout.BSIZE, seed: 6)),
            MkfsNode.File("max", Rv6Fixtures.Bytes(Layout.MAXFILE * Layout.BSIZE, seed: 7)),
        };
        var (theirs, ours) = Both(files);
        AssertSame(theirs, ours);
        Assert.True(Fsck.Check(theirs, "xv6 mkfs").Clean);
    }

    [Fact]
    public void ARootFillingWholeBlocksIsTheOneDifferenceAndFsckNamesTheOriginalsHole()
    {
        var files = Enumerable.Range(0, 62).Select(i => MkfsNode.File($"f{i:d2}", Rv6Fixtures.Bytes(i, seed: i))).ToArray();
        var (theirs, ours) = Both(files);

        var sb = Superblock.Read(ours.AsSpan(Layout.BSIZE, Layout.BSIZE));
        var rootTheirs = DiskInode.Read(theirs.AsSpan((int)Layout.IBLOCK(Layout.ROOTINO, sb) * Layout.BSIZE, Layout.BSIZE), Layout.ROOTINO);
        Assert.Equal(2u * Layout.BSIZE, rootTheirs.size);
        Assert.Equal(0u, rootTheirs.addrs[1]); // the block mkfs.c counted but never allocated

        // Equal everywhere but the root's size field.
        int sizeField = (int)Layout.IBLOCK(Layout.ROOTINO, sb) * Layout.BSIZE + DiskInode.Offset(Layout.ROOTINO) + 8;
        var patched = (byte[])theirs.Clone();
        LittleEndian.Put32(patched, sizeField, Layout.BSIZE);
        AssertSame(patched, ours);

        var report = Fsck.Check(theirs, "xv6 mkfs");
        var hole = Assert.Single(report.Problems);
        Assert.Equal(FsckKind.Hole, hole.Kind);
        Assert.Contains("inode 1 (dir, size 2048): block 1 of its data has no address", hole.Message);
        Assert.True(Fsck.Check(ours, "ours").Clean);
    }

    /// <summary>Runs mkfs.c and ours on the same files (mkfs.c gets them in our order, from their folder).</summary>
    private (byte[] Theirs, byte[] Ours) Both(IReadOnlyList<MkfsNode> files)
    {
        string dir = Directory.CreateTempSubdirectory("redleaf-xv6mkfs-run-").FullName;
        try
        {
            string tree = Path.Combine(dir, "tree");
            Directory.CreateDirectory(tree);
            foreach (var f in files) File.WriteAllBytes(Path.Combine(tree, f.Name), f.Data!);
            string image = Path.Combine(dir, "xv6.img");
            var args = new List<string> { image };
            args.AddRange(MkfsNode.FromFolder(tree).Select(n => n.Name));
            OriginalMkfs.Run(_original.Path, tree, args);
            return (File.ReadAllBytes(image), Mkfs.WriteImage(Path.Combine(dir, "ours.img"), tree));
        }
        finally { Directory.Delete(dir, true); }
    }

    private static void AssertSame(byte[] theirs, byte[] ours)
    {
        Assert.Equal(theirs.Length, ours.Length);
        int first = Enumerable.Range(0, theirs.Length).FirstOrDefault(i => theirs[i] != ours[i], -1);
        Assert.True(first < 0, $"the images differ first at byte {first} (block {first / Layout.BSIZE}, offset {first % Layout.BSIZE}): xv6 {(first < 0 ? 0 : theirs[first])}, ours {(first < 0 ? 0 : ours[first])}");
    }
}

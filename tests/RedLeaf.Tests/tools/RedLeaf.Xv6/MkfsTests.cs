// tests/tools/RedLeaf.Xv6: mkfs from host files and folders, read back through the shared disk layer byte for byte,
// accepted by fsck; and each limit of the format refused with a message naming the file.
using Domains.Rv6.Fs.Disk;
using RedLeaf.Xv6;
using Xunit;

namespace RedLeaf.Tests.Rv6;

[Trait("suite", "rv6")]
public class MkfsTests
{
    [Fact]
    public void AHostFolderReadsBackByteForByte()
    {
        string dir = Directory.CreateTempSubdirectory("redleaf-mkfs-").FullName;
        try
        {
            var tree = Rv6Fixtures.SampleTree();
            WriteTree(dir, tree);
            string image = Path.Combine(dir, "fs.img");
            Mkfs.WriteImage(image, Path.Combine(dir, "tree"));
            Assert.Equal(Layout.FSSIZE * Layout.BSIZE, new FileInfo(image).Length);

            var fs = FsImage.Open(image);
            Assert.Equal(Layout.FSMAGIC, fs.Sb.magic);
            Assert.Equal((uint)Layout.NINODES, fs.Sb.ninodes);
            Assert.Equal((uint)Layout.LOGSIZE, fs.Sb.nlog);
            Assert.Equal(2u, fs.Sb.logstart); // the log right after the superblock
            AssertHolds(fs, "/", tree);
            Assert.True(Fsck.CheckFile(image).Clean, string.Join("\n", Fsck.CheckFile(image).Problems));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void SubdirectoriesCountTheirDotDotInTheParentsLinks()
    {
        var fs = FsImage.Load(Mkfs.Build(Rv6Fixtures.SampleTree()), "sample");
        Assert.Equal(2, fs.Inode(Layout.ROOTINO).nlink); // its own ".." and sub's ".."
        uint sub = fs.Lookup("sub")!.Value;
        Assert.Equal(1, fs.Inode(sub).nlink);
        var entries = fs.ReadDir(sub);
        Assert.True(entries[0].NameIs("."u8) && entries[0].inum == sub);
        Assert.True(entries[1].NameIs(".."u8) && entries[1].inum == Layout.ROOTINO);
    }

    [Fact]
    public void AFileOfExactlyMaxfileBlocksFitsAndOneByteMoreIsRefused()
    {
        var max = Rv6Fixtures.Bytes(Layout.MAXFILE * Layout.BSIZE, seed: 3);
        var fs = FsImage.Load(Mkfs.Build(new[] { MkfsNode.File("max", max) }), "max");
        Assert.Equal(max, fs.ReadFile(fs.Lookup("max")!.Value));
        Assert.True(Fsck.Check(Mkfs.Build(new[] { MkfsNode.File("max", max) }), "max").Clean);

        var e = Assert.Throws<MkfsException>(() => Mkfs.Build(new[] { MkfsNode.File("toobig", new byte[Layout.MAXFILE * Layout.BSIZE + 1]) }));
        Assert.Contains("/toobig", e.Message);
        Assert.Contains("MAXFILE", e.Message);
    }

    [Fact]
    public void ANameOverDirsizBytesIsRefusedNotCut()
    {
        var e = Assert.Throws<MkfsException>(() => Mkfs.Build(new[] { MkfsNode.File("fifteen-chars!!", new byte[1]) }));
        Assert.Contains("fifteen-chars!!", e.Message);
        Assert.Contains("DIRSIZ", e.Message);
    }

    [Fact]
    public void AFullImageAndTooFewInodesAreRefusedWithTheOptionToChange()
    {
        var files = Enumerable.Range(0, 10).Select(i => MkfsNode.File($"f{i}", new byte[200 * Layout.BSIZE])).ToList();
        var full = Assert.Throws<MkfsException>(() => Mkfs.Build(files));
        Assert.Contains("full", full.Message);
        Assert.Contains("--size", full.Message);
        Assert.True(Fsck.Check(Mkfs.Build(files, new MkfsOptions(Size: 4000)), "big").Clean);

        var many = Enumerable.Range(0, 20).Select(i => MkfsNode.File($"f{i}", new byte[1])).ToList();
        var inodes = Assert.Throws<MkfsException>(() => Mkfs.Build(many, new MkfsOptions(Inodes: 16)));
        Assert.Contains("out of inodes", inodes.Message);
        Assert.Contains("--inodes", inodes.Message);
    }

    [Fact]
    public void ASizeTooSmallForItsMetadataIsRefused()
    {
        var e = Assert.Throws<MkfsException>(() => Mkfs.Build(Array.Empty<MkfsNode>(), new MkfsOptions(Size: 40)));
        Assert.Contains("no data blocks", e.Message);
    }

    [Fact]
    public void AnEmptyImageHasARootWithDotAndDotDotAndIsClean()
    {
        var bytes = Mkfs.Build(Array.Empty<MkfsNode>());
        var fs = FsImage.Load(bytes, "empty");
        Assert.Equal(new[] { ".", ".." }, fs.List("/").Select(e => e.Name));
        Assert.Equal((uint)Layout.BSIZE, fs.Inode(Layout.ROOTINO).size); // rounded up to a block, as mkfs.c does
        Assert.True(Fsck.Check(bytes, "empty").Clean);
    }

    [Fact]
    public void ARootThatFillsWholeBlocksGetsNoHole()
    {
        // 62 files + "." + ".." = 64 entries = exactly one block: the size stays 1024 (mkfs.c makes it 2048).
        var files = Enumerable.Range(0, 62).Select(i => MkfsNode.File($"f{i:d2}", Array.Empty<byte>())).ToList();
        var bytes = Mkfs.Build(files);
        Assert.Equal((uint)Layout.BSIZE, FsImage.Load(bytes, "62").Inode(Layout.ROOTINO).size);
        Assert.True(Fsck.Check(bytes, "62").Clean);
    }

    internal static void WriteTree(string dir, IReadOnlyList<MkfsNode> tree, string name = "tree")
    {
        string here = Path.Combine(dir, name);
        Directory.CreateDirectory(here);
        foreach (var n in tree)
            if (n.IsDirectory) WriteTree(here, n.Children!, n.Name);
            else File.WriteAllBytes(Path.Combine(here, n.Name), n.Data!);
    }

    private static void AssertHolds(FsImage fs, string path, IReadOnlyList<MkfsNode> tree)
    {
        var listed = fs.List(path).Where(e => e.Name is not ("." or "..")).ToList();
        Assert.Equal(tree.Select(n => n.Name).OrderBy(n => n, StringComparer.Ordinal), listed.Select(e => e.Name));
        foreach (var n in tree)
        {
            string child = path.TrimEnd('/') + "/" + n.Name;
            uint inum = fs.Lookup(child) ?? throw new Xunit.Sdk.XunitException($"{child} not found");
            if (n.IsDirectory)
            {
                Assert.Equal(InodeType.T_DIR, fs.Inode(inum).type);
                AssertHolds(fs, child, n.Children!);
            }
            else
            {
                Assert.Equal(InodeType.T_FILE, fs.Inode(inum).type);
                Assert.Equal(n.Data!, fs.ReadFile(inum));
            }
        }
    }
}

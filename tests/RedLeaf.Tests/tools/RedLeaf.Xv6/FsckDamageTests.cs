// tests/tools/RedLeaf.Xv6: fsck against damage injected into a clean image made by mkfs, one kind at a time: each
// kind fsck claims to find, found with a message naming the place. And fsck and the image reader on
// randomly corrupted metadata: a report or an FsImageException, never any other exception.
using Domains.Rv6.Fs.Disk;
using RedLeaf.Xv6;
using Xunit;

namespace RedLeaf.Tests.Rv6;

[Trait("suite", "rv6")]
public class FsckDamageTests
{
    private readonly byte[] _img = Mkfs.Build(Rv6Fixtures.SampleTree());
    private readonly Superblock _sb;
    private readonly uint _readme, _sub, _inner;

    public FsckDamageTests()
    {
        var fs = FsImage.Load(_img, "sample");
        _sb = fs.Sb;
        _readme = fs.Lookup("README")!.Value;
        _sub = fs.Lookup("sub")!.Value;
        _inner = fs.Lookup("sub/inner.txt")!.Value;
    }

    [Fact]
    public void TheUndamagedImageIsClean()
    {
        var r = Fsck.Check(_img, "sample");
        Assert.True(r.Clean, string.Join("\n", r.Problems));
    }

    [Fact]
    public void ABlockInUseMarkedFreeInTheBitmap()
    {
        uint b = Inode(_readme).addrs[0];
        Bitmap.Mark(Block(Layout.BBLOCK(b, _sb)), b, false);
        Only(FsckKind.BitmapMarksFree, $"block {b} is held by inode {_readme} (file /README) as direct 0, but the bitmap marks it free");
    }

    [Fact]
    public void AMetadataBlockMarkedFreeInTheBitmap()
    {
        Bitmap.Mark(Block(_sb.bmapstart), _sb.inodestart, false);
        Only(FsckKind.BitmapMarksFree, $"block {_sb.inodestart} (inode blocks) is metadata, but the bitmap marks it free");
    }

    [Fact]
    public void AFreeBlockMarkedInUseInTheBitmap()
    {
        uint b = _sb.size - 1;
        Bitmap.Mark(Block(Layout.BBLOCK(b, _sb)), b, true);
        Only(FsckKind.BitmapMarksUsed, $"block {b} is marked in use in the bitmap, but no inode holds it");
    }

    [Fact]
    public void AWrongLinkCount()
    {
        Change(_readme, (ref DiskInode ip) => ip.nlink = 3);
        Only(FsckKind.LinkCount, $"inode {_readme} (file /README) has nlink 3, but 1 directory entry names it");
    }

    [Fact]
    public void ADirectoryWithAWrongLinkCount()
    {
        Change(Layout.ROOTINO, (ref DiskInode ip) => ip.nlink = 1);
        Only(FsckKind.LinkCount, "inode 1 (dir /) has nlink 1, but 2 directory entries name it");
    }

    [Fact]
    public void AnEntryNamingAFreeInode()
    {
        AddEntry(Layout.ROOTINO, "ghost", 150);
        Only(FsckKind.DanglingEntry, "'ghost' names inode 150, which is free");
    }

    [Fact]
    public void AnEntryNamingAnInodeBeyondTheTable()
    {
        AddEntry(Layout.ROOTINO, "far", 5000);
        Only(FsckKind.DanglingEntry, "'far' names inode 5000, beyond the 200 inodes");
    }

    [Fact]
    public void ABlockUsedTwice()
    {
        uint shared = Inode(_readme).addrs[0];
        uint own = Inode(_inner).addrs[0];
        Change(_inner, (ref DiskInode ip) => ip.addrs[0] = shared);
        var r = Check();
        Assert.Contains(r.Problems, p => p.Kind == FsckKind.BlockUsedTwice && p.Message.Contains($"block {shared} is used twice: by inode {_readme} (direct 0) and by inode {_inner} (direct 0)"));
        // The block it no longer holds is leaked; nothing else.
        Assert.Contains(r.Problems, p => p.Kind == FsckKind.BitmapMarksUsed && p.Message.Contains($"block {own} "));
        Assert.Equal(new[] { FsckKind.BlockUsedTwice, FsckKind.BitmapMarksUsed }, r.Counts.Keys.Order());
    }

    [Fact]
    public void ABlockAddressOutsideTheDataBlocks()
    {
        uint own = Inode(_readme).addrs[0];
        Change(_readme, (ref DiskInode ip) => ip.addrs[0] = _sb.logstart + 1);
        var r = Check();
        Assert.Contains(r.Problems, p => p.Kind == FsckKind.AddressOutOfRange && p.Message.Contains($"inode {_readme} (file), direct 0: block {_sb.logstart + 1} is outside the data blocks [{_sb.datastart}, {_sb.size})"));
        Assert.Contains(r.Problems, p => p.Kind == FsckKind.BitmapMarksUsed && p.Message.Contains($"block {own} "));
    }

    [Fact]
    public void AHoleInsideAFile()
    {
        Change(_readme, (ref DiskInode ip) => ip.addrs[0] = 0);
        var r = Check();
        Assert.Contains(r.Problems, p => p.Kind == FsckKind.Hole && p.Message.Contains($"inode {_readme} (file, size 18): block 0 of its data has no address"));
    }

    [Fact]
    public void AnInodeOfAnUnknownType()
    {
        Change(_readme, (ref DiskInode ip) => ip.type = 7);
        var r = Check();
        Assert.Contains(r.Problems, p => p.Kind == FsckKind.BadType && p.Message.Contains($"inode {_readme} has type 7"));
        Assert.True(r.Has(FsckKind.DanglingEntry), "the entry naming it now names no file");
    }

    [Fact]
    public void AnInodeInUseThatNoDirectoryReaches()
    {
        Change(150, (ref DiskInode ip) => { ip.type = InodeType.T_FILE; ip.nlink = 1; });
        Only(FsckKind.LostInode, "inode 150 (file, size 0, nlink 1) is in use, but no directory reaches it");
    }

    [Fact]
    public void ADirectoryWithoutDot()
    {
        var ip = Inode(_sub);
        Block(ip.addrs[0])[..DirEntry.Size].Clear();
        Only(FsckKind.BadDirectory, $"directory /sub (inode {_sub}) has no '.' entry");
    }

    [Fact]
    public void ADotDotNotNamingTheParent()
    {
        var ip = Inode(_sub);
        new DirEntry { inum = (ushort)_sub, name = Name("..") }.Write(Block(ip.addrs[0]), DirEntry.Size);
        var r = Check();
        Assert.Contains(r.Problems, p => p.Kind == FsckKind.BadDirectory && p.Message.Contains($"'..' names inode {_sub}, not its parent (inode 1)"));
    }

    [Fact]
    public void ADirectoryNamedTwice()
    {
        AddEntry(Layout.ROOTINO, "alias", _sub);
        var r = Check();
        Assert.Contains(r.Problems, p => p.Kind == FsckKind.BadDirectory && p.Message.Contains($"directory inode {_sub} is named twice, as /sub and as /alias"));
    }

    [Fact]
    public void ARootThatIsNotADirectory()
    {
        Change(Layout.ROOTINO, (ref DiskInode ip) => ip.type = InodeType.T_FILE);
        var r = Check();
        Assert.Contains(r.Problems, p => p.Kind == FsckKind.BadRoot && p.Message.Contains("inode 1, the root, is file, not a directory"));
    }

    [Fact]
    public void BadMagicIsAForeignFile()
    {
        Block(1)[0] ^= 0xff;
        Only(FsckKind.BadMagic, "not an xv6 file system");
    }

    [Fact]
    public void ATruncatedImage()
    {
        var r = Fsck.Check(_img[..(1000 * Layout.BSIZE)], "cut");
        Assert.Equal(FsckKind.Truncated, Assert.Single(r.Problems).Kind);
        Assert.Contains("says the file system has 2000 blocks, but the image holds only 1000: truncated", r.Problems[0].Message);

        var tiny = Fsck.Check(_img[..100], "tiny");
        Assert.Contains("100 bytes, too short to hold a superblock", Assert.Single(tiny.Problems).Message);

        Assert.Contains("truncated", Assert.Throws<FsImageException>(() => FsImage.Load(_img[..(1000 * Layout.BSIZE)], "cut")).Message);
    }

    [Fact]
    public void ASuperblockWhoseRegionsOverlap()
    {
        var sb = _sb;
        sb.bmapstart = sb.inodestart + 2;
        sb.Write(Block(1));
        Only(FsckKind.BadSuperblock, "overlap the bitmap");
    }

    [Fact]
    public void ALogHeaderThatCannotBeRecovered()
    {
        var lh = new LogHeader { n = 40 };
        lh.Write(Block(_sb.logstart));
        Only(FsckKind.BadLog, $"the log header (block {_sb.logstart}) says 40 blocks; a transaction holds 0 to {Layout.LOGSIZE - 1}");

        lh = new LogHeader { n = 1 };
        lh.block[0] = 1; // the superblock: never logged
        lh.Write(Block(_sb.logstart));
        Only(FsckKind.BadLog, "sends log block 0 to block 1, outside");
    }

    [Fact]
    public void ACommittedLogIsCheckedAsRecoveryWillLeaveIt()
    {
        // The home copy of README's inode block is damaged; the log holds the committed, correct block.
        uint home = Layout.IBLOCK(_readme, _sb);
        Block(home).CopyTo(Block(_sb.logstart + 1));
        var lh = new LogHeader { n = 1 };
        lh.block[0] = (int)home;
        lh.Write(Block(_sb.logstart));
        Change(_readme, (ref DiskInode ip) => ip.nlink = 9);
        var before = (byte[])_img.Clone();

        var r = Check();
        Assert.True(r.Clean, string.Join("\n", r.Problems));
        Assert.Contains(r.Notes, n => n.StartsWith("log: a committed transaction of 1 block", StringComparison.Ordinal));
        Assert.Equal(before, _img); // checked in a copy

        var fs = FsImage.Load(_img, "committed");
        Assert.Equal(1, fs.RecoveredLogBlocks);
        Assert.Equal(1, fs.Inode(_readme).nlink);
    }

    [Fact]
    public void RandomlyCorruptedMetadataGivesAReportOrAClearErrorNeverACrash()
    {
        int seed = Environment.TickCount;
        var rng = new Random(seed);
        for (int round = 0; round < 300; round++)
        {
            var img = (byte[])_img.Clone();
            int hits = rng.Next(1, 20);
            for (int i = 0; i < hits; i++)
            {
                // Superblock, log header, inode blocks, bitmap, and the first data blocks (directories).
                int block = rng.Next(6) switch { 0 => 1, 1 => (int)_sb.logstart, 2 or 3 => rng.Next((int)_sb.inodestart, (int)_sb.bmapstart), 4 => (int)_sb.bmapstart, _ => rng.Next((int)_sb.datastart, (int)_sb.datastart + 40) };
                img[block * Layout.BSIZE + rng.Next(Layout.BSIZE)] = (byte)rng.Next(256);
            }
            try
            {
                Fsck.Check(img, "fuzzed");
                var fs = FsImage.Load(img, "fuzzed");
                foreach (var e in fs.List("/"))
                    if (e.Type == InodeType.T_FILE && e.Inum < fs.Sb.ninodes) fs.ReadFile(e.Inum);
            }
            catch (FsImageException) { }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed}, round {round}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
    }

    private delegate void Edit(ref DiskInode ip);

    private FsckReport Check() => Fsck.Check(_img, "damaged");

    /// <summary>fsck finds exactly one problem, of this kind, saying this.</summary>
    private void Only(FsckKind kind, string says)
    {
        var r = Check();
        Assert.True(r.ProblemCount == 1, $"expected only {kind}, got:\n{string.Join("\n", r.Problems)}");
        Assert.Equal(kind, r.Problems[0].Kind);
        Assert.Contains(says, r.Problems[0].Message);
    }

    private Span<byte> Block(uint b) => _img.AsSpan((int)(b * Layout.BSIZE), Layout.BSIZE);

    private DiskInode Inode(uint inum) => DiskInode.Read(Block(Layout.IBLOCK(inum, _sb)), inum);

    private void Change(uint inum, Edit edit)
    {
        var ip = Inode(inum);
        edit(ref ip);
        ip.Write(Block(Layout.IBLOCK(inum, _sb)), inum);
    }

    private static DirName Name(string s)
    {
        var de = new DirEntry();
        de.SetName(System.Text.Encoding.UTF8.GetBytes(s));
        return de.name;
    }

    /// <summary>Writes an entry into the first free slot of a directory's first block (inside its size).</summary>
    private void AddEntry(uint dir, string name, uint inum)
    {
        var ip = Inode(dir);
        var data = Block(ip.addrs[0]);
        for (int off = 0; off < Math.Min(ip.size, Layout.BSIZE); off += DirEntry.Size)
            if (DirEntry.Read(data, off).inum == 0)
            {
                new DirEntry { inum = (ushort)inum, name = Name(name) }.Write(data, off);
                return;
            }
        throw new InvalidOperationException($"no free slot in directory inode {dir}");
    }
}

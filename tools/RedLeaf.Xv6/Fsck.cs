// tools/RedLeaf.Xv6: fsck, the checker for xv6 file-system images, in passes:
//   1. the superblock (Superblock.Problem: magic, regions in order, inside the file);
//   2. the log header (LogHeader.Problem); a committed transaction is installed in a copy first, so
//      the image is checked as xv6's recovery at mount will leave it;
//   3. every inode: its type, size, and each block it holds (in the data region, held once);
//   4. the directory tree from the root: "." and "..", names, entries naming used inodes, each
//      directory reached once; counting the entries that name each inode;
//   5. link counts against those entries, and inodes in use that nothing reaches;
//   6. the bitmap against the blocks in use, both ways.
// xv6's link counting: every directory entry but "." counts, so a directory's nlink is 1 for its name
// plus 1 for each subdirectory's "..", and the root's is 1 (its own "..") plus its subdirectories.
using Domains.Rv6.Fs.Disk;

namespace RedLeaf.Xv6;

public sealed partial class Fsck
{
    private readonly FsckReport _r;
    private readonly byte[] _img;
    private readonly Superblock _sb;
    private readonly DiskInode[] _inodes;
    private readonly uint[] _owner;     // block -> inode holding it (0: none)
    private readonly string[] _ownerAs; // block -> how ("direct 3", "indirect block", "indirect entry 7")
    private readonly int[] _refs;       // inode -> directory entries naming it ("." excepted)
    private readonly string?[] _path;   // inode -> first path reaching it

    private Fsck(FsckReport r, byte[] img, Superblock sb)
    {
        _r = r;
        _img = img;
        _sb = sb;
        _inodes = new DiskInode[sb.ninodes];
        _owner = new uint[sb.size];
        _ownerAs = new string[sb.size];
        _refs = new int[sb.ninodes];
        _path = new string?[sb.ninodes];
    }

    /// <summary>Checks the image file at <paramref name="path"/>; a missing file or a folder is an exception, damage is in the report.</summary>
    public static FsckReport CheckFile(string path) => Check(FsImage.ReadImageFile(path), path);

    /// <summary>Checks image bytes (never changed: a committed log is installed in a copy).</summary>
    public static FsckReport Check(byte[] bytes, string name)
    {
        var r = new FsckReport(name);
        if (bytes.Length < 2 * Layout.BSIZE)
        {
            r.Add(FsckKind.Truncated, $"the file is {bytes.Length} bytes, too short to hold a superblock (block {Superblock.Block} ends at byte {2 * Layout.BSIZE})");
            return r;
        }
        var sb = Superblock.Read(FsImage.Block(bytes, Superblock.Block));
        ulong blocks = (ulong)bytes.Length / Layout.BSIZE;
        if (sb.Problem(blocks) is { } problem)
        {
            var kind = sb.magic != Layout.FSMAGIC ? FsckKind.BadMagic : sb.size > blocks ? FsckKind.Truncated : FsckKind.BadSuperblock;
            r.Add(kind, problem);
            return r;
        }
        r.Note($"{sb.size} blocks: boot, superblock, log {sb.nlog} at {sb.logstart}, inodes {sb.ninodes} at {sb.inodestart}, bitmap {sb.nbitmap} at {sb.bmapstart}, data {sb.nblocks} at {sb.datastart}");
        if ((ulong)bytes.Length != (ulong)sb.size * Layout.BSIZE)
            r.Note($"the file is {bytes.Length} bytes; the file system uses the first {(ulong)sb.size * Layout.BSIZE}");

        var img = bytes;
        var lh = LogHeader.Read(FsImage.Block(bytes, sb.logstart));
        if (lh.Problem(sb) is { } bad) r.Add(FsckKind.BadLog, bad + "; xv6 would install garbage at mount");
        else if (lh.n == 0) r.Note("log: empty");
        else
        {
            img = (byte[])bytes.Clone();
            FsImage.InstallLog(img, sb, lh);
            r.Note($"log: a committed transaction of {lh.n} block{(lh.n == 1 ? "" : "s")} not yet installed; checked as recovery at mount will leave it");
        }

        var f = new Fsck(r, img, sb);
        f.CheckInodes();
        f.CheckTree();
        f.CheckLinks();
        f.CheckBitmap();
        return r;
    }

    private ReadOnlySpan<byte> Block(uint b) => FsImage.Block(_img, b);

    private bool InUse(uint inum) => _inodes[inum].type is InodeType.T_DIR or InodeType.T_FILE or InodeType.T_DEVICE;

    /// <summary>"inode 4 (file /README)": how messages name an inode.</summary>
    private string Describe(uint inum)
    {
        var what = InodeType.Name(_inodes[inum].type);
        return _path[inum] is { } p ? $"inode {inum} ({what} {p})" : $"inode {inum} ({what})";
    }

    private string RegionOf(uint b) =>
        b == 0 ? "boot block"
        : b == Superblock.Block ? "superblock"
        : b >= _sb.logstart && b < _sb.logstart + _sb.nlog ? "log"
        : b >= _sb.inodestart && b < _sb.bmapstart ? "inode blocks"
        : b >= _sb.bmapstart && b < _sb.bmapstart + _sb.nbitmap ? "bitmap"
        : "unused metadata";
}

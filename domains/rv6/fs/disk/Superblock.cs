// domains/rv6/fs/disk: struct superblock (kernel/fs.h), in block 1. It describes the layout; mkfs
// computes it (Make, as mkfs.c does) and whoever mounts an image checks it first (Problem), so a
// foreign or damaged image is refused with a reason instead of being read at wild block numbers.
namespace Domains.Rv6.Fs.Disk;

public struct Superblock
{
    public const int Size = 32;
    public const uint Block = 1; // where it lives

    public uint magic;      // must be FSMAGIC
    public uint size;       // size of file system image (blocks)
    public uint nblocks;    // number of data blocks
    public uint ninodes;    // number of inodes
    public uint nlog;       // number of log blocks (header included)
    public uint logstart;   // block number of first log block (the header)
    public uint inodestart; // block number of first inode block
    public uint bmapstart;  // block number of first free map block

    /// <summary>First data block: everything before it is metadata.</summary>
    public readonly uint datastart => size - nblocks;

    /// <summary>Bitmap blocks needed to cover <see cref="size"/> blocks.</summary>
    public readonly uint nbitmap => (size + Layout.BPB - 1) / Layout.BPB;

    public static Superblock Read(ReadOnlySpan<byte> block) => new()
    {
        magic = LittleEndian.U32(block, 0),
        size = LittleEndian.U32(block, 4),
        nblocks = LittleEndian.U32(block, 8),
        ninodes = LittleEndian.U32(block, 12),
        nlog = LittleEndian.U32(block, 16),
        logstart = LittleEndian.U32(block, 20),
        inodestart = LittleEndian.U32(block, 24),
        bmapstart = LittleEndian.U32(block, 28),
    };

    public readonly void Write(Span<byte> block)
    {
        LittleEndian.Put32(block, 0, magic);
        LittleEndian.Put32(block, 4, size);
        LittleEndian.Put32(block, 8, nblocks);
        LittleEndian.Put32(block, 12, ninodes);
        LittleEndian.Put32(block, 16, nlog);
        LittleEndian.Put32(block, 20, logstart);
        LittleEndian.Put32(block, 24, inodestart);
        LittleEndian.Put32(block, 28, bmapstart);
    }

    /// <summary>The layout mkfs.c gives an image of <paramref name="size"/> blocks: boot, super, log,
    /// ninodes/IPB + 1 inode blocks, size/BPB + 1 bitmap blocks, then data. Check it with Problem:
    /// a size too small for its metadata leaves no data blocks.</summary>
    public static Superblock Make(uint size, uint ninodes, uint nlog)
    {
        uint nbitmap = size / Layout.BPB + 1;
        uint ninodeblocks = ninodes / Layout.IPB + 1;
        ulong nmeta = 2UL + nlog + ninodeblocks + nbitmap;
        return new Superblock
        {
            magic = Layout.FSMAGIC,
            size = size,
            nblocks = nmeta < size ? (uint)(size - nmeta) : 0,
            ninodes = ninodes,
            nlog = nlog,
            logstart = 2,
            inodestart = 2 + nlog,
            bmapstart = 2 + nlog + ninodeblocks,
        };
    }

    /// <summary>Why this superblock cannot describe an image of <paramref name="imageBlocks"/> blocks,
    /// or null if it can: the magic, the regions in xv6's order without overlap, each inside the image.</summary>
    public readonly string? Problem(ulong imageBlocks)
    {
        if (magic != Layout.FSMAGIC)
            return $"bad magic 0x{magic:x8} in block {Block} (an xv6 file system has 0x{Layout.FSMAGIC:x8}): not an xv6 file system";
        if (size > imageBlocks)
            return $"the superblock says the file system has {size} blocks, but the image holds only {imageBlocks}: truncated";
        if (ninodes < 2)
            return $"the superblock says {ninodes} inodes; an xv6 file system needs at least 2 (inode 0 is unused, 1 is the root)";
        if (nlog < 2)
            return $"the superblock says {nlog} log blocks; the log needs a header block and at least one data block";
        if (logstart < 2)
            return $"the log starts at block {logstart}, over the boot block or the superblock";
        ulong inodeblocks = (ninodes - 1UL) / Layout.IPB + 1;
        if ((ulong)logstart + nlog > inodestart)
            return $"the log (blocks {logstart}..{(ulong)logstart + nlog - 1}) overlaps the inode blocks starting at {inodestart}";
        if (inodestart + inodeblocks > bmapstart)
            return $"the inode blocks ({inodestart}..{inodestart + inodeblocks - 1}, for {ninodes} inodes) overlap the bitmap starting at {bmapstart}";
        if (nblocks > size)
            return $"the superblock says {nblocks} data blocks in a file system of {size} blocks";
        if (nblocks == 0)
            return $"the file system has no data blocks (size {size}, metadata up to block {datastart})";
        if ((ulong)bmapstart + nbitmap > datastart)
            return $"the bitmap ({nbitmap} blocks from {bmapstart}, for {size} blocks) overlaps the data blocks starting at {datastart}";
        return null;
    }
}

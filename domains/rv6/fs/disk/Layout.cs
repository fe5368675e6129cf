// domains/rv6/fs/disk: the numbers of xv6's on-disk format (kernel/fs.h, kernel/param.h, mkfs/mkfs.c),
// named as in xv6 so code ported from xv6 reads the same. This folder is shared source: the fs domain
// compiles it through the trusted compiler, and the host's mkfs and fsck (tools/RedLeaf.Xv6) link
// the very same files, so the tools and the domain agree on the format by construction. It therefore
// uses only what a domain may use: spans, arrays, byte math by hand; no System.IO.
//
// Disk layout, in 1024-byte blocks:
// [ boot block | superblock | log | inode blocks | free bit map | data blocks ]
namespace Domains.Rv6.Fs.Disk;

public static class Layout
{
    public const int BSIZE = 1024;          // block size
    public const uint ROOTINO = 1;          // root i-number
    public const uint FSMAGIC = 0x10203040; // superblock magic

    public const int NDIRECT = 12;                 // direct block addresses in an inode
    public const int NINDIRECT = BSIZE / 4;        // addresses in the indirect block
    public const int MAXFILE = NDIRECT + NINDIRECT; // largest file, in blocks

    public const int IPB = BSIZE / DiskInode.Size; // inodes per block
    public const int BPB = BSIZE * 8;              // bitmap bits per block
    public const int DIRSIZ = 14;                  // longest name in a directory entry

    // param.h: the log holds at most LOGSIZE blocks of one transaction; the default image size.
    public const int MAXOPBLOCKS = 10;
    public const int LOGSIZE = MAXOPBLOCKS * 3;
    public const int FSSIZE = 2000;

    // mkfs.c: how many inodes a default image has.
    public const int NINODES = 200;

    /// <summary>Block holding inode <paramref name="i"/>.</summary>
    public static uint IBLOCK(uint i, Superblock sb) => i / IPB + sb.inodestart;

    /// <summary>Bitmap block holding the bit for block <paramref name="b"/>.</summary>
    public static uint BBLOCK(uint b, Superblock sb) => b / BPB + sb.bmapstart;
}

// domains/rv6/fs: the sizes of the fs domain's in-memory tables (xv6's kernel/param.h). The on-disk
// numbers (BSIZE, LOGSIZE, MAXOPBLOCKS, ...) live with the format in disk/Layout.cs.
namespace Domains.Rv6.Fs;

internal static class Param
{
    public const int NFILE = 100;   // open files per system (xv6: 100)
    public const int NPROC = 64;    // maximum number of processes (xv6: 64)
    public const int NDEV = 10;     // maximum major device number (xv6: 10)
    public const int ROOTDEV = 1;   // device number of the file system root disk
    public const int MAXPATH = 128; // maximum file path name (xv6: 128)

    // xv6 has NBUF = MAXOPBLOCKS*3 = LOGSIZE. Blocks pinned by a transaction cannot be recycled, so a
    // full log could pin every buffer (xv6 would then panic in bget); twice that leaves room for the
    // operations in flight. bget also sleeps for a free buffer instead of panicking.
    public const int NBUF = Disk.Layout.MAXOPBLOCKS * 6;

    // Inode handles the core may hold at once: its open files plus every process's working directory.
    public const int NHANDLE = NFILE + NPROC;

    // Active in-memory inodes (xv6: 50, and iget panics when they run out). Here every handle may name
    // a different inode, and each operation in flight holds two or three more for a moment.
    public const int NINODE = NHANDLE + 2 * NPROC;
}

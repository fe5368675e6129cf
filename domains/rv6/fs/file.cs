// domains/rv6/fs: reading, writing and stat of an inode (xv6's kernel/file.c: fileread, filewrite,
// filestat, for FD_INODE files). Offsets and readable/writable modes belong to the core's open-file
// table; pipes and devices are the core's too, so only files and directories get here.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Fs.Disk;

namespace Domains.Rv6.Fs;

public sealed partial class FileSystem
{
    // Write n bytes of data at off, a few blocks at a time: each chunk is one transaction, small
    // enough that i-node, indirect block, allocation blocks and 2 blocks of slop for non-aligned
    // writes fit in MAXOPBLOCKS. Bytes written; -1 if nothing could be written.
    private int filewrite(Inode ip, in RRefArray<byte> data, uint off, int n)
    {
        if (ip.type != InodeType.T_FILE) return -1;
        const int max = ((Layout.MAXOPBLOCKS - 1 - 1 - 2) / 2) * Layout.BSIZE;

        // xv6's writei refuses a write that would end past MAXFILE blocks; write up to that limit.
        long room = (long)Layout.MAXFILE * Layout.BSIZE - off;
        if (room < n) n = (int)Math.Max(0, room);
        if (n == 0) return -1;

        var src = Either.User(data);
        int i = 0;
        while (i < n)
        {
            int n1 = Math.Min(n - i, max);
            fs.log.begin_op();
            fs.ilock(ip);
            int r = fs.writei(ip, src.From(i), off + (uint)i, (uint)n1);
            fs.iunlock(ip);
            fs.log.end_op();

            if (r < 0) break;
            i += r;
            if (r != n1) break; // error from writei (the disk is full)
        }
        return i == 0 ? -1 : i;
    }

    // Read up to n bytes at off into data.
    private int fileread(Inode ip, RRefArray<byte> data, uint off, int n)
    {
        fs.ilock(ip);
        int r = fs.readi(ip, Either.User(data), off, (uint)n);
        fs.iunlock(ip);
        return r;
    }

    private Stat filestat(Inode ip)
    {
        fs.ilock(ip);
        var st = fs.stati(ip);
        fs.iunlock(ip);
        return st;
    }
}

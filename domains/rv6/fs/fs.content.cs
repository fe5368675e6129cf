// domains/rv6/fs: inode content (xv6's kernel/fs.c, bmap to writei). The data of an inode lies in
// disk blocks: the first NDIRECT block numbers are in ip.addrs[], the next NINDIRECT in the block
// ip.addrs[NDIRECT]. Callers hold ip.lock; writers are inside a transaction.
//
// Every block address read from an inode or an indirect block is checked against the superblock before
// it is followed, as fsck checks it: it must be a data block [datastart, size). One that is not (a crafted
// image pointing a file at the superblock, the log, the inode table or the bitmap) is never read nor
// written through: readi and writei fail with -1 (xv6's error return: EIO for that call), and itrunc
// drops the pointer without freeing it. The file system runs on; fsck still reports the damage.
using Domains.Rv6.Fs.Disk;

namespace Domains.Rv6.Fs;

internal sealed partial class Fs
{
    /// <summary>What bmap returns for a block address that is not a data block.</summary>
    private const uint BAD = uint.MaxValue;

    /// <summary>True if <paramref name="b"/> is a data block: what an inode or an indirect block may point at.</summary>
    private bool isdata(uint b) => b >= sb.datastart && b < sb.size;

    // Return the disk block address of the nth block in inode ip. If there is no such block and alloc
    // is set, bmap allocates one (returns 0 if out of disk space). readi passes alloc = false: it runs
    // outside any transaction, and a hole in a damaged file must read as the end, not allocate. BAD if
    // the inode or its indirect block names a block outside the data blocks.
    private uint bmap(Inode ip, uint bn, bool alloc = true)
    {
        uint addr;
        if (bn < Layout.NDIRECT)
        {
            if ((addr = ip.addrs[(int)bn]) == 0 && alloc)
            {
                addr = balloc();
                if (addr == 0) return 0;
                ip.addrs[(int)bn] = addr;
            }
            return addr == 0 || isdata(addr) ? addr : BAD;
        }
        bn -= Layout.NDIRECT;

        if (bn < Layout.NINDIRECT)
        {
            // Load indirect block, allocating if necessary.
            if ((addr = ip.addrs[Layout.NDIRECT]) == 0)
            {
                if (!alloc) return 0;
                addr = balloc();
                if (addr == 0) return 0;
                ip.addrs[Layout.NDIRECT] = addr;
            }
            if (!isdata(addr)) return BAD;
            var bp = bcache.bread(addr);
            int o = (int)bn * 4;
            if ((addr = LittleEndian.U32(bp.data, o)) == 0 && alloc)
            {
                addr = balloc();
                if (addr != 0)
                {
                    LittleEndian.Put32(bp.data, o, addr);
                    log.log_write(bp);
                }
            }
            bcache.brelse(bp);
            return addr == 0 || isdata(addr) ? addr : BAD;
        }
        throw panic("bmap: out of range");
    }

    /// <summary>Truncate inode (discard contents). Caller must hold ip.lock.</summary>
    public void itrunc(Inode ip)
    {
        // A pointer outside the data blocks is dropped, not freed: the block is not the file's to free.
        for (int i = 0; i < Layout.NDIRECT; i++)
        {
            if (ip.addrs[i] != 0)
            {
                if (isdata(ip.addrs[i])) bfree(ip.addrs[i]);
                ip.addrs[i] = 0;
            }
        }

        if (ip.addrs[Layout.NDIRECT] != 0)
        {
            if (isdata(ip.addrs[Layout.NDIRECT]))
            {
                var bp = bcache.bread(ip.addrs[Layout.NDIRECT]);
                for (int j = 0; j < Layout.NINDIRECT; j++)
                {
                    uint a = LittleEndian.U32(bp.data, j * 4);
                    if (a != 0 && isdata(a)) bfree(a);
                }
                bcache.brelse(bp);
                bfree(ip.addrs[Layout.NDIRECT]);
            }
            ip.addrs[Layout.NDIRECT] = 0;
        }

        ip.size = 0;
        iupdate(ip);
    }

    /// <summary>Read data from inode into dst. Caller must hold ip.lock. Returns the bytes read; -1 if a block
    /// address on the way is not a data block (a damaged image).</summary>
    public int readi(Inode ip, Either dst, uint off, uint n)
    {
        if (off > ip.size || off + n < off) return 0;
        if (off + n > ip.size) n = ip.size - off;

        uint tot, m;
        for (tot = 0; tot < n; tot += m, off += m)
        {
            uint addr = bmap(ip, off / Layout.BSIZE, alloc: false);
            if (addr == BAD) return -1;
            if (addr == 0) break;
            var bp = bcache.bread(addr);
            m = Math.Min(n - tot, Layout.BSIZE - off % Layout.BSIZE);
            dst.either_copyout((int)tot, bp.data.AsSpan((int)(off % Layout.BSIZE), (int)m));
            bcache.brelse(bp);
        }
        return (int)tot;
    }

    /// <summary>Write data from src to inode. Caller must hold ip.lock, inside a transaction. Returns
    /// the bytes written: fewer than n if the disk is full; -1 if off is past the end or off + n past
    /// MAXFILE blocks, or if the first block address on the way is not a data block.</summary>
    public int writei(Inode ip, Either src, uint off, uint n)
    {
        if (off > ip.size || off + n < off) return -1;
        if ((ulong)off + n > (ulong)Layout.MAXFILE * Layout.BSIZE) return -1;

        uint tot, m;
        for (tot = 0; tot < n; tot += m, off += m)
        {
            uint addr = bmap(ip, off / Layout.BSIZE);
            if (addr == BAD) { if (tot == 0) return -1; break; }
            if (addr == 0) break;
            var bp = bcache.bread(addr);
            m = Math.Min(n - tot, Layout.BSIZE - off % Layout.BSIZE);
            src.either_copyin(bp.data.AsSpan((int)(off % Layout.BSIZE), (int)m), (int)tot);
            log.log_write(bp);
            bcache.brelse(bp);
        }

        if (off > ip.size) ip.size = off;

        // write the i-node back to disk even if the size didn't change because the loop above might
        // have called bmap() and added a new block to ip.addrs[].
        iupdate(ip);
        return (int)tot;
    }
}

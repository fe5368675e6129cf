// domains/rv6/fs: the file system's lower layers (xv6's kernel/fs.c, first half). xv6's file system
// has five layers:
//   + Blocks: allocator for raw disk blocks (balloc, bfree).
//   + Log: crash recovery for multi-step updates (log.cs).
//   + Files: inode allocator, reading, writing, metadata (this file).
//   + Directories: inode with special contents, a list of other inodes (fs.dir.cs).
//   + Names: paths like /usr/rtm/xv6/fs.c for convenient naming (fs.dir.cs).
// The buffer cache (bio.cs) sits below them all. Routines that change the disk must be called inside
// a transaction (log.begin_op/end_op).
//
// Inodes. An inode describes a single unnamed file: its type, size, link count and data blocks. The
// dinodes lie in the inode blocks; the kernel keeps a table of in-use inodes in memory (itable) so
// that several threads can share one and synchronize on it. An in-memory inode is in one of these
// states: allocated (ref > 0: a pointer to it exists; iget/iput), valid (its dinode was read: ilock),
// locked (ilock/iunlock, a sleep lock; needed to read or change anything but ref). Typical sequence:
//   ip = iget(inum); ilock(ip); ... examine and modify ip.xxx ...; iunlock(ip); iput(ip);
// ilock is separate from iget so a thread can hold a long-term reference (an open file, a working
// directory: the handles of FileSystem.cs) and lock it only briefly.
using RedLeaf.Abi;
using Domains.Rv6.Fs.Disk;

namespace Domains.Rv6.Fs;

internal sealed partial class Fs
{
    public readonly Superblock sb;
    public readonly Bcache bcache;
    public readonly Log log;

    private readonly WaitLock itableLock = new();
    private readonly Inode[] itable = new Inode[Param.NINODE];

    /// <summary>A file-system panic: the domain dies (its caller gets an RpcError) and recovers its log when restarted.</summary>
    public static Exception panic(string what) => new InvalidOperationException("rv6 fs panic: " + what);

    // fsinit: read the superblock, check it, recover the log.
    public Fs(Bcache bcache, long deviceBlocks)
    {
        this.bcache = bcache;
        sb = readsb(bcache, deviceBlocks);
        bcache.limit(sb);
        for (int i = 0; i < itable.Length; i++) itable[i] = new Inode();
        log = new Log(bcache, sb);
        var b = bcache.bread(Layout.IBLOCK(Layout.ROOTINO, sb));
        var dip = DiskInode.Read(b.data, Layout.ROOTINO);
        bcache.brelse(b);
        if (dip.type != InodeType.T_DIR)
            throw new InvalidOperationException($"cannot mount: the root inode ({Layout.ROOTINO}) is {InodeType.Name(dip.type)}, not a directory");
    }

    // Read the super block, and refuse an image it does not describe.
    private static Superblock readsb(Bcache bcache, long deviceBlocks)
    {
        var b = bcache.bread(Superblock.Block);
        var sb = Superblock.Read(b.data);
        bcache.brelse(b);
        if (sb.Problem((ulong)deviceBlocks) is { } why)
            throw new InvalidOperationException("cannot mount: " + why);
        return sb;
    }

    // ---- Blocks ----

    // Zero a block.
    private void bzero(uint bno)
    {
        var bp = bcache.bread(bno);
        bp.data.AsSpan().Clear();
        log.log_write(bp);
        bcache.brelse(bp);
    }

    /// <summary>Allocate a zeroed disk block; 0 if out of disk space. Only data blocks are handed out: a bitmap
    /// that marks a metadata block free (a damaged image) cannot give the inode table or the log to a file.</summary>
    public uint balloc()
    {
        for (uint b = 0; b < sb.size; b += Layout.BPB)
        {
            var bp = bcache.bread(Layout.BBLOCK(b, sb));
            for (uint bi = b < sb.datastart ? Math.Min(sb.datastart - b, Layout.BPB) : 0; bi < Layout.BPB && b + bi < sb.size; bi++)
            {
                if (!Bitmap.InUse(bp.data, b + bi)) // Is block free?
                {
                    Bitmap.Mark(bp.data, b + bi, true); // Mark block in use.
                    log.log_write(bp);
                    bcache.brelse(bp);
                    bzero(b + bi);
                    return b + bi;
                }
            }
            bcache.brelse(bp);
        }
        return 0; // balloc: out of blocks
    }

    /// <summary>Free a disk block.</summary>
    public void bfree(uint b)
    {
        if (b < sb.datastart || b >= sb.size) throw panic($"bfree: block {b} is not a data block: the image is corrupt");
        var bp = bcache.bread(Layout.BBLOCK(b, sb));
        if (!Bitmap.InUse(bp.data, b)) { bcache.brelse(bp); throw panic($"freeing free block {b}"); }
        Bitmap.Mark(bp.data, b, false);
        log.log_write(bp);
        bcache.brelse(bp);
    }

    // ---- Inodes ----

    /// <summary>Allocate an inode on the disk, marked allocated by giving it type; returns an unlocked
    /// but allocated and referenced inode, or null if there is no free inode (or no room in itable).</summary>
    public Inode? ialloc(short type)
    {
        for (uint inum = 1; inum < sb.ninodes; inum++)
        {
            var bp = bcache.bread(Layout.IBLOCK(inum, sb));
            var dip = DiskInode.Read(bp.data, inum);
            if (dip.type == 0) // a free inode
            {
                dip = new DiskInode { type = type };
                dip.Write(bp.data, inum);
                log.log_write(bp); // mark it allocated on the disk
                bcache.brelse(bp);
                return iget(Param.ROOTDEV, inum);
            }
            bcache.brelse(bp);
        }
        return null; // ialloc: no inodes
    }

    /// <summary>Copy a modified in-memory inode to disk. Call after every change to an ip.xxx field
    /// that lives on disk; the caller must hold ip.lock.</summary>
    public void iupdate(Inode ip)
    {
        var bp = bcache.bread(Layout.IBLOCK(ip.inum, sb));
        var dip = new DiskInode { type = ip.type, major = ip.major, minor = ip.minor, nlink = ip.nlink, size = ip.size, addrs = ip.addrs };
        dip.Write(bp.data, ip.inum);
        log.log_write(bp);
        bcache.brelse(bp);
    }

    /// <summary>Find the inode with number inum and return its in-memory copy, referenced but not
    /// locked and maybe not read from disk yet.</summary>
    public Inode iget(uint dev, uint inum)
    {
        if (inum == 0 || inum >= sb.ninodes) throw panic($"iget: inode {inum} is outside the inode table (1..{sb.ninodes - 1}): the image is corrupt");
        itableLock.Acquire();
        Inode? empty = null;
        foreach (var ip in itable)
        {
            if (ip.@ref > 0 && ip.dev == dev && ip.inum == inum) // Is the inode already in the table?
            {
                ip.@ref++;
                itableLock.Release();
                return ip;
            }
            if (empty == null && ip.@ref == 0) empty = ip; // Remember empty slot.
        }
        if (empty == null) { itableLock.Release(); throw panic("iget: no inodes"); }
        empty.dev = dev;
        empty.inum = inum;
        empty.@ref = 1;
        empty.valid = false;
        itableLock.Release();
        return empty;
    }

    /// <summary>Increment the reference count for ip (the ip = idup(ip1) idiom).</summary>
    public Inode idup(Inode ip)
    {
        itableLock.Acquire();
        ip.@ref++;
        itableLock.Release();
        return ip;
    }

    /// <summary>Lock the given inode; read it from disk if necessary.</summary>
    public void ilock(Inode ip)
    {
        if (ip.@ref < 1) throw panic("ilock");
        ip.@lock.acquiresleep();
        if (!ip.valid)
        {
            var bp = bcache.bread(Layout.IBLOCK(ip.inum, sb));
            var dip = DiskInode.Read(bp.data, ip.inum);
            bcache.brelse(bp);
            ip.type = dip.type;
            ip.major = dip.major;
            ip.minor = dip.minor;
            ip.nlink = dip.nlink;
            ip.size = dip.size;
            ip.addrs = dip.addrs;
            ip.valid = true;
            if (ip.type == 0) { ip.@lock.releasesleep(); throw panic($"ilock: inode {ip.inum} is free but in use (a directory entry names a free inode): the image is corrupt"); }
        }
    }

    /// <summary>Unlock the given inode.</summary>
    public void iunlock(Inode ip)
    {
        if (ip.@ref < 1) throw panic("iunlock");
        ip.@lock.releasesleep();
    }

    /// <summary>Drop a reference to an in-memory inode. If that was the last reference and the inode
    /// has no links to it, free the inode (and its content) on disk. Must be inside a transaction.</summary>
    public void iput(Inode ip)
    {
        itableLock.Acquire();
        if (ip.@ref == 1 && ip.valid && ip.nlink == 0)
        {
            // inode has no links and no other references: truncate and free.
            // ip.ref == 1 means no other thread can have ip locked, so this acquiresleep() won't block.
            ip.@lock.acquiresleep();
            itableLock.Release();
            itrunc(ip);
            ip.type = 0;
            iupdate(ip);
            ip.valid = false;
            ip.@lock.releasesleep();
            itableLock.Acquire();
        }
        ip.@ref--;
        itableLock.Release();
    }

    /// <summary>Common idiom: unlock, then put.</summary>
    public void iunlockput(Inode ip)
    {
        iunlock(ip);
        iput(ip);
    }

    /// <summary>Copy stat information from inode. Caller must hold ip.lock.</summary>
    public RedLeaf.Interfaces.Rv6.Stat stati(Inode ip) => new()
    {
        Dev = (int)ip.dev,
        Ino = ip.inum,
        Type = ip.type,
        Nlink = ip.nlink,
        Size = ip.size,
        Major = ip.major,
        Minor = ip.minor,
    };

    /// <summary>Inodes and blocks in use, counted from the bitmap and inode blocks (for FsStats).</summary>
    public (int freeBlocks, int freeInodes) census()
    {
        int freeBlocks = 0, freeInodes = 0;
        for (uint b = 0; b < sb.size; b += Layout.BPB)
        {
            var bp = bcache.bread(Layout.BBLOCK(b, sb));
            for (uint bi = 0; bi < Layout.BPB && b + bi < sb.size; bi++)
                if (!Bitmap.InUse(bp.data, b + bi)) freeBlocks++;
            bcache.brelse(bp);
        }
        for (uint inum = 1; inum < sb.ninodes; inum++)
        {
            var bp = bcache.bread(Layout.IBLOCK(inum, sb));
            if (DiskInode.Read(bp.data, inum).type == 0) freeInodes++;
            bcache.brelse(bp);
        }
        return (freeBlocks, freeInodes);
    }
}

// domains/rv6/fs: the buffer cache (xv6's kernel/bio.c). A linked list of Buf holding cached copies
// of disk blocks, most recently used first. Caching saves disk reads; it is also the synchronization
// point for blocks several threads use: at most one Buf per block, and its sleep lock says who may
// touch its data.
//
// Interface: bread() a locked buffer holding a block; change buf.data and bwrite() it; brelse() when
// done; do not use a buffer after releasing it. Only one thread at a time holds a buffer's lock.
//
// Below it is the block driver (IBlockDevice), which serves one request at a time (like xv6's
// virtio_disk, guarded by its own lock): disk is that lock. A failed or crashed driver is a panic
// here, as a disk error is in xv6: the fs domain dies and, restarted, recovers from its log.
//
// From mount on the cache knows the layout (limit): a block number beyond the file system is never read,
// and the boot block and the superblock are never written (nothing in xv6 writes them after mkfs). The
// layers above check the rest: the log writes only its own blocks and homes from the inode blocks on,
// bmap follows only data-block addresses (fs.content.cs).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Block;
using Domains.Rv6.Fs.Disk;

namespace Domains.Rv6.Fs;

internal sealed class Bcache
{
    private readonly WaitLock @lock = new();  // the list, refcnt, blockno, valid; sleep/wakeup when every buffer is busy
    private readonly Buf[] buf = new Buf[Param.NBUF];
    private readonly Buf head = new();        // head.next is most recently used

    private readonly IBlockDevice device;
    private readonly WaitLock disk = new();   // one request at a time in the driver (xv6: vdisk.lock)
    private uint size = uint.MaxValue;        // blocks the file system says it has (set at mount)
    private uint writable = 0;                // the first block a write may reach: the log's start (set at mount)

    public long hits, misses, reads, writes;   // for FsStats

    // binit
    public Bcache(IBlockDevice device)
    {
        this.device = device;
        head.prev = head;
        head.next = head;
        for (int i = 0; i < buf.Length; i++)
        {
            var b = buf[i] = new Buf { dev = RRefArray<byte>.New(Layout.BSIZE) };
            b.next = head.next;
            b.prev = head;
            head.next.prev = b;
            head.next = b;
        }
    }

    /// <summary>From mount on, a block number beyond the file system is a corrupt pointer, not a read, and a write
    /// below the log (the boot block, the superblock) is a bug or a corrupt pointer, not a write.</summary>
    public void limit(Superblock sb)
    {
        size = sb.size;
        writable = sb.logstart;
    }

    // Look through the cache for block blockno; if not found, take the least recently used unused
    // buffer. Either way, return it locked. (xv6 panics when every buffer is in use; this sleeps.)
    private Buf bget(uint blockno)
    {
        @lock.Acquire();
        while (true)
        {
            for (var b = head.next; b != head; b = b.next)
            {
                if (b.blockno == blockno && (b.refcnt > 0 || b.valid))
                {
                    b.refcnt++;
                    hits++;
                    @lock.Release();
                    b.@lock.acquiresleep();
                    return b;
                }
            }
            for (var b = head.prev; b != head; b = b.prev)
            {
                if (b.refcnt == 0)
                {
                    b.blockno = blockno;
                    b.valid = false;
                    b.refcnt = 1;
                    misses++;
                    @lock.Release();
                    b.@lock.acquiresleep();
                    return b;
                }
            }
            @lock.Sleep(); // every buffer is busy: wait for a brelse
        }
    }

    /// <summary>A locked buffer with the contents of the indicated block.</summary>
    public Buf bread(uint blockno)
    {
        if (blockno >= size) throw Fs.panic($"bread: block {blockno} is outside the file system ({size} blocks): the image is corrupt");
        var b = bget(blockno);
        if (!b.valid)
        {
            disk_rw(b, write: false);
            b.valid = true;
        }
        return b;
    }

    /// <summary>Writes b's contents to disk. Must be locked.</summary>
    public void bwrite(Buf b)
    {
        if (b.blockno < writable || b.blockno >= size) throw Fs.panic($"bwrite: block {b.blockno} is outside the blocks a write may reach [{writable}, {size}): the boot block and the superblock are never written");
        disk_rw(b, write: true);
    }

    /// <summary>Releases a locked buffer; moves it to the head of the most-recently-used list.</summary>
    public void brelse(Buf b)
    {
        b.@lock.releasesleep();
        @lock.Acquire();
        b.refcnt--;
        if (b.refcnt == 0)
        {
            // no one is waiting for it.
            b.next.prev = b.prev;
            b.prev.next = b.next;
            b.next = head.next;
            b.prev = head;
            head.next.prev = b;
            head.next = b;
            @lock.Wakeup();
        }
        @lock.Release();
    }

    /// <summary>Keeps b in the cache until the log has installed it (log_write).</summary>
    public void bpin(Buf b)
    {
        @lock.Acquire();
        b.refcnt++;
        @lock.Release();
    }

    public void bunpin(Buf b)
    {
        @lock.Acquire();
        b.refcnt--;
        if (b.refcnt == 0) @lock.Wakeup();
        @lock.Release();
    }

    /// <summary>Hits, misses, reads and writes, read together.</summary>
    public (long hits, long misses, long reads, long writes) counters()
    {
        @lock.Acquire();
        var h = (hits, misses);
        @lock.Release();
        disk.Acquire();
        var rw = (reads, writes);
        disk.Release();
        return (h.hits, h.misses, rw.reads, rw.writes);
    }

    // virtio_disk_rw: one block between b.data and the device, through b.dev.
    private void disk_rw(Buf b, bool write)
    {
        disk.Acquire();
        if (write)
        {
            b.dev.CopyFrom(b.data);
            var r = device.Write(b.blockno, in b.dev);
            if (!r.IsOk) { disk.Release(); throw Fs.panic($"bwrite: block {b.blockno}: the block driver failed ({r.Error})"); }
            if (r.Value != 0) { disk.Release(); throw Fs.panic($"bwrite: block {b.blockno}: device status 0x{r.Value:x}"); }
            writes++;
        }
        else
        {
            var r = device.Read(b.blockno, b.dev);
            if (!r.IsOk) { disk.Release(); throw Fs.panic($"bread: block {b.blockno}: the block driver failed ({r.Error})"); }
            b.dev = r.Value;
            b.dev.CopyTo(b.data);
            reads++;
        }
        disk.Release();
    }
}

// domains/rv6/fs: the log (xv6's kernel/log.c): crash-safe multi-block updates with concurrent
// file-system operations.
//
// A transaction carries the updates of several operations (group commit). Each operation brackets
// its changes with begin_op()/end_op(); the log commits only when no operation is active, so a
// commit never writes half an operation. begin_op() usually just counts the operation in; it sleeps
// while a commit is running, or when the log might not have room for one more operation's worst
// case (MAXOPBLOCKS) on top of what the active ones may still write.
//
// The log is a physical redo log of whole blocks. On disk: a header block (LogHeader: n and the home
// block number of each logged block), then the logged copies. commit(): write the copies into the
// log (write_log), write the header (write_head: the commit point), copy them home (install_trans),
// write an empty header. A crash before the header write leaves the home blocks untouched; a crash
// after it is finished by recover_from_log() at the next mount.
using RedLeaf.Abi;
using Domains.Rv6.Fs.Disk;

namespace Domains.Rv6.Fs;

internal sealed class Log
{
    private readonly WaitLock @lock = new();
    private readonly Bcache bcache;
    private readonly int start;     // block number of the header
    private readonly int size;      // blocks in the log, header included (sb.nlog)
    private readonly int capacity;  // blocks one transaction may log: LOGSIZE, and no more than the log holds
    private int outstanding;        // how many FS operations are executing
    private bool committing;        // in commit(), please wait
    private LogHeader lh;           // the blocks logged so far by the open transaction
    private readonly Superblock sb;

    private int opsInTransaction;   // operations admitted since the last commit
    public long commits, operations; // transactions committed (with blocks), and the operations they carried
    public int recovered;           // transactions found committed at mount and installed

    // initlog
    public Log(Bcache bcache, Superblock sb)
    {
        this.bcache = bcache;
        this.sb = sb;
        start = (int)sb.logstart;
        size = (int)sb.nlog;
        capacity = Math.Min(Layout.LOGSIZE, size - 1);
        if (capacity < Layout.MAXOPBLOCKS)
            throw new InvalidOperationException($"cannot mount: the log has {size} blocks (header included), but an operation may log up to MAXOPBLOCKS = {Layout.MAXOPBLOCKS}; rv6 needs at least {Layout.MAXOPBLOCKS + 1}");
        recover_from_log();
    }

    // Copy committed blocks from the log to their home location.
    private void install_trans(bool recovering)
    {
        for (int tail = 0; tail < lh.n; tail++)
        {
            var lbuf = bcache.bread((uint)(start + tail + 1)); // read log block
            var dbuf = bcache.bread((uint)lh.block[tail]);    // read dst
            lbuf.data.AsSpan().CopyTo(dbuf.data);              // copy block to dst
            bcache.bwrite(dbuf);                               // write dst to disk
            if (!recovering) bcache.bunpin(dbuf);
            bcache.brelse(lbuf);
            bcache.brelse(dbuf);
        }
    }

    // Read the log header from disk into the in-memory log header; refuse one that cannot be trusted.
    private void read_head()
    {
        var buf = bcache.bread((uint)start);
        var h = LogHeader.Read(buf.data);
        bcache.brelse(buf);
        if (h.Problem(sb) is { } why) throw new InvalidOperationException("cannot mount: " + why);
        lh = h;
    }

    // Write the in-memory log header to disk. This is the true point at which the current
    // transaction commits (or, with n = 0, at which the log is emptied).
    private void write_head()
    {
        var buf = bcache.bread((uint)start);
        lh.Write(buf.data);
        bcache.bwrite(buf);
        bcache.brelse(buf);
    }

    private void recover_from_log()
    {
        read_head();
        if (lh.n > 0) recovered++;
        install_trans(recovering: true); // if committed, copy from log to disk
        lh.n = 0;
        write_head(); // clear the log
    }

    /// <summary>Called at the start of each FS operation.</summary>
    public void begin_op()
    {
        @lock.Acquire();
        while (true)
        {
            if (committing)
                @lock.Sleep();
            else if (lh.n + (outstanding + 1) * Layout.MAXOPBLOCKS > capacity)
                @lock.Sleep(); // this op might exhaust log space; wait for commit.
            else
            {
                outstanding += 1;
                opsInTransaction++;
                @lock.Release();
                return;
            }
        }
    }

    /// <summary>Called at the end of each FS operation; commits if this was the last outstanding one.</summary>
    public void end_op()
    {
        bool do_commit = false;
        @lock.Acquire();
        outstanding -= 1;
        if (committing) { @lock.Release(); throw Fs.panic("log.committing"); }
        if (outstanding == 0)
        {
            do_commit = true;
            committing = true;
        }
        else
        {
            // begin_op() may be waiting for log space, and decrementing outstanding has decreased
            // the amount of reserved space.
            @lock.Wakeup();
        }
        @lock.Release();

        if (do_commit)
        {
            // call commit w/o holding locks, since not allowed to sleep with locks.
            commit();
            @lock.Acquire();
            committing = false;
            @lock.Wakeup();
            @lock.Release();
        }
    }

    // Copy modified blocks from cache to log.
    private void write_log()
    {
        for (int tail = 0; tail < lh.n; tail++)
        {
            var to = bcache.bread((uint)(start + tail + 1)); // log block
            var from = bcache.bread((uint)lh.block[tail]);  // cache block
            from.data.AsSpan().CopyTo(to.data);
            bcache.bwrite(to); // write the log
            bcache.brelse(from);
            bcache.brelse(to);
        }
    }

    private void commit()
    {
        int ops = opsInTransaction;
        opsInTransaction = 0; // no operation is active: committing keeps new ones out until we finish
        if (lh.n > 0)
        {
            write_log();              // Write modified blocks from cache to log
            write_head();             // Write header to disk -- the real commit
            install_trans(false);     // Now install writes to home locations
            lh.n = 0;
            write_head();             // Erase the transaction from the log
            commits++;
            operations += ops;
        }
    }

    /// <summary>Caller has modified b.data and is done with the buffer: record the block number and
    /// pin it in the cache; commit() writes it to disk. Replaces bwrite() inside a transaction:
    ///   bp = bread(...); modify bp.data; log_write(bp); brelse(bp);</summary>
    public void log_write(Buf b)
    {
        // A home block is an inode, bitmap or data block, never the boot block, the superblock or the log itself
        // (the same rule LogHeader.Problem applies to a header found at mount).
        if (b.blockno < sb.inodestart || b.blockno >= sb.size) throw Fs.panic($"log_write: block {b.blockno} is outside the inode, bitmap and data blocks [{sb.inodestart}, {sb.size})");
        @lock.Acquire();
        if (lh.n >= capacity) { @lock.Release(); throw Fs.panic("too big a transaction"); }
        if (outstanding < 1) { @lock.Release(); throw Fs.panic("log_write outside of trans"); }

        int i;
        for (i = 0; i < lh.n; i++)
            if (lh.block[i] == (int)b.blockno) break; // log absorption
        lh.block[i] = (int)b.blockno;
        if (i == lh.n) // Add new block to log?
        {
            bcache.bpin(b);
            lh.n++;
        }
        @lock.Release();
    }

    /// <summary>Commits and operations carried, read together.</summary>
    public (long commits, long operations) counters()
    {
        @lock.Acquire();
        var r = (commits, operations);
        @lock.Release();
        return r;
    }
}

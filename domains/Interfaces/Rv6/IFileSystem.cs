// domains/Interfaces/Rv6: the file system domain (domains/rv6/fs), as rv6's core calls it: xv6's
// fs.c/sysfile.c below the file-descriptor layer. Files are named by inode handles: small integers
// naming a reference the fs domain holds in its inode table (xv6's itable; iget/idup/iput), which the
// core keeps in its open-file table. Paths are lent byte arrays (no NUL; the array's length is the
// path's), resolved from the directory handle cwd unless they start with '/'. Every call that changes
// the disk is one transaction of xv6's log (begin_op/end_op, with group commit). Errors are -1, as
// in xv6. A crash of the fs domain comes back as an RpcError; restarted, it recovers the log.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Rv6;

/// <remarks>When the callee crashes (the fs domain), rv6's core gets RpcErrorKind.CalleeCrashed (CalleeKilled
/// after a kill; NotRunning if it was already gone), restarts it through the RestartCapability it was
/// granted, and returns -1 to the process, as xv6 does for a failed system call. The fresh instance's
/// mount recovers the log (committed transactions are replayed, the rest never happened); inode
/// handles from before the crash are stale (the core's files opened on them return -1) and working
/// directories fall back to the root. Lent paths and data stay the core's; an IoVec moved into Read is
/// gone, and the core gives the process a fresh one with Count -1.</remarks>
[DomainInterface]
public interface IFileSystem
{
    /// <summary>A new handle on the root directory.</summary>
    RpcResult<int> Root();

    /// <summary>Opens (and with OpenMode.Create creates, with Truncate truncates) a file: a new handle, or -1
    /// (no such file, a directory opened for writing, no free inode, a component that is not a directory).</summary>
    RpcResult<int> Open(int cwd, in RRefArray<byte> path, int omode);

    /// <summary>Another reference to the same inode (xv6's idup); -1 for a bad handle.</summary>
    RpcResult<int> Dup(int ip);

    /// <summary>Drops a reference (xv6's iput; an unlinked file's last reference frees it). 0, or -1 for a bad handle.</summary>
    RpcResult<int> Close(int ip);

    /// <summary>The inode's stat; Type 0 for a bad handle.</summary>
    RpcResult<Stat> Stat(int ip);

    /// <summary>Reads up to io.Count bytes at <paramref name="off"/> into io.Data (moved in and back);
    /// io.Count becomes the bytes read (0 at end of file, -1 on error).</summary>
    RpcResult<RRef<IoVec>> Read(int ip, long off, RRef<IoVec> io);

    /// <summary>Writes the first <paramref name="n"/> bytes of <paramref name="data"/> at <paramref name="off"/>,
    /// in as many transactions as the log needs (xv6's filewrite); bytes written (fewer if the disk or the
    /// file's maximum size is reached), -1 on error.</summary>
    RpcResult<int> Write(int ip, long off, in RRefArray<byte> data, int n);

    /// <summary>Creates a directory. 0 or -1.</summary>
    RpcResult<int> Mkdir(int cwd, in RRefArray<byte> path);

    /// <summary>Creates a device file. 0 or -1.</summary>
    RpcResult<int> Mknod(int cwd, in RRefArray<byte> path, short major, short minor);

    /// <summary>Creates the name <paramref name="newPath"/> for the file <paramref name="oldPath"/> (not a directory). 0 or -1.</summary>
    RpcResult<int> Link(int cwd, in RRefArray<byte> oldPath, in RRefArray<byte> newPath);

    /// <summary>Removes a name (a directory only if empty; never "." or ".."). 0 or -1.</summary>
    RpcResult<int> Unlink(int cwd, in RRefArray<byte> path);

    /// <summary>A new handle on the directory <paramref name="path"/> (for chdir), or -1 if it is not one.</summary>
    RpcResult<int> Chdir(int cwd, in RRefArray<byte> path);

    /// <summary>Counters for tools, tests and notebooks.</summary>
    RpcResult<FsStats> Statistics();
}

/// <summary>What the fs domain reports about itself.</summary>
public struct FsStats
{
    public int FreeBlocks, FreeInodes;
    /// <summary>Inode handles held (open files, working directories).</summary>
    public int OpenInodes;
    public long CacheHits, CacheMisses, BlockReads, BlockWrites;
    /// <summary>Log transactions committed, and file-system operations they carried (group commit: more ops than commits).</summary>
    public long Commits, Operations;
    /// <summary>Transactions found committed in the log at mount and replayed.</summary>
    public int Recovered;
}

// domains/rv6/fs: what the fs domain exports (IFileSystem), as rv6's core calls it. The core keeps
// open files and working directories as inode handles: small integers naming a reference this domain
// holds in its inode table (each handle is one iget/idup, dropped by Close with iput). Every call
// runs on its caller's thread, several at once; the locks are xv6's (bcache, buffer and inode sleep
// locks, the log's), plus one for the handle table. The system calls themselves are in sysfile.cs and
// file.cs; this file turns handles and lent paths into their arguments. As with xv6's file table, a
// handle must not be closed while another call is using it (the core's open-file counts see to that).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Block;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Fs.Disk;

namespace Domains.Rv6.Fs;

public sealed partial class FileSystem : IFileSystem
{
    private readonly Fs fs;
    private readonly WaitLock handleLock = new();
    private readonly Inode?[] handles = new Inode?[Param.NHANDLE];
    private int openHandles;

    /// <summary>Mounts the file system on disk (fsinit): checks the device and the superblock, recovers
    /// the log. Throws InvalidOperationException saying why an image cannot be mounted.</summary>
    public FileSystem(IBlockDevice disk)
    {
        var bs = disk.BlockSize();
        var nb = disk.BlockCount();
        if (!bs.IsOk || !nb.IsOk) throw new InvalidOperationException($"cannot mount: the block driver failed ({(bs.IsOk ? nb.Error : bs.Error)})");
        if (bs.Value != Layout.BSIZE)
            throw new InvalidOperationException($"cannot mount: the device has {bs.Value}-byte blocks; rv6's file system uses {Layout.BSIZE}-byte blocks (BSIZE)");
        if (nb.Value < 2)
            throw new InvalidOperationException($"cannot mount: the device has {nb.Value} blocks, too few to hold a superblock");
        fs = new Fs(new Bcache(disk), nb.Value);
    }

    // ---- handles ----

    private int allochandle(Inode ip)
    {
        handleLock.Acquire();
        for (int h = 0; h < handles.Length; h++)
        {
            if (handles[h] == null)
            {
                handles[h] = ip;
                openHandles++;
                handleLock.Release();
                return h;
            }
        }
        handleLock.Release();
        // No room: drop the reference again.
        fs.log.begin_op();
        fs.iput(ip);
        fs.log.end_op();
        return -1;
    }

    private Inode? inode(int h)
    {
        if (h < 0 || h >= handles.Length) return null;
        handleLock.Acquire();
        var ip = handles[h];
        handleLock.Release();
        return ip;
    }

    private Inode? freehandle(int h)
    {
        if (h < 0 || h >= handles.Length) return null;
        handleLock.Acquire();
        var ip = handles[h];
        if (ip != null)
        {
            handles[h] = null;
            openHandles--;
        }
        handleLock.Release();
        return ip;
    }

    // ---- IFileSystem ----

    public RpcResult<int> Root() => allochandle(fs.iget(Param.ROOTDEV, Layout.ROOTINO));

    public RpcResult<int> Open(int cwd, in RRefArray<byte> path, int omode)
    {
        var dir = inode(cwd);
        var p = argstr(path);
        if (dir == null || p == null) return -1;
        var ip = sys_open(dir, p, omode);
        return ip == null ? -1 : allochandle(ip);
    }

    public RpcResult<int> Dup(int h)
    {
        var ip = inode(h);
        return ip == null ? -1 : allochandle(fs.idup(ip));
    }

    public RpcResult<int> Close(int h)
    {
        var ip = freehandle(h);
        if (ip == null) return -1;
        fs.log.begin_op();
        fs.iput(ip);
        fs.log.end_op();
        return 0;
    }

    public RpcResult<Stat> Stat(int h)
    {
        var ip = inode(h);
        return ip == null ? default(Stat) : filestat(ip);
    }

    public RpcResult<RRef<IoVec>> Read(int h, long off, RRef<IoVec> io)
    {
        var v = io.Value;
        var ip = inode(h);
        if (ip == null || v.Data.IsNull || v.Count < 0 || v.Count > v.Data.Length || off < 0 || off > uint.MaxValue) v.Count = -1;
        else v.Count = fileread(ip, v.Data, (uint)off, v.Count);
        io.Value = v;
        return io;
    }

    public RpcResult<int> Write(int h, long off, in RRefArray<byte> data, int n)
    {
        var ip = inode(h);
        if (ip == null || data.IsNull || n < 0 || n > data.Length || off < 0 || off > uint.MaxValue) return -1;
        if (n == 0) return 0;
        return filewrite(ip, data, (uint)off, n);
    }

    public RpcResult<int> Mkdir(int cwd, in RRefArray<byte> path)
    {
        var dir = inode(cwd);
        var p = argstr(path);
        if (dir == null || p == null) return -1;
        return sys_mkdir(dir, p);
    }

    public RpcResult<int> Mknod(int cwd, in RRefArray<byte> path, short major, short minor)
    {
        var dir = inode(cwd);
        var p = argstr(path);
        if (dir == null || p == null) return -1;
        return sys_mknod(dir, p, major, minor);
    }

    public RpcResult<int> Link(int cwd, in RRefArray<byte> oldPath, in RRefArray<byte> newPath)
    {
        var dir = inode(cwd);
        var o = argstr(oldPath);
        var n = argstr(newPath);
        if (dir == null || o == null || n == null) return -1;
        return sys_link(dir, o, n);
    }

    public RpcResult<int> Unlink(int cwd, in RRefArray<byte> path)
    {
        var dir = inode(cwd);
        var p = argstr(path);
        if (dir == null || p == null) return -1;
        return sys_unlink(dir, p);
    }

    public RpcResult<int> Chdir(int cwd, in RRefArray<byte> path)
    {
        var dir = inode(cwd);
        var p = argstr(path);
        if (dir == null || p == null) return -1;
        var ip = sys_chdir(dir, p);
        return ip == null ? -1 : allochandle(ip);
    }

    public RpcResult<FsStats> Statistics()
    {
        var (freeBlocks, freeInodes) = fs.census();
        var (hits, misses, reads, writes) = fs.bcache.counters();
        var (commits, operations) = fs.log.counters();
        handleLock.Acquire();
        int open = openHandles;
        handleLock.Release();
        return new FsStats
        {
            FreeBlocks = freeBlocks,
            FreeInodes = freeInodes,
            OpenInodes = open,
            CacheHits = hits,
            CacheMisses = misses,
            BlockReads = reads,
            BlockWrites = writes,
            Commits = commits,
            Operations = operations,
            Recovered = fs.log.recovered,
        };
    }
}

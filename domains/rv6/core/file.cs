// domains/rv6/core: open files (xv6's kernel/file.h and file.c): the system-wide file table, a file
// being a pipe end, an inode of the fs domain (by handle), or a device (the console). Reference counts
// and the table are guarded by the core's lock; a file's offset by the file's own lock, held across
// the fs call as xv6 holds the inode lock, so processes sharing a descriptor do not overwrite each other.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Core;

internal enum FdType { None, Pipe, Inode, Device }

internal sealed class File
{
    public FdType Type;
    public int Ref;             // reference count
    public bool Readable, Writable;
    public Pipe? Pipe;          // FD_PIPE
    public int Ip = -1;         // FD_INODE and FD_DEVICE opened by path: the fs domain's handle
    public long Off;            // FD_INODE
    public short Major;         // FD_DEVICE
    public int Epoch;           // the fs domain's instance the handle belongs to (see Rv6Core.FsCurrent)
    public readonly WaitLock OffLock = new();
}

internal sealed class FileTable
{
    private readonly Rv6Core _k;
    private readonly File[] _file = new File[Param.NFILE];

    public FileTable(Rv6Core k)
    {
        _k = k;
        for (int i = 0; i < _file.Length; i++) _file[i] = new File();
    }

    /// <summary>Allocates a file structure (xv6's filealloc); null when the table is full.</summary>
    public File? Alloc()
    {
        _k.Lock.Acquire();
        try
        {
            foreach (var f in _file)
                if (f.Ref == 0)
                {
                    f.Ref = 1;
                    f.Type = FdType.None;
                    f.Readable = f.Writable = false;
                    f.Pipe = null;
                    f.Ip = -1;
                    f.Off = 0;
                    f.Major = 0;
                    return f;
                }
            return null;
        }
        finally { _k.Lock.Release(); }
    }

    /// <summary>Increments the reference count (xv6's filedup).</summary>
    public File Dup(File f)
    {
        _k.Lock.Acquire();
        try
        {
            if (f.Ref < 1) throw new InvalidOperationException("filedup of a closed file");
            f.Ref++;
            return f;
        }
        finally { _k.Lock.Release(); }
    }

    /// <summary>Drops a reference; the last one closes the pipe end or the inode (xv6's fileclose).</summary>
    public void Close(File f)
    {
        FdType type;
        Pipe? pipe;
        int ip;
        bool writable;
        _k.Lock.Acquire();
        try
        {
            if (f.Ref < 1) throw new InvalidOperationException("fileclose of a closed file");
            if (--f.Ref > 0) return;
            type = f.Type; pipe = f.Pipe; ip = f.Ip; writable = f.Writable;
            f.Type = FdType.None;
            f.Pipe = null;
            f.Ip = -1;
        }
        finally { _k.Lock.Release(); }
        if (type == FdType.Pipe) pipe!.Close(writable);
        else if (ip >= 0 && f.Epoch == _k.FsEpoch) _k.Fs.Close(ip);
    }

    /// <summary>Reads into io (xv6's fileread); io.Count becomes the count or -1.</summary>
    public RRef<IoVec> Read(Proc p, File f, RRef<IoVec> io)
    {
        if (!f.Readable) return IoVecs.Fail(io);
        switch (f.Type)
        {
            case FdType.Pipe:
                return f.Pipe!.Read(p, io);
            case FdType.Device:
                if (f.Major != DeviceMajor.Console) return IoVecs.Fail(io);
                int length = IoVecs.Length(io);
                var c = _k.Console.Read(io);
                return c.IsOk ? c.Value : IoVecs.Lost(length);
            case FdType.Inode:
                f.OffLock.Acquire();
                try
                {
                    int len = IoVecs.Length(io);
                    if (!_k.FsCurrent(f)) return IoVecs.Fail(io);
                    var r = _k.Fs.Read(f.Ip, f.Off, io);
                    if (!r.IsOk)
                    {
                        _k.FsFailed(r.Error);
                        return IoVecs.Lost(len);
                    }
                    int n = r.Value.Value.Count;
                    if (n > 0) f.Off += n;
                    return r.Value;
                }
                finally { f.OffLock.Release(); }
            default:
                return IoVecs.Fail(io);
        }
    }

    /// <summary>Writes the first n bytes of data (xv6's filewrite): bytes written or -1.</summary>
    public int Write(Proc p, File f, in RRefArray<byte> data, int n)
    {
        if (!f.Writable || n < 0 || n > data.Length) return -1;
        switch (f.Type)
        {
            case FdType.Pipe:
                return f.Pipe!.Write(p, in data, n);
            case FdType.Device:
                if (f.Major != DeviceMajor.Console) return -1;
                var c = _k.Console.Write(in data, n);
                return c.IsOk ? c.Value : -1;
            case FdType.Inode:
                f.OffLock.Acquire();
                try
                {
                    if (!_k.FsCurrent(f)) return -1;
                    var r = _k.Fs.Write(f.Ip, f.Off, in data, n);
                    if (!r.IsOk) { _k.FsFailed(r.Error); return -1; }
                    if (r.Value > 0) f.Off += r.Value;
                    return r.Value;
                }
                finally { f.OffLock.Release(); }
            default:
                return -1;
        }
    }

    /// <summary>xv6's filestat; Type 0 if the file has no inode (a pipe).</summary>
    public Stat Stat(File f)
    {
        if (f.Ip >= 0 && _k.FsCurrent(f))
        {
            var r = _k.Fs.Stat(f.Ip);
            if (r.IsOk) return r.Value;
            _k.FsFailed(r.Error);
            return default;
        }
        if (f.Type == FdType.Device) return new Stat { Dev = 1, Type = FileType.Device, Nlink = 1, Major = f.Major };
        return default;
    }
}

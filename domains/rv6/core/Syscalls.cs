// domains/rv6/core: one process's system calls (xv6's kernel/sysproc.c and sysfile.c). The core makes
// one of these per process and the program's domain is granted it, so a call always knows its caller.
// Arguments arrive lent (paths, data) or moved (a read's IoVec); errors are -1, as in xv6. A killed
// process's calls return -1 at once (xv6 checks p->killed on the way back to user space).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Core;

internal sealed class Syscalls : ISyscalls
{
    private readonly Rv6Core _k;
    private readonly Proc _p;

    public Syscalls(Rv6Core k, Proc p)
    {
        _k = k;
        _p = p;
    }

    // ---- sysproc.c ----

    public RpcResult<int> Spawn(in RRefArray<byte> argv, in RRefArray<int> fds)
    {
        if (_p.Killed) return -1;
        var f = new int[fds.Length];
        fds.CopyTo(f);
        return _k.Spawn(_p, Rv6Core.Bytes(in argv), f);
    }

    public RpcResult<int> Exec(in RRefArray<byte> argv) => _p.Killed ? -1 : _k.Exec(_p, Rv6Core.Bytes(in argv));

    public RpcResult<WaitStatus> Wait() => _k.Wait(_p);

    public RpcResult Exit(int status)
    {
        _k.RequestExit(_p, status);
        return RpcResult.Ok; // the caller's domain is stopped: it never runs on after this returns
    }

    public RpcResult<int> Kill(int pid) => _p.Killed ? -1 : _k.Kill(pid);
    public RpcResult<int> Getpid() => _p.Pid;
    public RpcResult<int> Sleep(int ticks) => _k.Sleep(_p, ticks);
    public RpcResult<int> Uptime() => _k.Uptime();

    // ---- sysfile.c ----

    /// <summary>xv6's argfd: the open file for fd, or null.</summary>
    private File? Fd(int fd) => fd >= 0 && fd < Param.NOFILE ? _p.Ofile[fd] : null;

    /// <summary>xv6's fdalloc: the lowest free fd for f, or -1.</summary>
    private int FdAlloc(File f)
    {
        for (int fd = 0; fd < Param.NOFILE; fd++)
            if (_p.Ofile[fd] is null)
            {
                _p.Ofile[fd] = f;
                return fd;
            }
        return -1;
    }

    public RpcResult<FdPair> Pipe()
    {
        var fail = new FdPair { Read = -1, Write = -1 };
        if (_p.Killed || !Core.Pipe.Alloc(_k, out var rf, out var wf)) return fail;
        int fd0 = FdAlloc(rf!), fd1 = fd0 < 0 ? -1 : FdAlloc(wf!);
        if (fd1 < 0)
        {
            if (fd0 >= 0) _p.Ofile[fd0] = null;
            _k.Files.Close(rf!);
            _k.Files.Close(wf!);
            return fail;
        }
        return new FdPair { Read = fd0, Write = fd1 };
    }

    public RpcResult<RRef<IoVec>> Read(int fd, RRef<IoVec> io)
    {
        var f = Fd(fd);
        if (f is null || _p.Killed) return IoVecs.Fail(io);
        return _k.Files.Read(_p, f, io);
    }

    public RpcResult<int> Write(int fd, in RRefArray<byte> data, int n)
    {
        var f = Fd(fd);
        if (f is null || _p.Killed) return -1;
        return _k.Files.Write(_p, f, in data, n);
    }

    public RpcResult<int> Close(int fd)
    {
        var f = Fd(fd);
        if (f is null) return -1;
        _p.Ofile[fd] = null;
        _k.Files.Close(f);
        return 0;
    }

    public RpcResult<int> Dup(int fd)
    {
        var f = Fd(fd);
        if (f is null || _p.Killed) return -1;
        int nfd = FdAlloc(f);
        if (nfd < 0) return -1;
        _k.Files.Dup(f);
        return nfd;
    }

    public RpcResult<Stat> Fstat(int fd)
    {
        var f = Fd(fd);
        if (f is null || _p.Killed) return default(Stat);
        return _k.Files.Stat(f);
    }

    public RpcResult<int> Open(in RRefArray<byte> path, int omode)
    {
        if (_p.Killed || !PathOk(in path)) return -1;
        int cwd = _k.CwdOf(_p);
        if (cwd < 0) return -1;
        var o = _k.Fs.Open(cwd, in path, omode);
        if (!o.IsOk) { _k.FsFailed(o.Error); return -1; }
        int ip = o.Value;
        if (ip < 0) return -1;
        int epoch = _k.FsEpoch;
        var st = _k.Fs.Stat(ip);
        if (!st.IsOk) { _k.FsFailed(st.Error); return -1; }
        bool device = st.Value.Type == FileType.Device;
        if (device && st.Value.Major != DeviceMajor.Console)
        {
            _k.Fs.Close(ip);
            return -1;
        }
        var f = _k.Files.Alloc();
        int fd = f is null ? -1 : FdAlloc(f);
        if (fd < 0)
        {
            if (f is not null) _k.Files.Close(f);
            _k.Fs.Close(ip);
            return -1;
        }
        f!.Type = device ? FdType.Device : FdType.Inode;
        f.Major = device ? st.Value.Major : (short)0;
        f.Ip = ip;
        f.Epoch = epoch;
        f.Off = 0;
        f.Readable = (omode & OpenMode.WriteOnly) == 0;
        f.Writable = (omode & OpenMode.WriteOnly) != 0 || (omode & OpenMode.ReadWrite) != 0;
        return fd;
    }

    public RpcResult<int> Chdir(in RRefArray<byte> path)
    {
        if (_p.Killed || !PathOk(in path)) return -1;
        int cwd = _k.CwdOf(_p);
        if (cwd < 0) return -1;
        var r = _k.Fs.Chdir(cwd, in path);
        if (!r.IsOk) { _k.FsFailed(r.Error); return -1; }
        if (r.Value < 0) return -1;
        _k.Fs.Close(cwd);
        _p.Cwd = r.Value;
        return 0;
    }

    public RpcResult<int> Mkdir(in RRefArray<byte> path) => PathCall(in path, 0);
    public RpcResult<int> Unlink(in RRefArray<byte> path) => PathCall(in path, 1);

    public RpcResult<int> Mknod(in RRefArray<byte> path, short major, short minor)
    {
        if (_p.Killed || !PathOk(in path)) return -1;
        int cwd = _k.CwdOf(_p);
        if (cwd < 0) return -1;
        return FsResult(_k.Fs.Mknod(cwd, in path, major, minor));
    }

    public RpcResult<int> Link(in RRefArray<byte> oldPath, in RRefArray<byte> newPath)
    {
        if (_p.Killed || !PathOk(in oldPath) || !PathOk(in newPath)) return -1;
        int cwd = _k.CwdOf(_p);
        if (cwd < 0) return -1;
        return FsResult(_k.Fs.Link(cwd, in oldPath, in newPath));
    }

    private int PathCall(in RRefArray<byte> path, int op)
    {
        if (_p.Killed || !PathOk(in path)) return -1;
        int cwd = _k.CwdOf(_p);
        if (cwd < 0) return -1;
        return FsResult(op == 0 ? _k.Fs.Mkdir(cwd, in path) : _k.Fs.Unlink(cwd, in path));
    }

    private int FsResult(RpcResult<int> r)
    {
        if (r.IsOk) return r.Value;
        _k.FsFailed(r.Error);
        return -1;
    }

    /// <summary>xv6's argstr: a path is at most MAXPATH bytes and not empty.</summary>
    private static bool PathOk(in RRefArray<byte> path) => !path.IsNull && path.Length > 0 && path.Length < Param.MAXPATH;
}

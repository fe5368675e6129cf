// domains/rv6/user/ulib: the system calls as xv6's user/user.h declares them, over rv6's ISyscalls:
// strings and spans in, -1 on error out. A failed cross-domain call (the core crashed) also reads as
// -1. Writes go through one shared-heap buffer per process, reused (grown when a write is larger);
// reads move one IoVec and its buffer to the core and back, also reused. Paths and argv are lent
// arrays made per call, because the core takes a path's length from its array.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Ulib;

public abstract partial class UserProgram
{
    private RRefArray<byte> _wbuf;     // write's buffer (lent to the core)
    private RRef<IoVec> _io;           // read's IoVec, whose Data moves with it
    private int _ioCap;                // _io's Data.Length
    private byte[] _scratch = new byte[512];

    private static int Value(RpcResult<int> r) => r.IsOk ? r.Value : -1;

    // ---------------------------------------------------------------- processes

    /// <summary>Starts program argv[0] with <paramref name="argv"/>; <paramref name="fds"/>: this process's
    /// descriptors that become the child's 0, 1, 2, ... The child's pid, or -1 (rv6's fork+exec).</summary>
    protected int Spawn(IReadOnlyList<string> argv, ReadOnlySpan<int> fds)
    {
        if (argv.Count == 0) return -1;
        var a = RRefArray<byte>.From(Argv.Build(argv));
        var f = RRefArray<int>.From(fds);
        try
        {
            return Value(sys.Spawn(a, f));
        }
        finally
        {
            a.Drop();
            f.Drop();
        }
    }

    /// <summary>xv6's exec: program argv[0] (C#, or an ELF file on the interpreter) replaces this one in the
    /// same process, with its pid, files and working directory. -1 if it could not start (this program runs
    /// on); on success this domain is already unloaded: the call never returns here.</summary>
    protected int Exec(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0) return -1;
        var a = RRefArray<byte>.From(Argv.Build(argv));
        try { return Value(sys.Exec(a)); }
        finally { a.Drop(); }
    }

    /// <summary>Spawns with this process's own 0, 1, 2.</summary>
    protected int Spawn(IReadOnlyList<string> argv) => Spawn(argv, Std);
    private static ReadOnlySpan<int> Std => new[] { 0, 1, 2 };

    /// <summary>xv6's wait(&status): a child that ended, or -1 if there are none.</summary>
    protected int Wait(out int status)
    {
        if (reaped is { Count: > 0 })
        {
            foreach (var kv in reaped)
            {
                reaped.Remove(kv.Key);
                status = kv.Value;
                return kv.Key;
            }
        }
        var r = sys.Wait();
        if (!r.IsOk) { status = -1; return -1; }
        status = r.Value.Status;
        return r.Value.Pid;
    }

    protected int Wait() => Wait(out _);

    /// <summary>Waits for child <paramref name="pid"/>; its status, or -1 if it is not a child. Other children
    /// that end first are remembered, so waiting for several children in any order works (and a later
    /// Wait returns them).</summary>
    protected int WaitPid(int pid)
    {
        if (reaped is not null && reaped.Remove(pid, out int early)) return early;
        for (;;)
        {
            var r = sys.Wait();
            if (!r.IsOk || r.Value.Pid < 0) return -1;
            if (r.Value.Pid == pid) return r.Value.Status;
            (reaped ??= new Dictionary<int, int>())[r.Value.Pid] = r.Value.Status;
        }
    }

    private Dictionary<int, int>? reaped; // children that ended while WaitPid waited for another

    protected int Kill(int pid) => Value(sys.Kill(pid));
    protected int Getpid() => Value(sys.Getpid());
    protected int Sleep(int ticks) => Value(sys.Sleep(ticks));
    protected int Uptime() => Value(sys.Uptime());

    // ---------------------------------------------------------------- files

    /// <summary>xv6's pipe(p): p[0] the read end, p[1] the write end. 0, or -1.</summary>
    protected int Pipe(Span<int> p)
    {
        var r = sys.Pipe();
        if (!r.IsOk || r.Value.Read < 0 || r.Value.Write < 0) return -1;
        p[0] = r.Value.Read;
        p[1] = r.Value.Write;
        return 0;
    }

    protected int Write(int fd, ReadOnlySpan<byte> data)
    {
        if (_wbuf.IsNull || _wbuf.Length < data.Length)
        {
            if (!_wbuf.IsNull) _wbuf.Drop();
            _wbuf = RRefArray<byte>.New(Math.Max(512, data.Length));
        }
        _wbuf.CopyFrom(data);
        return Value(sys.Write(fd, _wbuf, data.Length));
    }

    /// <summary>Writes the string's bytes (one per char).</summary>
    protected int Write(int fd, string s)
    {
        if (_scratch.Length < s.Length) _scratch = new byte[s.Length];
        int n = Str.ToBytes(s, _scratch);
        return Write(fd, _scratch.AsSpan(0, n));
    }

    /// <summary>Reads up to buf.Length bytes; the count, 0 at end of file, -1 on error.</summary>
    protected int Read(int fd, Span<byte> buf)
    {
        if (_io.IsNull || _ioCap < buf.Length)
        {
            if (!_io.IsNull) _io.Drop();
            _ioCap = Math.Max(512, buf.Length);
            _io = RRef<IoVec>.New(new IoVec { Count = 0, Data = RRefArray<byte>.New(_ioCap) });
        }
        var v = _io.Value;
        v.Count = buf.Length;
        _io.Value = v;
        var r = sys.Read(fd, _io);
        if (!r.IsOk)
        {
            _io = default; // it went to the core and did not come back
            return -1;
        }
        _io = r.Value;
        v = _io.Value;
        if (v.Data.IsNull)
        {
            _io.Drop(); // came back without its buffer: start over next time
            _io = default;
            return -1;
        }
        _ioCap = v.Data.Length;
        int n = v.Count;
        if (n > buf.Length || n > _ioCap) return -1;
        if (n > 0) v.Data.CopyTo(buf[..n]);
        return n;
    }

    protected int Open(string path, int omode) => WithPath(path, (in RRefArray<byte> p) => sys.Open(p, omode));
    protected int Close(int fd) => Value(sys.Close(fd));
    protected int Dup(int fd) => Value(sys.Dup(fd));

    /// <summary>xv6's fstat: 0 and the file's stat, or -1 for a bad descriptor.</summary>
    protected int Fstat(int fd, out Stat st)
    {
        var r = sys.Fstat(fd);
        st = r.IsOk ? r.Value : default;
        return st.Type == 0 ? -1 : 0;
    }

    protected int Chdir(string path) => WithPath(path, (in RRefArray<byte> p) => sys.Chdir(p));
    protected int Mkdir(string path) => WithPath(path, (in RRefArray<byte> p) => sys.Mkdir(p));
    protected int Mknod(string path, short major, short minor) => WithPath(path, (in RRefArray<byte> p) => sys.Mknod(p, major, minor));
    protected int Unlink(string path) => WithPath(path, (in RRefArray<byte> p) => sys.Unlink(p));

    protected int Link(string oldPath, string newPath)
    {
        var o = RRefArray<byte>.From(Str.Bytes(oldPath));
        var n = RRefArray<byte>.From(Str.Bytes(newPath));
        try
        {
            return Value(sys.Link(o, n));
        }
        finally
        {
            o.Drop();
            n.Drop();
        }
    }

    private delegate RpcResult<int> PathCall(in RRefArray<byte> path);

    private static int WithPath(string path, PathCall call)
    {
        var p = RRefArray<byte>.From(Str.Bytes(path));
        try
        {
            return Value(call(p));
        }
        finally
        {
            p.Drop();
        }
    }

    /// <summary>Drops the reused buffers when the program ends (the core would reclaim them anyway).</summary>
    private void ReleaseBuffers()
    {
        if (!_wbuf.IsNull) { _wbuf.Drop(); _wbuf = default; }
        if (!_io.IsNull) { _io.Drop(); _io = default; _ioCap = 0; }
    }
}

// domains/rv6/core: pipes (xv6's kernel/pipe.c): a 512-byte ring between a writer and a reader,
// guarded by the core's lock, with sleep/wakeup on it as in xv6: readers sleep on nread's channel,
// writers on nwrite's (xv6's &pi->nread and &pi->nwrite).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Core;

internal sealed class Pipe
{
    private readonly Rv6Core _k;
    private readonly byte[] _data = new byte[Param.PIPESIZE];
    private uint _nread;     // number of bytes read
    private uint _nwrite;    // number of bytes written
    private bool _readopen;  // read fd is still open
    private bool _writeopen; // write fd is still open
    private readonly object _nreadChan = new();  // xv6's &pi->nread: readers wait here for data
    private readonly object _nwriteChan = new(); // xv6's &pi->nwrite: writers wait here for room

    private Pipe(Rv6Core k) => _k = k;

    /// <summary>xv6's pipealloc: two files, one for each end; false if the file table is full.</summary>
    public static bool Alloc(Rv6Core k, out File? f0, out File? f1)
    {
        f0 = k.Files.Alloc();
        f1 = f0 is null ? null : k.Files.Alloc();
        if (f0 is null || f1 is null)
        {
            if (f0 is not null) k.Files.Close(f0);
            return false;
        }
        var pi = new Pipe(k) { _readopen = true, _writeopen = true };
        f0.Type = FdType.Pipe; f0.Readable = true; f0.Writable = false; f0.Pipe = pi;
        f1.Type = FdType.Pipe; f1.Readable = false; f1.Writable = true; f1.Pipe = pi;
        return true;
    }

    /// <summary>xv6's pipeclose: one end closed; wakes whoever waits on the other.</summary>
    public void Close(bool writable)
    {
        _k.Lock.Acquire();
        if (writable) { _writeopen = false; _k.Lock.Wakeup(_nreadChan); }
        else { _readopen = false; _k.Lock.Wakeup(_nwriteChan); }
        _k.Lock.Release();
    }

    /// <summary>xv6's pipewrite: bytes written, or -1 if the read end is closed or the writer was killed.</summary>
    public int Write(Proc pr, in RRefArray<byte> data, int n)
    {
        int i = 0;
        _k.Lock.Acquire();
        try
        {
            while (i < n)
            {
                if (!_readopen || pr.Killed) return -1;
                if (_nwrite == _nread + Param.PIPESIZE)
                {
                    _k.Lock.Wakeup(_nreadChan);
                    _k.Lock.Sleep(_nwriteChan);
                }
                else
                {
                    // As many bytes as fit before the ring's end and the reader's position, copied at once (xv6 copies a
                    // byte at a time; here each byte of an RRefArray is a checked access, so runs are copied whole).
                    int at = (int)(_nwrite % Param.PIPESIZE);
                    int run = Math.Min(n - i, Math.Min(Param.PIPESIZE - at, (int)(_nread + Param.PIPESIZE - _nwrite)));
                    data.CopyTo(_data.AsSpan(at, run), i);
                    _nwrite += (uint)run;
                    i += run;
                }
            }
            _k.Lock.Wakeup(_nreadChan);
            return i;
        }
        finally { _k.Lock.Release(); }
    }

    /// <summary>xv6's piperead: waits while the pipe is empty and a writer remains; io.Count becomes the count.</summary>
    public RRef<IoVec> Read(Proc pr, RRef<IoVec> io)
    {
        var v = io.Value;
        int n = Math.Min(v.Count, v.Data.Length), i;
        _k.Lock.Acquire();
        try
        {
            while (_nread == _nwrite && _writeopen)
            {
                if (pr.Killed) return IoVecs.Fail(io);
                _k.Lock.Sleep(_nreadChan);
            }
            for (i = 0; i < n && _nread != _nwrite;)
            {
                int at = (int)(_nread % Param.PIPESIZE);
                int run = Math.Min(n - i, Math.Min(Param.PIPESIZE - at, (int)(_nwrite - _nread)));
                v.Data.CopyFrom(_data.AsSpan(at, run), i); // a run at once, as in Write
                _nread += (uint)run;
                i += run;
            }
            _k.Lock.Wakeup(_nwriteChan);
        }
        finally { _k.Lock.Release(); }
        v.Count = i;
        io.Value = v;
        return io;
    }
}

// domains/rv6/user/riscv: moving bytes between the RISC-V process's memory and rv6's system calls. A
// write copies the user's bytes into one reused shared-heap buffer lent to the core; a read moves one
// reused IoVec to the core and back, then copies into user memory. Both buffers grow to the largest
// request seen, capped at Chunk (a longer read returns fewer bytes, as reads may; a longer write is
// done in chunks).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Riscv;

public sealed partial class RiscvProgram
{
    private const int Chunk = 64 * 1024;
    private RRefArray<byte> wbuf;
    private RRef<IoVec> io;
    private int ioCap;
    private byte[] scratch = new byte[512];

    private byte[] Scratch(int n)
    {
        if (scratch.Length < n) scratch = new byte[Math.Max(n, scratch.Length * 2)];
        return scratch;
    }

    private static int Value(RpcResult<int> r) => r.IsOk ? r.Value : -1;

    /// <summary>Writes n bytes of bs; bytes written or -1.</summary>
    private int WriteBytes(int fd, byte[] bs, int n)
    {
        if (wbuf.IsNull || wbuf.Length < n)
        {
            if (!wbuf.IsNull) wbuf.Drop();
            wbuf = RRefArray<byte>.New(Math.Max(512, n));
        }
        wbuf.CopyFrom(bs.AsSpan(0, n));
        return Value(sys.Write(fd, wbuf, n));
    }

    /// <summary>Reads up to n bytes into bs; count, 0 at end of file, -1 on error.</summary>
    private int ReadBytes(int fd, byte[] bs, int n)
    {
        if (io.IsNull || ioCap < n)
        {
            if (!io.IsNull) io.Drop();
            ioCap = Math.Max(512, n);
            io = RRef<IoVec>.New(new IoVec { Count = 0, Data = RRefArray<byte>.New(ioCap) });
        }
        var v = io.Value;
        v.Count = n;
        io.Value = v;
        var r = sys.Read(fd, io);
        if (!r.IsOk) { io = default; return -1; }
        io = r.Value;
        v = io.Value;
        if (v.Data.IsNull) { io.Drop(); io = default; return -1; }
        ioCap = v.Data.Length;
        int got = v.Count;
        if (got > n || got > ioCap) return -1;
        if (got > 0) v.Data.CopyTo(bs.AsSpan(0, got));
        return got;
    }

    /// <summary>A path lent to the core: the NUL-terminated string at va (at most MAXPATH-1 bytes), or null.</summary>
    private byte[]? UserPath(ulong va)
    {
        var b = Scratch(MAXPATH);
        int n = proc!.CopyInString(va, b.AsSpan(0, MAXPATH));
        if (n < 0) return null;
        return b.AsSpan(0, n).ToArray();
    }

    private int WithPath(ulong va, Func<RRefArray<byte>, RpcResult<int>> call)
    {
        var path = UserPath(va);
        if (path is null || path.Length == 0) return -1;
        var r = RRefArray<byte>.From(path);
        try { return Value(call(r)); }
        finally { r.Drop(); }
    }
}

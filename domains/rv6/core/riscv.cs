// domains/rv6/core: RISC-V executables (issue 6). When a spawned name is a file in the file system
// that starts with ELF's magic, the core starts the RISC-V interpreter program (domains/rv6/user/riscv)
// with argv [riscv, NAME, ARG...] instead; it loads NAME and runs it as the process. So the shell,
// usertests and the host start RISC-V binaries the way they start C# programs. A bare name (no '/')
// means the C# program if there is one, as a PATH would; a name with a '/' (`./ls`, `/sh`) means the file
// first. So an image holding xv6's own sh or ls does not replace rv6's shell, and `/ls` runs xv6's ls.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Core;

public sealed partial class Rv6Core
{
    private static readonly byte[] RiscvName = { (byte)'r', (byte)'i', (byte)'s', (byte)'c', (byte)'v' };

    /// <summary>argv itself, or [riscv, argv...] if argv[0] names an ELF file (relative to the parent's cwd).</summary>
    private byte[] RiscvArgv(Proc parent, byte[] argv)
    {
        int nul = Array.IndexOf(argv, (byte)0);
        int n = nul < 0 ? argv.Length : nul;
        if (n == 0 || n >= Param.MAXPATH) return argv;
        if (Array.IndexOf(argv, (byte)'/', 0, n) < 0)
        {
            var program = RRefArray<byte>.From(argv.AsSpan(0, n));
            try
            {
                if (_loader.Exists(in program) is { IsOk: true, Value: true }) return argv; // a C# program of that name
            }
            finally { program.Drop(); }
        }
        if (!IsElfFile(parent, argv.AsSpan(0, n))) return argv;
        var name = RRefArray<byte>.From(RiscvName);
        try
        {
            if (_loader.Exists(in name) is not { IsOk: true, Value: true }) return argv;
        }
        finally { name.Drop(); }
        var r = new byte[RiscvName.Length + 1 + argv.Length];
        RiscvName.CopyTo(r, 0);
        argv.CopyTo(r, RiscvName.Length + 1);
        return r;
    }

    private bool IsElfFile(Proc parent, ReadOnlySpan<byte> path)
    {
        int cwd = CwdOf(parent);
        if (cwd < 0) return false;
        var p = RRefArray<byte>.From(path);
        int ip;
        try { ip = Fs.Open(cwd, in p, OpenMode.ReadOnly) is { IsOk: true } o ? o.Value : -1; }
        finally { p.Drop(); }
        if (ip < 0) return false;
        var io = RRef<IoVec>.New(new IoVec { Count = 4, Data = RRefArray<byte>.New(4) });
        try
        {
            var r = Fs.Read(ip, 0, io);
            if (!r.IsOk) { io = default; return false; }
            io = r.Value;
            var v = io.Value;
            if (v.Count != 4 || v.Data.IsNull) return false;
            var b = new byte[4];
            v.Data.CopyTo(b);
            return b[0] == 0x7f && b[1] == (byte)'E' && b[2] == (byte)'L' && b[3] == (byte)'F';
        }
        finally
        {
            if (!io.IsNull) io.Drop();
            Fs.Close(ip);
        }
    }
}

// domains/rv6/user/riscv: xv6's system-call ABI (kernel/syscall.c, sysproc.c, sysfile.c) on rv6's
// ISyscalls: the number in a7, arguments in a0-a5, the result in a0, -1 on error. Pointers are
// checked before anything happens (a read's buffer must be writable before the read consumes input),
// so a bad pointer gets -1 and the process runs on, as in xv6.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Riscv;

public sealed partial class RiscvProgram
{
    private const int SYS_fork = 1, SYS_exit = 2, SYS_wait = 3, SYS_pipe = 4, SYS_read = 5, SYS_kill = 6, SYS_exec = 7,
        SYS_fstat = 8, SYS_chdir = 9, SYS_dup = 10, SYS_getpid = 11, SYS_sbrk = 12, SYS_sleep = 13, SYS_uptime = 14,
        SYS_open = 15, SYS_write = 16, SYS_mknod = 17, SYS_unlink = 18, SYS_link = 19, SYS_mkdir = 20, SYS_close = 21;

    /// <summary>System calls served (for the benchmark's report).</summary>
    public long Calls { get; private set; }

    /// <summary>Serves the ecall the process just made. True if it exited (its status in <paramref name="status"/>).</summary>
    // Not optimised (see Main): a system call's cost is the cross-domain call and the copies, not this switch.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoOptimization)]
    private bool Ecall(out int status)
    {
        status = 0;
        var p = proc!;
        long num = (long)p.GetRegister(17);
        ulong a0 = p.GetRegister(10), a1 = p.GetRegister(11), a2 = p.GetRegister(12);
        Calls++;
        long r;
        switch (num)
        {
            case SYS_exit: status = (int)a0; return true;
            case SYS_fork: r = Fork(); break;
            case SYS_wait: r = Wait(a0); break;
            case SYS_pipe: r = Pipe(a0); break;
            case SYS_read: r = Read((int)a0, a1, (int)a2); break;
            case SYS_write: r = Write((int)a0, a1, (int)a2); break;
            case SYS_kill: r = Value(sys.Kill((int)a0)); break;
            case SYS_exec:
                r = ExecCall(a0, a1);
                if (r == Replaced) return true;  // a C# program took the process over: this domain is already unloaded
                if (r >= 0) return false;         // registers already set for the new image
                break;
            case SYS_fstat: r = Fstat((int)a0, a1); break;
            case SYS_chdir: r = WithPath(a0, q => sys.Chdir(q)); break;
            case SYS_dup: r = Value(sys.Dup((int)a0)); break;
            case SYS_getpid: r = Value(sys.Getpid()); break;
            case SYS_sbrk: r = Sbrk((int)a0); break;
            case SYS_sleep: r = Value(sys.Sleep((int)a0)); break;
            case SYS_uptime: r = Value(sys.Uptime()); break;
            case SYS_open: { int mode = (int)a1; r = WithPath(a0, q => sys.Open(q, mode)); break; }
            case SYS_mknod: { short ma = (short)a1, mi = (short)a2; r = WithPath(a0, q => sys.Mknod(q, ma, mi)); break; }
            case SYS_unlink: r = WithPath(a0, q => sys.Unlink(q)); break;
            case SYS_mkdir: r = WithPath(a0, q => sys.Mkdir(q)); break;
            case SYS_link: r = Link(a0, a1); break;
            case SYS_close: r = Value(sys.Close((int)a0)); break;
            default:
            {
                int pid = Value(sys.Getpid());
                Say($"{pid} {name}: unknown sys call {num}\n");
                r = -1;
                break;
            }
        }
        // A process killed while it was in a system call (xv6 checks p->killed on the way back) ends here:
        // the kernel stops this domain at its next check; the result no longer matters.
        proc!.SetRegister(10, (ulong)r);
        return false;
    }

    private long Read(int fd, ulong va, int n)
    {
        if (n < 0 || !proc!.Writable(va, (ulong)n)) return -1;
        if (n == 0) return 0;
        int want = Math.Min(n, Chunk);
        var b = Scratch(want);
        int got = ReadBytes(fd, b, want);
        if (got <= 0) return got;
        return proc.CopyOut(va, b.AsSpan(0, got)) ? got : -1;
    }

    private long Write(int fd, ulong va, int n)
    {
        if (n < 0) return -1;
        int done = 0;
        while (done < n)
        {
            int m = Math.Min(n - done, Chunk);
            var b = Scratch(m);
            if (!proc!.CopyIn(va + (ulong)done, b.AsSpan(0, m))) return done > 0 ? done : -1;
            int w = WriteBytes(fd, b, m);
            if (w < 0) return done > 0 ? done : -1;
            done += w;
            if (w < m) break;
        }
        return done;
    }

    private long Wait(ulong va)
    {
        if (va != 0 && !proc!.Writable(va, 4)) return -1;
        var w = sys.Wait();
        if (!w.IsOk) return -1;
        int pid = w.Value.Pid;
        if (pid >= 0 && va != 0) proc!.CopyOut(va, Int(w.Value.Status));
        return pid;
    }

    private long Pipe(ulong va)
    {
        if (!proc!.Writable(va, 8)) return -1;
        var r = sys.Pipe();
        if (!r.IsOk || r.Value.Read < 0) return -1;
        var b = new byte[8];
        Int(r.Value.Read).CopyTo(b, 0);
        Int(r.Value.Write).CopyTo(b, 4);
        if (!proc.CopyOut(va, b)) { sys.Close(r.Value.Read); sys.Close(r.Value.Write); return -1; }
        return 0;
    }

    private long Fstat(int fd, ulong va)
    {
        if (!proc!.Writable(va, 24)) return -1;
        var r = sys.Fstat(fd);
        if (!r.IsOk || r.Value.Type == 0) return -1;
        var st = r.Value;
        // xv6's struct stat: int dev; uint ino; short type; short nlink; (pad) uint64 size.
        var b = new byte[24];
        Int(st.Dev).CopyTo(b, 0);
        Int((int)st.Ino).CopyTo(b, 4);
        b[8] = (byte)st.Type; b[9] = (byte)(st.Type >> 8);
        b[10] = (byte)st.Nlink; b[11] = (byte)(st.Nlink >> 8);
        for (int k = 0; k < 8; k++) b[16 + k] = (byte)(st.Size >> (8 * k));
        return proc.CopyOut(va, b) ? 0 : -1;
    }

    private long Link(ulong oldVa, ulong newVa)
    {
        var o = UserPath(oldVa);
        var n = UserPath(newVa);
        if (o is null || n is null || o.Length == 0 || n.Length == 0) return -1;
        var ro = RRefArray<byte>.From(o);
        var rn = RRefArray<byte>.From(n);
        try { return Value(sys.Link(ro, rn)); }
        finally { ro.Drop(); rn.Drop(); }
    }

    /// <summary>xv6's sys_sbrk: the old size, or -1 (out of memory, or shrinking into the stack).</summary>
    private long Sbrk(int n)
    {
        ulong old = proc!.Size;
        long want = (long)old + n;
        if (want < 0) return -1;
        if (n != 0 && !proc.Resize((ulong)want)) return -1;
        return (long)old;
    }

    private const long Replaced = 1L << 40;

    /// <summary>exec(path, argv): replaces the process's image; -1 (and the old image runs on) on any error.
    /// An ELF file is loaded here, in this domain; a name that is no ELF file goes to rv6's Exec, which may
    /// start a C# program of that name in this process's place (<see cref="Replaced"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoOptimization)] // cold: once per exec (see riscv.cs, Main)
    private long ExecCall(ulong pathVa, ulong argvVa)
    {
        var path = UserPath(pathVa);
        if (path is null || path.Length == 0) return -1;
        var args = new List<string>();
        var ptr = new byte[8];
        for (int i = 0; ; i++)
        {
            if (i > MAXARG) return -1;
            if (!proc!.CopyIn(argvVa + (ulong)i * 8, ptr)) return -1;
            ulong a = 0;
            for (int k = 7; k >= 0; k--) a = a << 8 | ptr[k];
            if (a == 0) break;
            var s = Scratch(PG);
            int len = proc.CopyInString(a, s.AsSpan(0, PG));
            if (len < 0) return -1;
            args.Add(Ascii(s, 0, len));
        }
        string p = Ascii(path, 0, path.Length);
        var fresh = Exec(p, args.ToArray(), out _, out bool isElf);
        if (fresh is null) return isElf ? -1 : ExecProgram(p, args);
        proc!.Free();
        proc = fresh;
        int slash = p.LastIndexOf('/');
        name = slash >= 0 ? p[(slash + 1)..] : p;
        return 0;
    }

    /// <summary>rv6's exec of a program that is not an ELF file here (a C# program): path names it (as argv[0]).</summary>
    private long ExecProgram(string path, List<string> args)
    {
        var all = new List<byte>();
        all.AddRange(Bytes(path));
        all.Add(0);
        for (int i = 1; i < args.Count; i++) { all.AddRange(Bytes(args[i])); all.Add(0); }
        var argv = RRefArray<byte>.From(all.ToArray());
        try { return Value(sys.Exec(argv)) == 0 ? Replaced : -1; }
        finally { argv.Drop(); }
    }

    private static byte[] Int(int v) => new[] { (byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24) };
}

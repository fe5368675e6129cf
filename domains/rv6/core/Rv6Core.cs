// domains/rv6/core: rv6's core (xv6's kernel/proc.c, with the system-call plumbing of syscall.c): the
// process table, spawn (fork+exec in one, as in RedLeaf's rv6), exit, wait, kill, sleep, uptime, and
// what the host sees (IRv6: run a command line as init runs the shell). One lock (xv6 has several)
// guards processes, files and pipes; sleep and wakeup are on it. The fs, console and program loader
// are other domains; the core never holds its lock while it calls them. If the fs domain crashes, the
// core restarts it (it recovers its log at mount) and files opened before the crash become stale
// (their calls return -1), while new ones work: the rest of rv6 runs on.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Core;

public sealed partial class Rv6Core : IRv6
{
    internal readonly WaitLock Lock = new();
    private readonly object _ticks = new(); // xv6's &ticks: sleep(n) waits here (woken by its timeout, or a kill)
    internal readonly IFileSystem Fs;
    internal readonly IConsole Console;
    internal readonly FileTable Files;
    private readonly IProgramLoader _loader;
    private readonly RestartCapability? _fsRestart;
    private readonly Proc[] _proc = new Proc[Param.NPROC];
    private readonly Proc _host = new() { Pid = 0, Name = "host", State = ProcState.Running };
    private readonly DateTime _boot = DateTime.UtcNow;
    private int _nextpid = 1;
    internal int FsEpoch;

    public Rv6Core(IFileSystem fs, IConsole console, IProgramLoader loader, RestartCapability? fsRestart)
    {
        Fs = fs;
        Console = console;
        _loader = loader;
        _fsRestart = fsRestart;
        Files = new FileTable(this);
        for (int i = 0; i < _proc.Length; i++) _proc[i] = new Proc();
        // The host's own "process" holds the console as fds 0, 1 and 2, which init-like runs inherit.
        var console0 = Files.Alloc() ?? throw new InvalidOperationException("no file for the console");
        console0.Type = FdType.Device;
        console0.Major = DeviceMajor.Console;
        console0.Readable = console0.Writable = true;
        _host.Ofile[0] = console0;
        _host.Ofile[1] = Files.Dup(console0);
        _host.Ofile[2] = Files.Dup(console0);
        DomainThreads.Spawn("reaper", new Reaper(this));
        _host.Cwd = Check(fs.Root());
        _host.CwdEpoch = FsEpoch;
    }

    // ---- IRv6: the host's view ----

    public RpcResult<int> Run(in RRefArray<byte> argv)
    {
        var args = Bytes(in argv);
        int pid = Spawn(_host, args, new[] { 0, 1, 2 });
        if (pid < 0) return -1;
        return WaitFor(_host, pid);
    }

    public RpcResult<int> ProcessCount()
    {
        Lock.Acquire();
        try { return _proc.Count(p => p.State is ProcState.Used or ProcState.Running); }
        finally { Lock.Release(); }
    }

    public RpcResult<FsStats> FsStatistics()
    {
        var r = Fs.Statistics();
        if (!r.IsOk) FsFailed(r.Error);
        return r;
    }

    // ---- processes ----

    /// <summary>The program argv[0] names (its last path element; "/ls" and "ls" name one program), lent as a
    /// shared-heap array for the loader; false if argv names none.</summary>
    private static bool ProgramName(byte[] argv, out string name, out RRefArray<byte> nameRef)
    {
        name = "";
        nameRef = default;
        int nul = Array.IndexOf(argv, (byte)0);
        int nameLength = nul < 0 ? argv.Length : nul;
        if (nameLength == 0 || nameLength > Param.MAXPATH) return false;
        int slash = Array.LastIndexOf(argv, (byte)'/', nameLength - 1);
        if (slash == nameLength - 1) return false;
        name = Ascii(argv.AsSpan(slash + 1, nameLength - slash - 1));
        nameRef = RRefArray<byte>.From(argv.AsSpan(slash + 1, nameLength - slash - 1));
        return true;
    }

    /// <summary>fork+exec: a new process running argv[0] with the parent's fds[i] as its fd i. Its pid or -1.</summary>
    internal int Spawn(Proc parent, byte[] argv, int[] fds)
    {
        argv = RiscvArgv(parent, argv); // an ELF file runs on the RISC-V interpreter program (riscv.cs)
        if (fds.Length > Param.NOFILE || !ProgramName(argv, out string name, out var nameRef)) return -1;
        try
        {
            var exists = _loader.Exists(in nameRef);
            if (!exists.IsOk || !exists.Value) return -1;

            // allocproc, and the child's files (xv6's fork copies them all; spawn passes the ones asked for).
            Proc? p = null;
            Lock.Acquire();
            try
            {
                foreach (var q in _proc) if (q.State == ProcState.Unused) { p = q; break; }
                if (p is null) return -1;
                foreach (int fd in fds)
                    if (fd < 0 || fd >= Param.NOFILE || parent.Ofile[fd] is null) return -1;
                p.Reset();
                p.State = ProcState.Used;
                p.Pid = _nextpid++;
                p.Parent = parent;
                p.Name = name;
            }
            finally { Lock.Release(); }
            for (int i = 0; i < fds.Length; i++) p.Ofile[i] = Files.Dup(parent.Ofile[fds[i]]!);
            p.Cwd = Fs.Dup(CwdOf(parent)) is { IsOk: true } cwd ? cwd.Value : -1;
            p.CwdEpoch = FsEpoch;

            p.Sys = new Syscalls(this, p);
            var loaded = _loader.Load(in nameRef, p.Pid, p.Sys);
            var prog = loaded.IsOk && loaded.Value == 0 ? _loader.Export(p.Pid) : default;
            if (!loaded.IsOk || loaded.Value != 0 || !prog.IsOk)
            {
                Release(p, freeSlot: true);
                return -1;
            }
            p.Program = prog.Value;
            p.Argv = RRefArray<byte>.From(argv);
            Lock.Acquire();
            p.State = ProcState.Running;
            Lock.Release();
            DomainThreads.Spawn($"{name}[{p.Pid}]", new ProcThread(this, p));
            return p.Pid;
        }
        finally { nameRef.Drop(); }
    }

    /// <summary>The process's thread: runs Main, then exits with its status (-1 if it was killed or crashed).</summary>
    private sealed class ProcThread : IThreadBody
    {
        private readonly Rv6Core _k;
        private readonly Proc _p;
        public ProcThread(Rv6Core k, Proc p) { _k = k; _p = p; }

        public RpcResult Run()
        {
            var r = _p.Program!.Main(in _p.Argv);
            while (_k.TakeExec(_p)) r = _p.Program!.Main(in _p.Argv); // exec: the old domain is gone, the new program runs
            int status = _p.Exiting ? _p.XState : r.IsOk && !_p.Killed ? r.Value : -1;
            _k.Exit(_p, status);
            return RpcResult.Ok;
        }
    }

    /// <summary>xv6's exec: a fresh domain of argv[0] (a C# program, or an ELF file on the interpreter) takes
    /// the process's place; the loader unloads the old one, so the caller's thread leaves it when this
    /// returns, and the process's thread runs the new program's Main (TakeExec). 0, or -1 (nothing changed).</summary>
    internal int Exec(Proc p, byte[] argv)
    {
        argv = RiscvArgv(p, argv);
        if (!ProgramName(argv, out string name, out var nameRef)) return -1;
        try
        {
            if (_loader.Exists(in nameRef) is not { IsOk: true, Value: true }) return -1;
            Lock.Acquire();
            bool gone = p.Killed || p.Exiting || p.Unloaded || p.ExecProgram is not null;
            Lock.Release();
            if (gone) return -1;
            var replaced = _loader.Replace(in nameRef, p.Pid, p.Sys!);
            if (!replaced.IsOk || replaced.Value != 0) return -1;
            var prog = _loader.Export(p.Pid);
            Lock.Acquire();
            try
            {
                if (!prog.IsOk) { p.Killed = true; return 0; } // the old program is gone and the new one unreachable: the process ends
                p.ExecProgram = prog.Value;
                p.ExecArgv = RRefArray<byte>.From(argv);
                p.Name = name;
            }
            finally { Lock.Release(); }
            return 0;
        }
        finally { nameRef.Drop(); }
    }

    /// <summary>After a Main returned: if the process exec'd, its new program and argv take over (true unless
    /// it was killed or exited meanwhile; the exit then drops them).</summary>
    internal bool TakeExec(Proc p)
    {
        Lock.Acquire();
        try
        {
            if (p.ExecProgram is null) return false;
            p.Argv.Drop();
            p.Argv = p.ExecArgv;
            p.Program = p.ExecProgram;
            p.ExecArgv = default;
            p.ExecProgram = null;
            return !p.Killed && !p.Exiting;
        }
        finally { Lock.Release(); }
    }

    /// <summary>The core's own thread: every 20 ms it asks the loader for processes whose domain stopped
    /// behind the core's back (a crash, a kill through the kernel) and marks them killed, so a thread of
    /// theirs asleep in the core (wait, sleep, a pipe) wakes, returns, and unwinds out of the dead program.</summary>
    private sealed class Reaper : IThreadBody
    {
        private readonly Rv6Core _k;
        public Reaper(Rv6Core k) => _k = k;

        public RpcResult Run()
        {
            for (;;)
            {
                _k.Lock.Acquire();
                _k.Lock.Sleep(this, 20);
                _k.Lock.Release();
                for (;;)
                {
                    var dead = _k._loader.NextDead();
                    if (!dead.IsOk || dead.Value < 0) break;
                    _k.MarkKilled(dead.Value);
                }
            }
        }
    }

    /// <summary>Marks a process killed and wakes the sleepers (xv6's kill without stopping the domain, which is already stopped).</summary>
    private void MarkKilled(int pid)
    {
        Lock.Acquire();
        foreach (var q in _proc)
            if (q.Pid == pid && q.State is ProcState.Used or ProcState.Running) q.Killed = true;
        Lock.WakeupAll(); // wherever it sleeps (wait, a pipe, sleep), it wakes and sees it was killed
        Lock.Release();
    }

    /// <summary>The process asked to exit (xv6's exit): its domain is stopped now; its thread then finishes the exit.</summary>
    internal void RequestExit(Proc p, int status)
    {
        Lock.Acquire();
        p.Exiting = true;
        p.XState = status;
        Lock.Release();
        Unload(p, status);
    }

    private void Unload(Proc p, int status)
    {
        bool already;
        Lock.Acquire();
        already = p.Unloaded;
        p.Unloaded = true;
        Lock.Release();
        if (!already) _loader.Unload(p.Pid, status);
    }

    /// <summary>xv6's exit, run on the process's thread once Main has returned: close its files, give its
    /// children away, become a zombie for the parent to wait for.</summary>
    internal void Exit(Proc p, int status)
    {
        Unload(p, status);
        Release(p, freeSlot: false);
        p.Argv.Drop();
        p.Argv = default;
        Lock.Acquire();
        try
        {
            foreach (var c in _proc)
                if (c.Parent == p && c.State != ProcState.Unused)
                {
                    c.Parent = null;                                   // orphans are reaped as they exit
                    if (c.State == ProcState.Zombie) c.Reset();
                }
            p.XState = status;
            p.Program = null;
            var parent = p.Parent;
            if (parent is null) p.Reset();
            else
            {
                p.State = ProcState.Zombie;
                Lock.Wakeup(parent); // xv6's wakeup(p->parent): the parent sleeps in wait() on itself
            }
        }
        finally { Lock.Release(); }
    }

    /// <summary>Closes the process's files and working directory.</summary>
    private void Release(Proc p, bool freeSlot)
    {
        for (int fd = 0; fd < Param.NOFILE; fd++)
        {
            var f = p.Ofile[fd];
            p.Ofile[fd] = null;
            if (f is not null) Files.Close(f);
        }
        if (p.Cwd >= 0 && p.CwdEpoch == FsEpoch) Fs.Close(p.Cwd);
        p.Cwd = -1;
        if (freeSlot)
        {
            Lock.Acquire();
            p.Reset();
            Lock.Release();
        }
    }

    /// <summary>xv6's wait: a zombie child's pid and status, or Pid -1 if there are no children (or the caller was killed).</summary>
    internal WaitStatus Wait(Proc p)
    {
        Lock.Acquire();
        try
        {
            for (;;)
            {
                bool havekids = false;
                foreach (var c in _proc)
                {
                    if (c.Parent != p || c.State == ProcState.Unused) continue;
                    havekids = true;
                    if (c.State == ProcState.Zombie)
                    {
                        var w = new WaitStatus { Pid = c.Pid, Status = c.XState };
                        c.Reset();
                        return w;
                    }
                }
                if (!havekids || p.Killed) return new WaitStatus { Pid = -1, Status = 0 };
                Lock.Sleep(p); // xv6's sleep(p, &wait_lock): a child's exit wakes its parent
            }
        }
        finally { Lock.Release(); }
    }

    /// <summary>Waits for one particular child (the host's Run).</summary>
    private int WaitFor(Proc parent, int pid)
    {
        Lock.Acquire();
        try
        {
            for (;;)
            {
                var c = _proc.FirstOrDefault(q => q.Pid == pid && q.Parent == parent && q.State != ProcState.Unused);
                if (c is null) return -1;
                if (c.State == ProcState.Zombie)
                {
                    int status = c.XState;
                    c.Reset();
                    return status;
                }
                Lock.Sleep(parent);
            }
        }
        finally { Lock.Release(); }
    }

    /// <summary>xv6's kill: marks the process killed, wakes it if it sleeps, and stops its domain.</summary>
    internal int Kill(int pid)
    {
        Proc? p = null;
        Lock.Acquire();
        try
        {
            foreach (var q in _proc)
                if (q.Pid == pid && q.State is ProcState.Used or ProcState.Running) { p = q; break; }
            if (p is null) return -1;
            p.Killed = true;
            Lock.WakeupAll(); // xv6 makes a sleeping process runnable; here every sleeper wakes and re-checks
        }
        finally { Lock.Release(); }
        Unload(p, -1);
        return 0;
    }

    /// <summary>Clock ticks since boot.</summary>
    internal int Uptime() => (int)((DateTime.UtcNow - _boot).Ticks / (Param.TICKMS * TimeSpan.TicksPerMillisecond));

    /// <summary>xv6's sys_sleep: 0, or -1 if killed while sleeping.</summary>
    internal int Sleep(Proc p, int ticks)
    {
        if (ticks < 0) ticks = 0;
        int start = Uptime();
        Lock.Acquire();
        try
        {
            for (;;)
            {
                int left = ticks - (Uptime() - start);
                if (left <= 0) return 0;
                if (p.Killed) return -1;
                Lock.Sleep(_ticks, left * Param.TICKMS);
            }
        }
        finally { Lock.Release(); }
    }

    // ---- the fs domain's crashes ----

    /// <summary>True if the file's handle belongs to the fs instance running now.</summary>
    internal bool FsCurrent(File f) => f.Epoch == FsEpoch;

    /// <summary>An fs call failed: if the fs domain crashed, restart it (its mount recovers the log).</summary>
    internal void FsFailed(RpcError e)
    {
        if (_fsRestart is null) return;
        if (e.Kind is not (RpcErrorKind.CalleeCrashed or RpcErrorKind.CalleeKilled or RpcErrorKind.NotRunning)) return;
        Lock.Acquire();
        int epoch = FsEpoch;
        Lock.Release();
        try { _fsRestart.Restart(); }
        catch (Exception) { return; } // it could not start: calls keep failing, and say so with -1
        Lock.Acquire();
        if (FsEpoch == epoch) FsEpoch++;
        Lock.Release();
        _fsRestart.Recovered();
    }

    /// <summary>The process's working directory in the running fs instance (after an fs restart: the root).</summary>
    internal int CwdOf(Proc p)
    {
        if (p.Cwd >= 0 && p.CwdEpoch == FsEpoch) return p.Cwd;
        var root = Fs.Root();
        if (!root.IsOk) { FsFailed(root.Error); return -1; }
        p.Cwd = root.Value;
        p.CwdEpoch = FsEpoch;
        return p.Cwd;
    }

    internal static int Check(RpcResult<int> r) => r.IsOk ? r.Value : throw new InvalidOperationException($"rv6 core: {r.Error}");

    internal static byte[] Bytes(in RRefArray<byte> a)
    {
        var b = new byte[a.Length];
        a.CopyTo(b);
        return b;
    }

    internal static string Ascii(ReadOnlySpan<byte> s)
    {
        var c = new char[s.Length];
        for (int i = 0; i < s.Length; i++) c[i] = (char)s[i];
        return new string(c);
    }
}

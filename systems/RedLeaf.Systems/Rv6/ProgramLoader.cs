// systems/RedLeaf.Systems/Rv6: the kernel's program loader, granted to rv6's core (IProgramLoader; RedLeaf's
// create_domain capability): starts a process as a fresh domain of a signed user-program image
// (domains/rv6/user/<name>, compiled by the trusted compiler, cached), granted the process's own
// system-call object, and unloads it at exit or kill. It loads nothing else and unloads only what it loaded.
// RISC-V processes are the exception: one domain of the RISC-V interpreter program (domains/rv6/user/riscv,
// granted a RiscvMachine of this system's RiscvService, os/kernel/Riscv) serves them all (IRiscvHost), each
// through a session machine offered to it for that process and revoked when the process ends, which frees
// the process's memory whatever the interpreter did (domains/rv6/README.md, "RISC-V processes"). If the
// interpreter domain itself dies, its processes die with it and the next RISC-V process gets a fresh one.
// Images are looked up once per program per boot.
using System.Collections.Concurrent;
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Riscv;

namespace RedLeaf.Systems.Rv6;

public sealed class ProgramLoader : IProgramLoader
{
    private readonly Microkernel _kernel;
    private readonly ConcurrentDictionary<int, Process> _live = new();

    /// <summary>A loaded process: its own domain (a C# program), or a program object of the shared RISC-V
    /// interpreter domain with the session machine that serves it.</summary>
    private sealed record Process(Domain Domain, IProgram? Hosted, RiscvMachine? Session);

    /// <summary>The program that runs RISC-V executables: one domain of it serves every RISC-V process.</summary>
    public const string RiscvProgram = "riscv";
    private long _loaded;
    private readonly object _hostGate = new();
    private Domain? _host;
    private RiscvMachine? _hostMachine;

    public ProgramLoader(Microkernel kernel, string programsFolder, RiscvService? riscv = null)
    {
        _kernel = kernel;
        ProgramsFolder = programsFolder;
        Riscv = riscv ?? new RiscvService();
        Riscv.IsLive = pid => _live.ContainsKey(pid);
    }

    /// <summary>The RISC-V processes' memory pool and fork registry.</summary>
    public RiscvService Riscv { get; }

    /// <summary>Where program folders are (domains/rv6/user).</summary>
    public string ProgramsFolder { get; }

    /// <summary>Processes loaded now (C# programs' domains and RISC-V processes served by the interpreter).</summary>
    public int Live => _live.Count;

    /// <summary>The pids of the processes loaded now.</summary>
    public IReadOnlyList<int> Pids() => _live.Keys.Order().ToArray();

    /// <summary>Processes started since boot.</summary>
    public long Loaded => Interlocked.Read(ref _loaded);

    /// <summary>The RISC-V interpreter's domain, once a RISC-V process has run (null before).</summary>
    public Domain? RiscvHost => _host;

    /// <summary>Program names: the folders under <see cref="ProgramsFolder"/> holding a domain (not the user library).</summary>
    public IReadOnlyList<string> Programs() =>
        Directory.Exists(ProgramsFolder)
            ? Directory.GetDirectories(ProgramsFolder).Select(d => Path.GetFileName(d)).Where(IsProgram).Order(StringComparer.Ordinal).ToArray()
            : Array.Empty<string>();

    private bool IsProgram(string name) =>
        name.Length is > 0 and <= 32 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-')
        && name != "ulib"
        && Directory.Exists(Path.Combine(ProgramsFolder, name))
        && Directory.EnumerateFiles(Path.Combine(ProgramsFolder, name), "*.cs").Any();

    private readonly ConcurrentDictionary<string, DomainImage> _images = new();

    /// <summary>The program's signed image (compiled once and cached on disk; looked up once per boot).</summary>
    public DomainImage Image(string name) => _images.GetOrAdd(name, n => TrustedCompiler.Default.CompileFolder(Path.Combine(ProgramsFolder, n)));

    public RpcResult<bool> Exists(in RRefArray<byte> name) => IsProgram(Name(in name));

    public RpcResult<int> Load(in RRefArray<byte> name, int pid, ISyscalls sys)
    {
        var p = Start(Name(in name), pid, sys);
        if (p is null) return -1;
        _live[pid] = p;
        return 0;
    }

    public RpcResult<int> Replace(in RRefArray<byte> name, int pid, ISyscalls sys)
    {
        if (!_live.ContainsKey(pid)) return -1;
        var p = Start(Name(in name), pid, sys);
        if (p is null) return -1;
        // The new program takes the process's place first, so NextDead never reports the old one stopping.
        if (!_live.TryGetValue(pid, out var old) || !_live.TryUpdate(pid, p, old))
        {
            End(p, $"process {pid} ended during exec");
            return -1;
        }
        End(old, $"process {pid} exec'd {p.Domain.Name}");
        return 0;
    }

    /// <summary>Starts process <paramref name="pid"/> running <paramref name="program"/>: a fresh domain of it, or,
    /// for the RISC-V interpreter, a program object of the shared interpreter domain; null, with the reason in
    /// the kernel's log, if it cannot.</summary>
    private Process? Start(string program, int pid, ISyscalls sys)
    {
        if (!IsProgram(program)) return null;
        try
        {
            var p = program == RiscvProgram ? Serve(pid, sys) : new Process(_kernel.Load(program, Image(program), sys), null, null);
            if (p is not null) Interlocked.Increment(ref _loaded);
            return p;
        }
        catch (Exception e) when (e is DomainException or DomainCompileException)
        {
            _kernel.Log.Add($"rv6: process {pid} ({program}) did not start: {e.Message}");
            return null;
        }
    }

    /// <summary>A RISC-V process: a session machine offered to the interpreter domain, which returns the process's
    /// program object. Null if the interpreter refused or failed (the session is revoked).</summary>
    private Process? Serve(int pid, ISyscalls sys)
    {
        var host = Host();
        long ticket = Riscv.Offer($"process {pid}", out var session);
        var served = host.Get<IRiscvHost>().Serve(ticket, sys);
        if (served.IsOk && served.Value is { } program) return new Process(host, program, session);
        Riscv.Revoke(session);
        _kernel.Log.Add($"rv6: process {pid} (riscv) did not start: the interpreter domain answered {(served.IsOk ? "no program" : served.Error.ToString())}");
        return null;
    }

    /// <summary>The interpreter domain, loaded on first use, and again if it died (its machine revoked first).</summary>
    private Domain Host()
    {
        lock (_hostGate)
        {
            if (_host is { Status: DomainStatus.Running } running) return running;
            if (_host is not null)
            {
                if (_hostMachine is not null) Riscv.Revoke(_hostMachine);
                _kernel.Unload(_host, "the RISC-V interpreter is replaced after it stopped");
            }
            _hostMachine = Riscv.Grant("rv6's RISC-V interpreter");
            try { _host = _kernel.Load(RiscvProgram, Image(RiscvProgram), _hostMachine); }
            catch
            {
                Riscv.Revoke(_hostMachine);
                _host = null;
                throw;
            }
            return _host;
        }
    }

    /// <summary>A process is over: its domain unloaded, or its session revoked (its RISC-V processes freed; the
    /// interpreter's thread for it ends at its next use of the machine).</summary>
    private void End(Process p, string reason)
    {
        if (p.Session is not null) Riscv.Revoke(p.Session);
        else _kernel.Unload(p.Domain, reason);
    }

    public RpcResult<IProgram> Export(int pid) =>
        _live.TryGetValue(pid, out var p)
            ? new RpcResult<IProgram>(p.Hosted ?? p.Domain.Get<IProgram>())
            : throw new InvalidOperationException($"rv6: no process {pid} was loaded");

    private readonly ConcurrentDictionary<int, bool> _reported = new();

    public RpcResult<int> NextDead()
    {
        foreach (var (pid, p) in _live)
            if (p.Domain.Status != DomainStatus.Running && _reported.TryAdd(pid, true)) return pid;
        return -1;
    }

    public RpcResult<int> Unload(int pid, int status)
    {
        if (!_live.TryRemove(pid, out var p)) return -1;
        _reported.TryRemove(pid, out _);
        End(p, status == -1 ? $"process {pid} killed" : $"process {pid} exited ({status})");
        Riscv.ProcessEnded(pid);
        return 0;
    }

    /// <summary>Unloads every process still loaded, then the RISC-V interpreter (shutdown).</summary>
    public void UnloadAll()
    {
        foreach (var pid in _live.Keys.ToArray())
            if (_live.TryRemove(pid, out var p)) { End(p, "rv6 shut down"); Riscv.ProcessEnded(pid); }
        lock (_hostGate)
        {
            if (_hostMachine is not null) Riscv.Revoke(_hostMachine);
            if (_host is not null) _kernel.Unload(_host, "rv6 shut down");
            _host = null;
            _hostMachine = null;
        }
    }

    private static string Name(in RRefArray<byte> name)
    {
        if (name.IsNull || name.Length is 0 or > 64) return "";
        Span<byte> b = stackalloc byte[name.Length];
        name.CopyTo(b);
        return System.Text.Encoding.ASCII.GetString(b);
    }
}

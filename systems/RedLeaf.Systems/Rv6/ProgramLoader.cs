// systems/RedLeaf.Systems/Rv6: the kernel's program loader, granted to rv6's core (IProgramLoader; RedLeaf's
// create_domain capability): starts a process as a fresh domain of a signed user-program image
// (domains/rv6/user/<name>, compiled by the trusted compiler, cached), granted the process's own
// system-call object, and unloads it at exit or kill. It loads nothing else and unloads only what it loaded.
// The RISC-V interpreter program (domains/rv6/user/riscv) is also granted a RiscvMachine of this
// system's RiscvService (os/kernel/Riscv), revoked when its process ends: its processes' memory is
// freed then, whatever the program did.
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
    private readonly ConcurrentDictionary<int, Domain> _live = new();
    private readonly ConcurrentDictionary<int, RiscvMachine> _riscv = new();

    /// <summary>The program that runs RISC-V executables; the only one granted a RiscvMachine.</summary>
    public const string RiscvProgram = "riscv";
    private long _loaded;

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

    /// <summary>Processes whose domains are loaded now.</summary>
    public int Live => _live.Count;

    /// <summary>The pids of the processes loaded now.</summary>
    public IReadOnlyList<int> Pids() => _live.Keys.Order().ToArray();

    /// <summary>Processes started since boot.</summary>
    public long Loaded => Interlocked.Read(ref _loaded);

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
        var d = Start(Name(in name), pid, sys, out var machine);
        if (d is null) return -1;
        if (machine is not null) _riscv[pid] = machine;
        _live[pid] = d;
        return 0;
    }

    public RpcResult<int> Replace(in RRefArray<byte> name, int pid, ISyscalls sys)
    {
        if (!_live.ContainsKey(pid)) return -1;
        var d = Start(Name(in name), pid, sys, out var machine);
        if (d is null) return -1;
        // The new instance takes the process's place first, so NextDead never reports the old one stopping.
        if (!_live.TryGetValue(pid, out var old) || !_live.TryUpdate(pid, d, old))
        {
            _kernel.Unload(d, $"process {pid} ended during exec");
            if (machine is not null) Riscv.Revoke(machine);
            return -1;
        }
        _riscv.TryRemove(pid, out var oldMachine);
        if (machine is not null) _riscv[pid] = machine;
        _kernel.Unload(old, $"process {pid} exec'd {d.Name}");
        if (oldMachine is not null) Riscv.Revoke(oldMachine);
        return 0;
    }

    /// <summary>Loads a fresh domain of <paramref name="program"/> for process <paramref name="pid"/> (the RISC-V
    /// interpreter also gets a machine); null, with the reason in the kernel's log, if it cannot.</summary>
    private Domain? Start(string program, int pid, ISyscalls sys, out RiscvMachine? machine)
    {
        machine = null;
        if (!IsProgram(program)) return null;
        try
        {
            object[] grants = program == RiscvProgram ? new object[] { sys, machine = Riscv.Grant($"process {pid}") } : new object[] { sys };
            Domain d;
            try { d = _kernel.Load(program, Image(program), grants); }
            catch
            {
                if (machine is not null) Riscv.Revoke(machine);
                machine = null;
                throw;
            }
            Interlocked.Increment(ref _loaded);
            return d;
        }
        catch (Exception e) when (e is DomainException or DomainCompileException)
        {
            _kernel.Log.Add($"rv6: process {pid} ({program}) did not start: {e.Message}");
            return null;
        }
    }

    public RpcResult<IProgram> Export(int pid) =>
        _live.TryGetValue(pid, out var d) ? new RpcResult<IProgram>(d.Get<IProgram>()) : throw new InvalidOperationException($"rv6: no process {pid} was loaded");

    private readonly ConcurrentDictionary<int, bool> _reported = new();

    public RpcResult<int> NextDead()
    {
        foreach (var (pid, d) in _live)
            if (d.Status != DomainStatus.Running && _reported.TryAdd(pid, true)) return pid;
        return -1;
    }

    public RpcResult<int> Unload(int pid, int status)
    {
        if (!_live.TryRemove(pid, out var d)) return -1;
        _reported.TryRemove(pid, out _);
        _kernel.Unload(d, status == -1 ? $"process {pid} killed" : $"process {pid} exited ({status})");
        Ended(pid);
        return 0;
    }

    /// <summary>Unloads every process still loaded (shutdown).</summary>
    public void UnloadAll()
    {
        foreach (var pid in _live.Keys.ToArray())
            if (_live.TryRemove(pid, out var d)) { _kernel.Unload(d, "rv6 shut down"); Ended(pid); }
    }

    /// <summary>A process's domain is gone: revoke its RISC-V machine (freeing its processes) and free any fork copy parked for it.</summary>
    private void Ended(int pid)
    {
        if (_riscv.TryRemove(pid, out var m)) Riscv.Revoke(m);
        Riscv.ProcessEnded(pid);
    }

    private static string Name(in RRefArray<byte> name)
    {
        if (name.IsNull || name.Length is 0 or > 64) return "";
        Span<byte> b = stackalloc byte[name.Length];
        name.CopyTo(b);
        return System.Text.Encoding.ASCII.GetString(b);
    }
}

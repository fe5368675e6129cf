// os/kernel/Kernel: the microkernel. It owns the shared heap and the domain table; it loads domains
// (each instance in its own collectible context), binds what they are granted and what they export
// to generated proxies, and when a domain crashes or is killed it cleans up as an OS does after a
// killed process: drop every shared-heap object the domain owned (children first), unbind the
// proxies that reach into it, unload its code, and confirm the code was actually collected.
using System.Reflection;
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;
using RedLeaf.Hardware;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Heap;
using RedLeaf.Os.Proxies;

namespace RedLeaf.Os;

public sealed unsafe partial class Microkernel : IDisposable
{
    /// <summary>The id the kernel itself (and host code acting through it) owns RRefs under.</summary>
    public const int KernelId = 1;

    private readonly object _gate = new();
    private readonly List<Domain> _domains = new();
    private readonly DomainToken _kernel;
    private readonly List<DomainToken> _tokens = new();
    private readonly Threads.ThreadTable _threads;
    private readonly bool _ownsMachine;
    private int _nextId = KernelId + 1;
    private bool _disposed;

    public Microkernel(Machine machine, KernelOptions? options = null) : this(machine, options, ownsMachine: false) { }

    private Microkernel(Machine machine, KernelOptions? options, bool ownsMachine)
    {
        Machine = machine;
        Options = options ?? new KernelOptions();
        _ownsMachine = ownsMachine;
        Log.Add($"machine: {machine.Cpus.Count} cpus, {machine.Memory.Size >> 20} MiB physical memory");
        Heap = new SharedHeap(machine.Memory, Options.HeapSlots);
        Log.Add($"shared heap: {Heap.Capacity} slots, objects from physical memory at 0x{Heap.Memory.Address:x}");
        // Devices may DMA into the heap's objects only, never into its registry.
        machine.Dma.Set(Heap.ObjectsStart, machine.Memory.Size);
        _threads = new Threads.ThreadTable(this);
        _kernel = new DomainToken(KernelId, Heap.AbiView, host: null) { Owner = this, Services = _threads };
        _tokens.Add(_kernel);
        Log.Add($"microkernel up; {ProxyRegistry.Interfaces.Count} domain interfaces have generated proxies");
        if (TieredPgoOn)
            Log.Add("warning: this process runs with the runtime's tiered PGO on; on .NET 10.0.12 a domain looping in both a try and its " +
                    "finally can crash the whole process (RedLeaf's own programs turn it off: TieredPGO=false in Directory.Build.props, or DOTNET_TieredPGO=0)");
    }

    /// <summary>Boots a microkernel on a new machine (disposed with the kernel).</summary>
    public static Microkernel Boot(MachineConfig? machine = null, KernelOptions? options = null)
    {
        var m = new Machine(machine);
        try { return new Microkernel(m, options, ownsMachine: true); }
        catch
        {
            m.Dispose(); // a kernel that failed to boot must not keep its machine's memory
            throw;
        }
    }

    /// <summary>True unless the process turned the runtime's tiered PGO off (runtimeconfig or DOTNET_TieredPGO=0).</summary>
    public static bool TieredPgoOn =>
        Environment.GetEnvironmentVariable("DOTNET_TieredPGO") is not ("0") &&
        AppContext.GetData("System.Runtime.TieredPGO") is not (false or "false" or "False");

    public Machine Machine { get; }
    public KernelOptions Options { get; }
    public SharedHeap Heap { get; }
    public BootLog Log { get; } = new();

    public IReadOnlyList<Domain> Domains { get { lock (_gate) return _domains.ToArray(); } }

    /// <summary>Kernel threads (spawned by domains through DomainThreads.Spawn), live and ended.</summary>
    public IReadOnlyList<Threads.KernelThread> Threads => _threads.All;

    public Domain this[string name] =>
        Domains.FirstOrDefault(d => d.Name == name) ?? throw new KeyNotFoundException($"no domain named '{name}' (domains: {string.Join(", ", Domains.Select(d => d.Name))})");

    private static readonly string[] BaseReferences =
    {
        "System.Runtime", "System.Private.CoreLib", "System.Collections", "System.Linq", "System.Memory",
        "RedLeaf.Abi", "RedLeaf.Interfaces",
    };

    private readonly Dictionary<string, LoadedInterfaceSet> _interfaceSets = new(StringComparer.Ordinal);

    /// <summary>Assemblies a domain image may reference: the base library's slice, the ABI, the IDL and
    /// the interface sets this kernel has loaded.</summary>
    public IReadOnlySet<string> DomainReferences
    {
        get { lock (_gate) return BaseReferences.Concat(_interfaceSets.Keys).ToHashSet(StringComparer.Ordinal); }
    }

    /// <summary>Interface sets this kernel accepts domains against (see LoadInterfaces), in load order.</summary>
    public IReadOnlyList<LoadedInterfaceSet> InterfaceSets { get { lock (_gate) return _interfaceSets.Values.ToArray(); } }

    /// <summary>Admits an interface set a cell declared (TrustedCompiler.CompileInterfaces): its signature
    /// must verify under a trusted key, its IL must hold no code, and its proxies are built by the trusted
    /// pipeline (<paramref name="proxies"/>, TrustedCompiler.Proxies, needed only the first time a set is
    /// admitted to the process); from then on this kernel loads domains compiled against it. Loading it
    /// again is a no-op.</summary>
    public LoadedInterfaceSet LoadInterfaces(InterfaceImage image, IProxyBuilder? proxies = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var loaded = global::RedLeaf.Os.Domains.InterfaceSets.Load(image, Options.TrustedKeys ?? new[] { Signing.MachineKey.Current }, proxies);
        lock (_gate)
        {
            if (!_interfaceSets.TryAdd(image.Name, loaded)) return loaded;
        }
        Log.Add($"verified interface set {image.Name}: {string.Join(", ", loaded.Facts.Interfaces)}; " +
                $"signed by key {image.Signature!.KeyId}; proxies built in {loaded.ProxyBuild.TotalMilliseconds:F0} ms");
        return loaded;
    }

    /// <summary>The process-wide safety net behind the per-domain allocation rate: while the managed heap holds
    /// more than this many bytes, a domain that has allocated at least a quarter of it is faulted when it is
    /// next sampled (see AllocationMeter). Default: three quarters of the memory the GC may use, or
    /// REDLEAF_HEAP_BUDGET_MB; 0 turns it off.</summary>
    public static long ManagedHeapBudget
    {
        get => Volatile.Read(ref AllocationMeter.HeapBudget);
        set => Volatile.Write(ref AllocationMeter.HeapBudget, value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "the budget is a number of bytes, 0 for none"));
    }

    /// <summary>Runs host code on this thread as the kernel (to allocate or read RRefs, say).</summary>
    public KernelScope Enter() => new(_kernel);

    /// <summary>Stopped domains (in any kernel of the process) whose code may still be running somewhere: while
    /// above 0, every stop check in every domain takes its slow path and asks whether its own domain was stopped.</summary>
    public static int PendingStops => Volatile.Read(ref Guard.StopsPending) & ~AllocationMeter.SampleRequested;

    /// <summary>A proxy through which domains can call a host object implementing a domain interface.</summary>
    public T Grant<T>(T hostObject) where T : class => ProxyRuntime.Wrap(hostObject, _kernel)!;

    /// <summary>Loads a domain image and runs its entry point with <paramref name="grants"/>.</summary>
    public Domain Load(DomainImage image, params object[] grants) => Load(image.Name, image, grants);

    public Domain Load(string name, DomainImage image, params object[] grants)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var facts = Admit(image);
        var devices = grants.OfType<Hardware.Devices.Device>().ToArray();
        var capabilities = grants.OfType<RestartCapability>().ToArray();
        var riscv = grants.OfType<RiscvMachine>().ToArray();
        var interfaces = grants.Where(g => g is not Hardware.Devices.Device and not RestartCapability and not RiscvMachine).ToArray();
        Domain d;
        lock (_gate)
        {
            string unique = name;
            for (int n = 2; _domains.Any(x => x.Name == unique); n++) unique = $"{name}.{n}";
            ClaimDevices(unique, devices);
            d = new Domain(this, unique, image, BindGrants(image, facts, interfaces))
            {
                Limits = Options.DefaultLimits,
                Devices = devices,
                Capabilities = capabilities,
                RiscvMachines = riscv,
            };
            _domains.Add(d);
        }
        AllocationMeter.ForgetHostAllocation(); // the compile and load above are the host's, not the domain's
        StartInstance(d, facts);
        return d;
    }

    /// <summary>Sets what a domain may consume, now and after restarts.</summary>
    public void SetLimits(Domain domain, DomainLimits limits)
    {
        Mine(domain);
        domain.Limits = limits;
        ApplyLimits(domain.Instance.Token, limits);
    }

    private static unsafe void ApplyLimits(DomainToken token, DomainLimits limits)
    {
        token.Cell->MaxArrayLength = limits.MaxArrayLength;
        token.Cell->HeapQuota = limits.SharedHeapBytes;
        token.Cell->AllocationQuota = limits.PrivateBytesPerSecond;
    }

    /// <summary>Kills a domain: it stops serving calls, and everything it held is reclaimed.</summary>
    public void Kill(Domain domain, string reason = "killed on request")
    {
        Mine(domain);
        CrashInstance(domain.Instance.Token, CrashKind.Kill, reason);
    }

    /// <summary>Kills a domain if it still runs and removes it from the domain table: for short-lived
    /// domains (rv6's processes) whose record nobody will ask for again. Its crash record goes to the log.</summary>
    public void Unload(Domain domain, string reason = "unloaded")
    {
        Mine(domain);
        if (domain.Status == DomainStatus.Running) Kill(domain, reason);
        lock (_gate) _domains.Remove(domain);
    }

    private void Mine(Domain domain)
    {
        if (domain.Kernel != this) throw new ArgumentException($"domain '{domain.Name}' belongs to another kernel", nameof(domain));
    }

    /// <summary>Starts a fresh instance of a domain from its image, with the same grants; its export proxy serves calls again.</summary>
    public Domain Restart(Domain domain)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Mine(domain);
        if (domain.Status == DomainStatus.Running) Kill(domain, "restarted on request");
        else if (domain.Status == DomainStatus.Faulted) CrashInstance(domain.Instance.Token, CrashKind.Fault, domain.Instance.Token.FaultReason ?? "faulted");
        var standby = TakeStandby(domain);
        var facts = standby?.Facts ?? Admit(domain.Image);
        AllocationMeter.ForgetHostAllocation(); // the kernel's work, even when a shadow asked for it on its thread
        StartInstance(domain, facts, standby);
        domain.Restarts++;
        if (standby is not null) domain.StandbyRestarts++;
        Log.Add($"{domain.Name} restarted as instance {domain.Id}{(standby is null ? "" : " (from its standby)")}");
        if (domain.Standby is null && _restartable.Contains(domain)) PrepareStandby(domain);
        return domain;
    }

    private readonly HashSet<Domain> _restartable = new();

    /// <summary>Prepares the domain's next instance in the background (see Standby). A failure only means
    /// the next restart takes the ordinary path.</summary>
    private void PrepareStandby(Domain d)
    {
        lock (_gate)
        {
            _restartable.Add(d);
            if (_disposed || d.Standby is not null) return;
            d.Standby = Task.Run(() =>
            {
                try { return Standby.Prepare(d, Admit(d.Image)); }
                catch (Exception e) when (e is DomainException or BadImageFormatException or IOException or TypeLoadException) { return null; }
            });
        }
    }

    /// <summary>The ready standby, if there is one (it is used once); null if none or still being prepared.</summary>
    private Standby? TakeStandby(Domain d)
    {
        lock (_gate)
        {
            var t = d.Standby;
            if (t is null || !t.IsCompletedSuccessfully) return null;
            d.Standby = null;
            return t.Result;
        }
    }

    /// <summary>The loader's gate: a valid signature by a trusted key over this very image, made against
    /// the interfaces this kernel runs; then the image inspector's checks.</summary>
    private ImageFacts Admit(DomainImage image)
    {
        var sig = image.Signature
            ?? throw new DomainException($"domain image '{image.Name}' refused: it is not signed; build it with the trusted compiler");
        var keys = Options.TrustedKeys ?? new[] { Signing.MachineKey.Current };
        if (sig.Options is { } kind && kind.EndsWith(global::RedLeaf.Os.Domains.InterfaceSets.OptionsMarker, StringComparison.Ordinal)) // the kind first: its name is a set's
            throw new DomainException($"domain image '{image.Name}' refused: it was signed as an interface set, not a domain");
        if (sig.Verify(image.Name, image.Assembly, keys) is { } why) throw new DomainException($"domain image '{image.Name}' refused: {why}");
        foreach (var (name, sha) in global::RedLeaf.Os.Domains.InterfaceSets.Base)
            if (!sig.Interfaces.TryGetValue(name, out var signed) || signed != sha)
                throw new DomainException($"domain image '{image.Name}' refused: it was compiled against {name} {(signed is null ? "(none)" : signed[..12])}, but this kernel runs {name} {sha[..12]}; recompile it");
        foreach (var (name, sha) in sig.Interfaces.Where(kv => !global::RedLeaf.Os.Domains.InterfaceSets.Base.ContainsKey(kv.Key)))
        {
            LoadedInterfaceSet? set;
            lock (_gate) _interfaceSets.TryGetValue(name, out set);
            if (set is null)
                throw new DomainException($"domain image '{image.Name}' refused: it was compiled against interface set {name}, which this kernel has not loaded; load it first (Microkernel.LoadInterfaces)");
            if (set.Image.Sha256 != sha)
                throw new DomainException($"domain image '{image.Name}' refused: it was compiled against {name} {sha[..12]}, but this kernel runs {name} {set.Image.Sha256[..12]}; recompile it");
        }
        if (sig.Options.Contains(";UNINSTRUMENTED", StringComparison.Ordinal) && !Options.AllowUninstrumented)
            throw new DomainException($"domain image '{image.Name}' refused: it was built without instrumentation (its loops could not be stopped); only a kernel booted with AllowUninstrumented loads such images");
        var facts = ImageInspector.Inspect(image, DomainReferences);
        Log.Add($"verified image {image.Name}: fingerprint {sig.Fingerprint[..12]}, signed by key {sig.KeyId}");
        return facts;
    }

    private Proxy[] BindGrants(DomainImage image, ImageFacts facts, object[] grants)
    {
        // The entry's parameters are read from metadata already inspected; bind by type when started.
        // Host objects (not proxies) are wrapped so calls into them switch to the kernel's id.
        var bound = new Proxy[grants.Length];
        for (int i = 0; i < grants.Length; i++)
        {
            if (grants[i] is Proxy p)
            {
                if (p.CalleeToken.Heap != Heap.AbiView)
                    throw new DomainException($"grant {i} for '{image.Name}' is a proxy into {(p.CalleeToken.Owner as Domain)?.Name ?? "a domain"} of another kernel; domains of different kernels cannot call each other");
                bound[i] = p;
                continue;
            }
            var iface = grants[i].GetType().GetInterfaces().FirstOrDefault(t => t.GetCustomAttribute<DomainInterfaceAttribute>() is not null)
                ?? throw new DomainException($"grant {i} for '{image.Name}' ({grants[i].GetType().Name}) implements no [DomainInterface]");
            var proxy = ProxyRegistry.Create(iface);
            proxy.Bind(grants[i], _kernel);
            bound[i] = proxy;
        }
        return bound;
    }

    /// <summary>Tracks a proxy to an object of <paramref name="owner"/> so its crash cleanup unbinds it. No
    /// kernel lock: the add takes only the instance's table lock, and a proxy added after the cleanup's
    /// unbinding pass (its state is set before that pass, the pass takes the same table lock) sees the
    /// state changed here and unbinds itself.</summary>
    internal static void TrackExported(DomainToken owner, Proxy proxy)
    {
        if (owner.Owner is not Domain d || d.Instance is not { } inst || inst.Token != owner) { proxy.Bind(null, owner); return; }
        if (owner.State == DomainState.Running) inst.Exported.Add(proxy);
        if (owner.State != DomainState.Running) proxy.Bind(null, owner);
    }

    public void Dispose()
    {
        if (_disposed) return;
        foreach (var d in Domains)
            if (d.Standby is { IsCompletedSuccessfully: true, Result: { } unused }) { d.Standby = null; unused.Context.Unload(); }
        foreach (var d in Domains.Where(d => d.Status is DomainStatus.Running or DomainStatus.Faulted))
            CrashInstance(d.Instance.Token, CrashKind.Kill, "kernel shut down");
        _disposed = true;
        // Every outstanding handle now fails its check instead of touching freed memory.
        Heap.Shutdown();
        lock (_gate) foreach (var t in _tokens) t.Revoke();
        if (_ownsMachine) Machine.Dispose();
    }
}

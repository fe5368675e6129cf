// os/kernel/Domains: a domain, the unit of isolation, as the kernel's domain table records it: its
// name and image, what it was granted, what it exports, its current instance, and its crashes.
using RedLeaf.Abi.Runtime;
using RedLeaf.Os.Proxies;

namespace RedLeaf.Os.Domains;

public sealed class Domain
{
    private readonly List<CrashRecord> _crashes = new();

    internal Domain(Microkernel kernel, string name, DomainImage image, Proxy[] grants)
    {
        Kernel = kernel;
        Name = name;
        Image = image;
        Grants = grants;
    }

    public Microkernel Kernel { get; }
    public string Name { get; }
    public DomainImage Image { get; }
    /// <summary>Id of the current instance (a new one after each restart).</summary>
    public int Id => Instance.Token.Id;
    public int Restarts { get; internal set; }
    /// <summary>Of <see cref="Restarts"/>, those that started the instance the kernel had prepared ahead of time
    /// (a standby: loaded and compiled in the background); the others loaded the image then (the slower path).</summary>
    public int StandbyRestarts { get; internal set; }
    /// <summary>True while a prepared next instance waits for this domain's next restart (a shadow holds its restart right).</summary>
    public bool StandbyReady => Standby is { IsCompletedSuccessfully: true, Result: not null };

    /// <summary>What the domain may consume (kept across restarts).</summary>
    public DomainLimits Limits { get; internal set; } = DomainLimits.Default;

    public DomainStatus Status => Instance.Token.State switch
    {
        DomainState.Running => DomainStatus.Running,
        DomainState.Faulted => DomainStatus.Faulted,
        DomainState.Crashed => DomainStatus.Crashed,
        DomainState.Killed => DomainStatus.Killed,
        _ => DomainStatus.Stopped,
    };

    /// <summary>The proxy to what the entry point returned (null if it exports nothing). Stable across restarts.</summary>
    public Proxy? Export { get; internal set; }

    /// <summary>The export, typed: the interface the caller expects the domain to serve.</summary>
    public T Get<T>() where T : class =>
        Export as T ?? throw new DomainException($"domain '{Name}' exports {Export?.Interface.Name ?? "nothing"}, not {typeof(T).Name}");

    /// <summary>The interfaces granted at load (proxies to other domains or to the host).</summary>
    public IReadOnlyList<string> GrantedInterfaces => Grants.Select(g => g.Interface.Name).ToArray();

    /// <summary>Private (GC-heap) bytes the current instance has allocated, as its threads' samples charged them.</summary>
    public unsafe long PrivateBytesAllocated => Volatile.Read(ref Instance.Token.Cell->AllocatedTotal);

    /// <summary>The most private bytes the current instance allocated within one second (its limit is <see cref="DomainLimits.PrivateBytesPerSecond"/>).</summary>
    public unsafe long PeakPrivateBytesPerSecond => Volatile.Read(ref Instance.Token.Cell->WindowPeak);

    public IReadOnlyList<CrashRecord> Crashes { get { lock (_crashes) return _crashes.ToArray(); } }
    public CrashRecord? LastCrash { get { lock (_crashes) return _crashes.Count == 0 ? null : _crashes[^1]; } }

    internal Proxy[] Grants { get; }
    /// <summary>Devices granted at load: each instance gets fresh capabilities for them.</summary>
    internal RedLeaf.Hardware.Devices.Device[] Devices { get; init; } = Array.Empty<RedLeaf.Hardware.Devices.Device>();
    /// <summary>Other kernel capabilities granted at load (a shadow's RestartCapability).</summary>
    internal RedLeaf.Abi.RestartCapability[] Capabilities { get; init; } = Array.Empty<RedLeaf.Abi.RestartCapability>();
    /// <summary>The RISC-V machine granted at load (rv6's interpreter program; see os/kernel/Riscv).</summary>
    internal RedLeaf.Abi.RiscvMachine[] RiscvMachines { get; init; } = Array.Empty<RedLeaf.Abi.RiscvMachine>();

    /// <summary>The devices this domain drives (granted at load).</summary>
    public IReadOnlyList<string> GrantedDevices => Devices.Select(d => d.Name).ToArray();
    internal DomainInstance Instance { get; set; } = null!;

    /// <summary>The next instance, being prepared or ready (shadow-managed domains only; see Standby).</summary>
    internal Task<Standby?>? Standby { get; set; }

    internal void AddCrash(CrashRecord r) { lock (_crashes) _crashes.Add(r); }

    public override string ToString() => $"{Name}#{Id} {Status}";
}

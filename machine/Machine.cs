// machine/: the emulated machine as a whole: CPUs and physical memory (devices join in later issues).
// It is trusted, like hardware, and knows nothing of the OS that runs on it.
namespace RedLeaf.Hardware;

public sealed class Machine : IDisposable
{
    private readonly Cpu[] _cpus;
    private readonly object _gate = new();

    public Machine(MachineConfig? config = null)
    {
        Config = config ?? new MachineConfig();
        if (Config.Cpus < 1) throw new ArgumentOutOfRangeException(nameof(config), Config.Cpus, "a machine needs at least one CPU");
        _cpus = Enumerable.Range(0, Config.Cpus).Select(i => new Cpu(i)).ToArray();
        Memory = new PhysicalMemory(Config.MemoryBytes);
    }

    public MachineConfig Config { get; }
    public IReadOnlyList<Cpu> Cpus => _cpus;
    public PhysicalMemory Memory { get; }

    /// <summary>Binds the calling host thread to a free CPU (or returns the one it holds); null if all are busy.</summary>
    public Cpu? BindCurrentThread()
    {
        int me = Environment.CurrentManagedThreadId;
        lock (_gate)
        {
            foreach (var c in _cpus) if (c.BoundThread == me) return c;
            foreach (var c in _cpus)
                if (c.BoundThread == 0) { c.BoundThread = me; c.Dispatches++; return c; }
            return null;
        }
    }

    /// <summary>Releases whatever CPU the calling host thread holds.</summary>
    public void UnbindCurrentThread()
    {
        int me = Environment.CurrentManagedThreadId;
        lock (_gate) foreach (var c in _cpus) if (c.BoundThread == me) c.BoundThread = 0;
    }

    public void Dispose() => Memory.Dispose();
}

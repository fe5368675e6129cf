// machine/: the emulated machine as a whole: CPUs, physical memory, an interrupt controller and the
// devices attached to it (Devices/). It is trusted, like hardware, and knows nothing of the OS that
// runs on it.
using RedLeaf.Hardware.Devices;

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
        Dma = new DmaWindow(Memory);
    }

    private readonly List<Device> _devices = new();

    /// <summary>Where devices route their interrupts.</summary>
    public InterruptController Interrupts { get; } = new();

    /// <summary>The physical memory devices may reach by DMA (the kernel narrows it to its heap's objects).</summary>
    public DmaWindow Dma { get; }

    public IReadOnlyList<Device> Devices { get { lock (_gate) return _devices.ToArray(); } }

    /// <summary>Plugs a device in: it gets the next interrupt vector and may now DMA and interrupt.</summary>
    public T Attach<T>(T device) where T : Device
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (_gate)
        {
            if (_devices.Any(d => d.Name == device.Name)) throw new InvalidOperationException($"this machine already has a device named {device.Name}");
            device.AttachTo(this, Interrupts.AllocateVector());
            _devices.Add(device);
        }
        return device;
    }

    public Device this[string deviceName]
    {
        get { lock (_gate) return _devices.FirstOrDefault(d => d.Name == deviceName) ?? throw new KeyNotFoundException($"no device named {deviceName} (devices: {string.Join(", ", _devices.Select(d => d.Name))})"); }
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

    public void Dispose()
    {
        foreach (var d in Devices)
        {
            d.Reset();
            (d as IDisposable)?.Dispose();
        }
        Memory.Dispose();
    }
}

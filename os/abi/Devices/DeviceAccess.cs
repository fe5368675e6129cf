// os/abi/Devices: everything a driver domain holds for one device the kernel granted it: the register
// window, the descriptor rings by name, the interrupt line. A driver's entry point asks for one
// DeviceAccess per device it drives; the kernel makes fresh ones for each instance (a restarted
// driver re-initialises its device through new capabilities; the old ones refuse every use).
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public sealed unsafe class DeviceAccess : Capability
{
    private readonly DmaRing[] _rings;

    internal DeviceAccess(DeviceBackend device, int registerBytes, DmaRing[] rings, DomainCell* holder) : base(holder)
    {
        Backend = device;
        Name = device.DeviceName;
        Registers = new MmioRegion(device, registerBytes, holder);
        Interrupt = new InterruptLine(device, holder);
        _rings = rings;
    }

    internal DeviceBackend Backend { get; }
    internal IReadOnlyList<DmaRing> AllRings => _rings;

    /// <summary>The device's name on the machine (nvme0, nic0, ...).</summary>
    public string Name { get; }
    public MmioRegion Registers { get; }
    public InterruptLine Interrupt { get; }
    public int RingCount => _rings.Length;

    public override string Describe() => $"device {Name}";

    /// <summary>The ring called <paramref name="name"/> ("rx", "tx", "sq", "cq").</summary>
    public DmaRing Ring(string name)
    {
        CheckLive();
        foreach (var r in _rings) if (r.Name == name) return r;
        throw new ArgumentException($"device {Name} has no ring named '{name}' (rings: {string.Join(", ", _rings.Select(r => r.Name))})", nameof(name));
    }
}

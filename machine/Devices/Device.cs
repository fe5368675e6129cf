// machine/Devices: what every device on the emulated machine has, as on real hardware: a register
// window (MMIO) the driver reads and writes by offset, descriptor rings in memory shared with the
// driver, an interrupt vector, a reset, and fault injection. Devices do their work when the driver
// touches them (a doorbell write, a register read), never on a background thread, so a benchmark on
// a 2-core host measures the driver, not the scheduler.
namespace RedLeaf.Hardware.Devices;

public abstract class Device
{
    private Machine? _machine;

    protected Device(string name) => Name = name;

    /// <summary>The device's name on its machine (nvme0, nic0, ...).</summary>
    public string Name { get; }

    /// <summary>The interrupt vector the machine assigned when the device was attached; -1 before.</summary>
    public int Vector { get; private set; } = -1;

    /// <summary>Faults to inject into this device's operations (none unless armed).</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>Bytes of register space (MMIO) the device decodes.</summary>
    public abstract int RegisterBytes { get; }

    /// <summary>The descriptor rings the device shares with its driver, by name.</summary>
    public virtual IReadOnlyList<DescriptorRing> Rings => Array.Empty<DescriptorRing>();

    /// <summary>Reads a 32-bit register. Offsets were bounds-checked by whoever holds the region.</summary>
    public abstract uint ReadRegister(int offset);

    /// <summary>Writes a 32-bit register (a doorbell write makes the device work).</summary>
    public abstract void WriteRegister(int offset, uint value);

    /// <summary>Stops all device activity and forgets queued work, as a function-level reset does. The
    /// kernel calls it when the driver holding the device dies, before the driver's buffers are freed.</summary>
    public abstract void Reset();

    /// <summary>The machine the device sits on (for DMA and interrupts); throws if not attached.</summary>
    protected Machine Machine => _machine ?? throw new InvalidOperationException($"device {Name} is not attached to a machine");

    internal void AttachTo(Machine machine, int vector)
    {
        if (_machine is not null) throw new InvalidOperationException($"device {Name} is already attached to a machine");
        _machine = machine;
        Vector = vector;
    }

    /// <summary>Signals the device's interrupt vector (delivered unless masked at the controller).</summary>
    protected void RaiseInterrupt() => _machine?.Interrupts.Raise(Vector);

    public override string ToString() => $"{GetType().Name} {Name} (vector {Vector})";
}

// os/abi/Devices: a device's interrupt vector as its driver domain holds it. The driver registers a
// handler (an object of its own, which the kernel reaches through a proxy) and may mask the line, or
// leave it unregistered and poll the device instead. One handler per vector, for the holder only.
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public sealed unsafe class InterruptLine : Capability
{
    private readonly DeviceBackend _device;

    internal InterruptLine(DeviceBackend device, DomainCell* holder) : base(holder) => _device = device;

    public int Vector => _device.Vector;

    /// <summary>Interrupts delivered on this vector so far.</summary>
    public long Delivered => _device.Delivered;

    public override string Describe() => $"interrupt vector {_device.Vector} of {_device.DeviceName}";

    /// <summary>Delivers the vector's interrupts to <paramref name="handler"/> from now on.</summary>
    public void Register(IInterruptHandler handler)
    {
        CheckLive();
        if (handler is null) Violation("register a null interrupt handler");
        if (!_device.Connect(handler)) Violation($"vector {Vector} already has a handler");
    }

    public void Unregister()
    {
        CheckLive();
        _device.Disconnect();
    }

    /// <summary>Masks (true) or unmasks the vector; raises while masked are delivered on unmask.</summary>
    public void Mask(bool masked)
    {
        CheckLive();
        _device.Mask(masked);
    }
}

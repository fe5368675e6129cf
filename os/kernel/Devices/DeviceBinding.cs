// os/kernel/Devices: the kernel's half of one device capability: a machine device bound to the one
// domain instance it was granted to. Register access goes straight to the device model; an interrupt
// handler the driver registers is wrapped in a proxy owned by the driver (so delivery runs as the
// driver, and a crash in the handler crashes the driver, not the machine) and connected to the
// device's vector at the machine's interrupt controller. Revoke disconnects and resets the device.
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;
using RedLeaf.Hardware.Devices;
using RedLeaf.Os.Proxies;

namespace RedLeaf.Os.Devices;

internal sealed class DeviceBinding : DeviceBackend
{
    private readonly Device _device;
    private readonly InterruptController _interrupts;
    private readonly DomainToken _holder;
    private IInterruptHandler? _handler;
    private bool _connected;

    internal DeviceBinding(Device device, InterruptController interrupts, DomainToken holder)
    {
        _device = device;
        _interrupts = interrupts;
        _holder = holder;
    }

    internal Device Device => _device;
    internal override string DeviceName => _device.Name;
    internal override uint Read32(int offset) => _device.ReadRegister(offset);
    internal override void Write32(int offset, uint value) => _device.WriteRegister(offset, value);
    internal override int Vector => _device.Vector;
    internal override long Delivered => _interrupts.Delivered(_device.Vector);

    internal override bool Connect(IInterruptHandler handler)
    {
        lock (this)
        {
            if (_connected) return false;
            _handler = ProxyRuntime.Wrap(handler, _holder); // a proxy into the driver, unbound if it dies
            try { _interrupts.Connect(_device.Vector, Deliver); }
            catch (InvalidOperationException) { _handler = null; return false; }
            _connected = true;
            return true;
        }
    }

    private void Deliver(int vector)
    {
        var h = _handler;
        if (h is null) return;
        var result = h.Interrupt(vector); // a crash in the handler comes back as an error; the driver is cleaned up
        if (!result.IsOk) Disconnect();
    }

    internal override void Disconnect()
    {
        lock (this)
        {
            if (!_connected) return;
            _interrupts.Disconnect(_device.Vector);
            _connected = false;
            _handler = null;
        }
    }

    internal override void Mask(bool masked) => _interrupts.Mask(_device.Vector, masked);

    /// <summary>The holder died: stop the device before anything it may DMA into is freed.</summary>
    internal void Revoke()
    {
        Disconnect();
        _device.Reset();
    }
}

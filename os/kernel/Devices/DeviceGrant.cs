// os/kernel/Devices: makes and revokes the DeviceAccess a driver instance holds for one device. A
// device is granted to one domain at a time (the kernel keeps the table), and each instance of that
// domain gets its own capabilities: revoked when the instance dies (device reset, interrupt line
// disconnected, buffers still in the rings freed or given back), made afresh when it restarts.
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;
using RedLeaf.Hardware.Devices;

namespace RedLeaf.Os.Devices;

internal static unsafe class DeviceGrant
{
    internal static DeviceAccess Make(Device device, InterruptController interrupts, DomainToken holder, DomainToken kernel, byte* memoryBase)
    {
        var binding = new DeviceBinding(device, interrupts, holder);
        var rings = device.Rings.Select(r => new DmaRing(device.Name, r.Name, r.Base, r.Count, r.Stride, r.BufferField,
            holder.Cell, kernel.Cell, memoryBase)).ToArray();
        return new DeviceAccess(binding, device.RegisterBytes, rings, holder.Cell);
    }

    /// <summary>Stops the device, then frees what its rings still hold. Returns the buffers reclaimed.</summary>
    internal static int Revoke(DeviceAccess access)
    {
        ((DeviceBinding)access.Backend).Revoke();
        int held = 0;
        foreach (var r in access.AllRings)
        {
            held += r.HeldCount;
            r.Revoke();
        }
        return held;
    }
}

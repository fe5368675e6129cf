// os/abi/Devices: a device's register window as a driver domain holds it: 32-bit reads and writes by
// offset, bounds- and alignment-checked, reaching the device model through the kernel. No address
// is ever exposed; an offset outside the window faults the driver, never the host.
using System.Runtime.CompilerServices;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public sealed unsafe class MmioRegion : Capability
{
    private readonly DeviceBackend _device;

    internal MmioRegion(DeviceBackend device, int size, DomainCell* holder) : base(holder)
    {
        _device = device;
        Size = size;
    }

    /// <summary>Bytes of register space.</summary>
    public int Size { get; }

    public override string Describe() => $"register region of {_device.DeviceName}, {Size} bytes";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Read32(int offset)
    {
        Check(offset);
        return _device.Read32(offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write32(int offset, uint value)
    {
        Check(offset);
        _device.Write32(offset, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Check(int offset)
    {
        if ((uint)offset > (uint)(Size - 4) || (offset & 3) != 0) OutOfRange(offset);
        CheckLive();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OutOfRange(int offset) =>
        Violation((offset & 3) != 0 && (uint)offset <= (uint)(Size - 4)
            ? $"register access at offset 0x{offset:x} is not 4-byte aligned"
            : $"register access at offset 0x{offset:x} is outside the region (0..0x{Size - 4:x})");
}

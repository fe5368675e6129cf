// os/abi/Devices: the kernel's side of a device capability, implemented in os/kernel over a device of
// the machine (the ABI knows nothing of machine/). Only slow or rare steps go through it besides
// register access: interrupts, revocation.
namespace RedLeaf.Abi.Runtime;

internal abstract class DeviceBackend
{
    internal abstract string DeviceName { get; }
    internal abstract uint Read32(int offset);
    internal abstract void Write32(int offset, uint value);
    internal abstract int Vector { get; }
    /// <summary>Connects the vector to <paramref name="handler"/> (a proxy into the holder); false if taken.</summary>
    internal abstract bool Connect(IInterruptHandler handler);
    internal abstract void Disconnect();
    internal abstract void Mask(bool masked);
    internal abstract long Delivered { get; }
}

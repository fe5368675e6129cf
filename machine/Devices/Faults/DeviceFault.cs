// machine/Devices/Faults: the faults a device can be told to inject, as real hardware fails.
namespace RedLeaf.Hardware.Devices;

public enum DeviceFault
{
    None = 0,
    /// <summary>The operation fails and says so (NVMe: a media error status; NIC: an error bit in the descriptor).</summary>
    IoError,
    /// <summary>The operation is done but its completion is never reported (no CQ entry, no DD bit).</summary>
    LostCompletion,
    /// <summary>The device reads a descriptor with flipped bits (and must reject, not obey, it).</summary>
    CorruptDescriptor,
}

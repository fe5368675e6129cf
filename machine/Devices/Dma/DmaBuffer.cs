// machine/Devices/Dma: the buffer field of a descriptor: where a DMA buffer sits in physical memory
// and how big it is, packed in 8 bytes (address in the low 48 bits, capacity in bytes in the high 16,
// so a device never has to trust a length from elsewhere). Devices check every buffer against the
// machine's DMA window before touching it; a corrupted or forged field becomes an error status.
namespace RedLeaf.Hardware.Devices;

public static unsafe class DmaBuffer
{
    public const int MaxCapacity = ushort.MaxValue;
    private const ulong AddressMask = (1UL << 48) - 1;

    public static ulong Encode(long physicalAddress, int capacity)
    {
        if ((ulong)physicalAddress > AddressMask) throw new ArgumentOutOfRangeException(nameof(physicalAddress), physicalAddress, "a physical address has at most 48 bits");
        if ((uint)capacity > MaxCapacity) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"a DMA buffer holds at most {MaxCapacity} bytes");
        return ((ulong)capacity << 48) | (ulong)physicalAddress;
    }

    public static long AddressOf(ulong field) => (long)(field & AddressMask);
    public static int CapacityOf(ulong field) => (int)(field >> 48);
}

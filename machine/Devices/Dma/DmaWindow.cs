// machine/Devices/Dma: the part of physical memory devices may read and write (the kernel sets it to
// the shared heap's object area, so no device can be pointed at the heap's registry or beyond the end
// of memory). It plays the IOMMU's coarse role; the kernel's ring capabilities play the fine one.
namespace RedLeaf.Hardware.Devices;

public sealed unsafe class DmaWindow
{
    private readonly PhysicalMemory _memory;

    internal DmaWindow(PhysicalMemory memory)
    {
        _memory = memory;
        Start = 0;
        End = memory.Size;
    }

    /// <summary>First physical address devices may touch.</summary>
    public long Start { get; private set; }
    /// <summary>One past the last physical address devices may touch.</summary>
    public long End { get; private set; }

    /// <summary>Narrows (or widens, within memory) what devices may touch.</summary>
    public void Set(long start, long end)
    {
        if (start < 0 || end > _memory.Size || start >= end)
            throw new ArgumentOutOfRangeException(nameof(start), $"DMA window [{start}, {end}) is not inside physical memory of {_memory.Size} bytes");
        Start = start;
        End = end;
    }

    /// <summary>The host address of [address, address+length) if it lies inside the window, else null.</summary>
    public byte* Resolve(long address, int length)
    {
        if (address < Start || length < 0 || address > End - length) return null;
        var b = _memory.Base;
        return b == null ? null : b + address;
    }

    /// <summary>The physical address of a host pointer into memory (the kernel filling a buffer field).</summary>
    public long PhysicalAddressOf(void* p) => (byte*)p - _memory.Base;
}

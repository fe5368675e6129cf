// machine/Devices/Dma: one descriptor ring, memory the device and its driver share (as a real NIC's or
// NVMe controller's rings live in host RAM both sides see). Fixed-size descriptors; one 8-byte field
// of each, the buffer field, tells the device where the buffer is (see DmaBuffer). The ring's memory
// is native and owned by the device; the kernel grants a driver bounds-checked access to it, and only
// the kernel writes buffer fields, so a driver can point the device at nothing but its own buffers.
using System.Runtime.InteropServices;

namespace RedLeaf.Hardware.Devices;

public sealed unsafe class DescriptorRing : IDisposable
{
    public DescriptorRing(string name, int count, int stride, int bufferField)
    {
        if (count < 2 || (count & (count - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(count), count, "a ring holds a power of two (at least 2) descriptors");
        if (stride < 8 || (stride & (stride - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, "a descriptor is a power of two bytes, at least 8");
        if (bufferField != NoBuffers && (bufferField < 0 || bufferField + 8 > stride || (bufferField & 7) != 0))
            throw new ArgumentOutOfRangeException(nameof(bufferField), bufferField, "the buffer field is an aligned 8 bytes inside the descriptor (or NoBuffers)");
        Name = name;
        Count = count;
        Stride = stride;
        BufferField = bufferField;
        Base = (byte*)NativeMemory.AlignedAlloc((nuint)(count * stride), 64);
        NativeMemory.Clear(Base, (nuint)(count * stride));
    }

    /// <summary>For rings whose descriptors point at no buffer (an NVMe completion queue).</summary>
    public const int NoBuffers = -1;

    /// <summary>The ring's name on its device ("rx", "tx", "sq", "cq").</summary>
    public string Name { get; }
    public int Count { get; }
    public int Stride { get; }
    /// <summary>Offset, inside each descriptor, of the 8-byte buffer field (NoBuffers if none).</summary>
    public int BufferField { get; }
    public int Bytes => Count * Stride;
    public byte* Base { get; private set; }

    /// <summary>The first byte of descriptor <paramref name="slot"/> (slot is taken modulo Count).</summary>
    public byte* Slot(int slot) => Base + (slot & (Count - 1)) * Stride;

    /// <summary>Zeroes every descriptor (device reset).</summary>
    public void Clear() => NativeMemory.Clear(Base, (nuint)Bytes);

    public void Dispose()
    {
        if (Base == null) return;
        NativeMemory.AlignedFree(Base);
        Base = null;
    }

    public override string ToString() => $"ring {Name}: {Count} x {Stride} bytes";
}

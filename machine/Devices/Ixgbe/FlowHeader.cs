// machine/Devices/Ixgbe: one frame's 42-byte header (PacketFormat) held as two overlapping vectors, bytes [0, 32)
// and [26, 42), the way the generator copies it into a frame and the sink compares a frame with it: a value
// computed per packet (FlowHeaders, an application's expected header) that never needs storing per flow.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RedLeaf.Hardware.Devices;

public readonly struct FlowHeader
{
    internal const int HighOffset = PacketFormat.HeaderBytes - 16;

    internal readonly Vector256<byte> Low;  // bytes [0, 32)
    internal readonly Vector128<byte> High; // bytes [26, 42)

    internal FlowHeader(Vector256<byte> low, Vector128<byte> high)
    {
        Low = low;
        High = high;
    }

    /// <summary>The header in <paramref name="header"/> (PacketFormat.HeaderBytes bytes).</summary>
    public FlowHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length != PacketFormat.HeaderBytes)
            throw new ArgumentException($"a frame header is {PacketFormat.HeaderBytes} bytes, not {header.Length}", nameof(header));
        ref byte h = ref MemoryMarshal.GetReference(header);
        Low = Unsafe.ReadUnaligned<Vector256<byte>>(ref h);
        High = Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref h, HighOffset));
    }

    /// <summary>Writes the header into the first PacketFormat.HeaderBytes bytes of <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < PacketFormat.HeaderBytes)
            throw new ArgumentException($"a frame header is {PacketFormat.HeaderBytes} bytes; {destination.Length} given", nameof(destination));
        ref byte d = ref MemoryMarshal.GetReference(destination);
        Unsafe.WriteUnaligned(ref d, Low);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, HighOffset), High);
    }

    public byte[] ToArray()
    {
        var h = new byte[PacketFormat.HeaderBytes];
        CopyTo(h);
        return h;
    }

    /// <summary>True if <paramref name="frame"/> begins with this header.</summary>
    public bool Matches(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < PacketFormat.HeaderBytes) return false;
        ref byte f = ref MemoryMarshal.GetReference(frame);
        return Unsafe.ReadUnaligned<Vector256<byte>>(ref f) == Low
            && Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref f, HighOffset)) == High;
    }
}

// machine/Devices/Ixgbe: the header of every flow of the generator's frames (PacketFormat.Header), computed per
// packet from one template instead of stored per flow: a million flows would be a million 42-byte arrays. A flow
// changes four fields of the template (the source address's second byte, the destination address's last two,
// the source port) and with them the IPv4 checksum, which is the template's sum plus the flow's two words, so
// the header is put together in two vector registers with a dozen integer operations and no memory touched.
// PacketFormat.Header stays the byte-by-byte definition; the tests hold this to it.
using System.Buffers.Binary;
using System.Runtime.Intrinsics;

namespace RedLeaf.Hardware.Devices;

public sealed class FlowHeaders
{
    /// <summary>Flows the header can tell apart: 24 bits (the destination address's last two bytes, the source's second).</summary>
    public const int MaxFlows = 1 << 24;

    private readonly ulong _w0, _w8, _w16, _w24; // flow 0's bytes [0, 32) as words, the flow's fields and the checksum zero
    private readonly ulong _w26, _w34;           // its bytes [26, 34) and [34, 42), the same fields zero
    private readonly uint _sum;                  // the IPv4 header's sum of 16-bit words without the flow's fields

    /// <summary>The headers of frames of <paramref name="packetBytes"/> bytes.</summary>
    public FlowHeaders(int packetBytes)
    {
        var h = PacketFormat.Header(0, packetBytes);
        h[PacketFormat.ChecksumOffset] = h[PacketFormat.ChecksumOffset + 1] = 0;
        h[PacketFormat.SourceIpOffset + 1] = 0;
        h[PacketFormat.DestinationIpOffset + 2] = h[PacketFormat.DestinationIpOffset + 3] = 0;
        h[PacketFormat.SourcePortOffset] = h[PacketFormat.SourcePortOffset + 1] = 0;
        _w0 = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(0));
        _w8 = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(8));
        _w16 = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(16));
        _w24 = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(24));
        _w26 = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(26));
        _w34 = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(34));
        for (int i = 14; i < 34; i += 2) _sum += BinaryPrimitives.ReadUInt16BigEndian(h.AsSpan(i));
        PacketBytes = packetBytes;
    }

    public int PacketBytes { get; }

    /// <summary>The header of flow <paramref name="flow"/>: PacketFormat.Header(flow, PacketBytes), as vectors.</summary>
    public FlowHeader Of(int flow)
    {
        if ((uint)flow >= MaxFlows) BadFlow(flow);
        ulong hi = (uint)flow >> 16, lo = (uint)flow & 0xFFFF, port = (uint)(PacketFormat.FirstSourcePort + flow) & 0xFFFF;
        uint sum = _sum + (uint)hi + (uint)lo; // the source address's word gains hi, the destination's last word is lo
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        ulong checksum = ~sum & 0xFFFF;
        ulong w24 = _w24 | checksum >> 8 | (checksum & 0xFF) << 8 | hi << 24; // bytes 24, 25 (checksum, big-endian) and 27
        ulong w26 = _w26 | hi << 8 | (lo >> 8) << 48 | (lo & 0xFF) << 56;    // bytes 27, 32 and 33
        ulong w34 = _w34 | port >> 8 | (port & 0xFF) << 8;                   // bytes 34 and 35
        return new FlowHeader(Vector256.Create(_w0, _w8, _w16, w24).AsByte(), Vector128.Create(w26, w34).AsByte());
    }

    private static void BadFlow(int flow) => throw new ArgumentOutOfRangeException(nameof(flow), flow, $"a frame header tells apart flows 0..{MaxFlows - 1}");
}

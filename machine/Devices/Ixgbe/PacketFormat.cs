// machine/Devices/Ixgbe: what the traffic generator puts on the wire and the sink expects back: a UDP
// over IPv4 over Ethernet frame per flow (a 42-byte header fixed per flow), then the packet's sequence
// number, a check word derived from it, and filler bytes derived from it, so the sink can tell a lost,
// a duplicated and a corrupted packet apart from the bytes alone.
using System.Buffers.Binary;

namespace RedLeaf.Hardware.Devices;

public static class PacketFormat
{
    public const int HeaderBytes = 42;
    public const int SequenceOffset = 42;
    public const int CheckOffset = 50;
    public const int MinBytes = 64;
    public const int MaxBytes = 1514;

    public static ulong CheckWord(ulong seq) => (seq * 0x9E3779B97F4A7C15UL) ^ 0xA5A5_5A5A_0F0F_F0F0UL;
    public static byte Filler(ulong seq) => (byte)(seq * 31 + 7);

    /// <summary>The fixed header of flow <paramref name="flow"/> for frames of <paramref name="bytes"/>.</summary>
    public static byte[] Header(int flow, int bytes)
    {
        var h = new byte[HeaderBytes];
        // Ethernet: destination, source, type IPv4
        new byte[] { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00 }.CopyTo(h, 0);
        // IPv4: version 4, 20-byte header, total length, TTL 64, UDP, 10.0.0.1 -> 10.1.x.y
        h[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(16), (ushort)(bytes - 14));
        h[22] = 64;
        h[23] = 17;
        new byte[] { 10, 0, 0, 1, 10, 1, (byte)(flow >> 8), (byte)flow }.CopyTo(h, 26);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(24), Ipv4Checksum(h.AsSpan(14, 20)));
        // UDP: ports by flow, length
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(34), (ushort)(1024 + flow));
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(36), 5001);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(38), (ushort)(bytes - 34));
        return h;
    }

    /// <summary>Writes packet <paramref name="seq"/> (header from <paramref name="header"/>) into <paramref name="frame"/>.</summary>
    public static void Write(Span<byte> frame, ReadOnlySpan<byte> header, ulong seq)
    {
        header.CopyTo(frame);
        BinaryPrimitives.WriteUInt64LittleEndian(frame[SequenceOffset..], seq);
        BinaryPrimitives.WriteUInt64LittleEndian(frame[CheckOffset..], CheckWord(seq));
        frame[(CheckOffset + 8)..].Fill(Filler(seq));
    }

    /// <summary>The sequence number a frame claims (whether or not the rest of it is intact).</summary>
    public static ulong SequenceOf(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt64LittleEndian(frame[SequenceOffset..]);

    /// <summary>True if the frame is exactly what the generator wrote for its sequence number.</summary>
    public static bool Intact(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> header, ulong seq) =>
        frame[..HeaderBytes].SequenceEqual(header)
        && BinaryPrimitives.ReadUInt64LittleEndian(frame[CheckOffset..]) == CheckWord(seq)
        && !frame[(CheckOffset + 8)..].ContainsAnyExcept(Filler(seq));

    private static ushort Ipv4Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}

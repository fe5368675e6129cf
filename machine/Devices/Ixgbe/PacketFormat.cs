// machine/Devices/Ixgbe: what the traffic generator puts on the wire and the sink expects back: a UDP
// over IPv4 over Ethernet frame per flow (a 42-byte header fixed per flow: the flow's number, up to 2^24, is in
// its addresses and source port; FlowHeaders computes it per packet), then the packet's sequence
// number, a check word derived from it, and filler bytes derived from it, so the sink can tell a lost,
// a duplicated and a corrupted packet apart from the bytes alone. Write and Intact run once per packet
// on the NIC's hot path (generator and sink), so the fixed 42-byte header is copied and compared as two
// overlapping vectors and the filler as 8-byte words, with no calls for the short frames a line-rate
// test sends.
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RedLeaf.Hardware.Devices;

public static class PacketFormat
{
    public const int HeaderBytes = 42;
    public const int SequenceOffset = 42;
    public const int CheckOffset = 50;
    /// <summary>Where the filler starts, and a request (IRequestSource) when the generator carries one.</summary>
    public const int BodyOffset = 58;
    public const int MinBytes = 64;
    public const int MaxBytes = 1514;
    /// <summary>Where the header's fields that vary with the flow are (FlowHeaders patches them into a template).</summary>
    public const int ChecksumOffset = 24, SourceIpOffset = 26, DestinationIpOffset = 30, SourcePortOffset = 34;
    /// <summary>Flow f's source port is FirstSourcePort + f, modulo 2^16 (the flow is told apart by its addresses).</summary>
    public const int FirstSourcePort = 1024;

    public static ulong CheckWord(ulong seq) => (seq * 0x9E3779B97F4A7C15UL) ^ 0xA5A5_5A5A_0F0F_F0F0UL;
    public static byte Filler(ulong seq) => (byte)(seq * 31 + 7);

    /// <summary>The fixed header of flow <paramref name="flow"/> for frames of <paramref name="bytes"/>.</summary>
    public static byte[] Header(int flow, int bytes)
    {
        var h = new byte[HeaderBytes];
        // Ethernet: destination, source, type IPv4
        new byte[] { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00 }.CopyTo(h, 0);
        // IPv4: version 4, 20-byte header, total length, TTL 64, UDP, 10.z.0.1 -> 10.1.x.y for flow z.x.y (z is 0
        // below 65,536 flows)
        if ((uint)flow >= FlowHeaders.MaxFlows) throw new ArgumentOutOfRangeException(nameof(flow), flow, $"a frame header tells apart flows 0..{FlowHeaders.MaxFlows - 1}");
        h[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(16), (ushort)(bytes - 14));
        h[22] = 64;
        h[23] = 17;
        new byte[] { 10, (byte)(flow >> 16), 0, 1, 10, 1, (byte)(flow >> 8), (byte)flow }.CopyTo(h, SourceIpOffset);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(ChecksumOffset), Ipv4Checksum(h.AsSpan(14, 20)));
        // UDP: ports by flow, length
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(SourcePortOffset), (ushort)(FirstSourcePort + flow));
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(36), 5001);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(38), (ushort)(bytes - 34));
        return h;
    }

    /// <summary>Writes packet <paramref name="seq"/> (header from <paramref name="header"/>) into <paramref name="frame"/>.</summary>
    public static void Write(Span<byte> frame, ReadOnlySpan<byte> header, ulong seq)
    {
        if (frame.Length < MinBytes || header.Length != HeaderBytes) BadFrame();
        Write(frame, new FlowHeader(header), seq);
    }

    /// <summary>Writes packet <paramref name="seq"/> with header <paramref name="header"/> into <paramref name="frame"/>.</summary>
    public static void Write(Span<byte> frame, in FlowHeader header, ulong seq)
    {
        if (frame.Length < MinBytes) BadFrame();
        ref byte f = ref MemoryMarshal.GetReference(frame);
        // 42 bytes: [0, 32) and [26, 42), overlapping.
        Unsafe.WriteUnaligned(ref f, header.Low);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref f, FlowHeader.HighOffset), header.High);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref f, SequenceOffset), seq);      // little-endian machine
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref f, CheckOffset), CheckWord(seq));
        ulong fill = Filler(seq) * 0x0101_0101_0101_0101UL;
        int end = frame.Length, i = CheckOffset + 8;
        if (end - i > 256) { frame[i..].Fill(Filler(seq)); return; }
        for (; i + 8 <= end; i += 8) Unsafe.WriteUnaligned(ref Unsafe.Add(ref f, i), fill);
        if (i + 4 <= end) { Unsafe.WriteUnaligned(ref Unsafe.Add(ref f, i), (uint)fill); i += 4; }
        if (i + 2 <= end) { Unsafe.WriteUnaligned(ref Unsafe.Add(ref f, i), (ushort)fill); i += 2; }
        if (i < end) Unsafe.Add(ref f, i) = (byte)fill;
    }

    /// <summary>The sequence number a frame claims (whether or not the rest of it is intact).</summary>
    public static ulong SequenceOf(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt64LittleEndian(frame[SequenceOffset..]);

    /// <summary>True if the frame is exactly what the generator wrote for its sequence number.</summary>
    public static bool Intact(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> header, ulong seq) =>
        header.Length == HeaderBytes && Intact(frame, new FlowHeader(header), seq);

    /// <summary>True if the frame is exactly what the generator wrote for its sequence number with this header.</summary>
    public static bool Intact(ReadOnlySpan<byte> frame, in FlowHeader header, ulong seq)
    {
        if (frame.Length < MinBytes) return false;
        ref byte f = ref MemoryMarshal.GetReference(frame);
        if (Unsafe.ReadUnaligned<Vector256<byte>>(ref f) != header.Low) return false;
        if (Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref f, FlowHeader.HighOffset)) != header.High) return false;
        if (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref f, CheckOffset)) != CheckWord(seq)) return false;
        int end = frame.Length, i = CheckOffset + 8;
        if (end - i > 256) return !frame[i..].ContainsAnyExcept(Filler(seq));
        ulong fill = Filler(seq) * 0x0101_0101_0101_0101UL, diff = 0;
        for (; i + 8 <= end; i += 8) diff |= Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref f, i)) ^ fill;
        if (i + 4 <= end) { diff |= Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref f, i)) ^ (uint)fill; i += 4; }
        if (i + 2 <= end) { diff |= (ushort)(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref f, i)) ^ (ushort)fill); i += 2; }
        if (i < end) diff |= (byte)(Unsafe.Add(ref f, i) ^ (byte)fill);
        return diff == 0;
    }

    /// <summary>True if everything after the header (sequence number, check word, filler) is what the generator
    /// wrote for <paramref name="seq"/>: the frame was rewritten, not damaged, if only its header differs.</summary>
    public static bool IntactBody(ReadOnlySpan<byte> frame, ulong seq)
    {
        if (frame.Length < MinBytes || SequenceOf(frame) != seq) return false;
        if (BinaryPrimitives.ReadUInt64LittleEndian(frame[CheckOffset..]) != CheckWord(seq)) return false;
        return !frame[(CheckOffset + 8)..].ContainsAnyExcept(Filler(seq));
    }

    /// <summary>True if the frame carries <paramref name="seq"/> and its check word: the number is sound, whatever follows.</summary>
    public static bool IntactNumber(ReadOnlySpan<byte> frame, ulong seq) =>
        frame.Length >= MinBytes && SequenceOf(frame) == seq && BinaryPrimitives.ReadUInt64LittleEndian(frame[CheckOffset..]) == CheckWord(seq);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BadFrame() => throw new ArgumentException($"a frame is at least {MinBytes} bytes and its header {HeaderBytes}");

    private static ushort Ipv4Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}

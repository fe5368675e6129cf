// domains/workloads/maglev: what the balancer reads and writes of a frame (UDP over IPv4 over Ethernet, the
// NIC model's format, machine/Devices/Ixgbe/PacketFormat.cs): the flow's 5-tuple, hashed, and the
// destination (MAC and IPv4 address, with the IPv4 checksum recomputed) rewritten to the chosen backend's.
// Backend b is at 02:42:00:00:bb:bb, 10.2.bb.bb. Shared with the host, which computes the header each
// flow must reach the sink with. Bytes are put together by hand: BinaryPrimitives is not on the IL gate's
// allow-list for domains.
namespace Domains.Workloads.Maglev;

public static class MaglevFrame
{
    /// <summary>Bytes of header the balancer reads and rewrites (Ethernet, IPv4, UDP).</summary>
    public const int HeaderBytes = 42;
    private const int Protocol = 23, Checksum = 24, SourceIp = 26, DestinationIp = 30, Ports = 34, IpStart = 14, IpBytes = 20;

    /// <summary>The flow's 5-tuple as two words: the addresses, and the ports with the protocol (bit 63 set, so
    /// no key is 0: the connection table's empty slot).</summary>
    public static void Key(ReadOnlySpan<byte> header, out ulong addresses, out ulong portsAndProtocol)
    {
        addresses = 0;
        for (int i = 7; i >= 0; i--) addresses = addresses << 8 | header[SourceIp + i]; // source then destination, as loaded little-endian
        portsAndProtocol = (ulong)header[Ports] | (ulong)header[Ports + 1] << 8 | (ulong)header[Ports + 2] << 16 | (ulong)header[Ports + 3] << 24
            | (ulong)header[Protocol] << 32 | 1UL << 63;
    }

    /// <summary>The flow's hash, from its key (a multiply-xorshift mix; its top bits pick the Maglev slot).</summary>
    public static ulong Hash(ulong addresses, ulong portsAndProtocol)
    {
        ulong h = addresses * 0x9E3779B97F4A7C15UL ^ portsAndProtocol * 0xC2B2AE3D27D4EB4FUL;
        h ^= h >> 29; h *= 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 32);
    }

    /// <summary>Sends the frame to backend <paramref name="backend"/>: destination MAC and IPv4 address, and the
    /// IPv4 header's checksum.</summary>
    public static void Rewrite(Span<byte> header, int backend)
    {
        header[0] = 0x02; header[1] = 0x42; header[2] = 0; header[3] = 0;
        header[4] = (byte)(backend >> 8); header[5] = (byte)backend;
        header[DestinationIp] = 10; header[DestinationIp + 1] = 2;
        header[DestinationIp + 2] = (byte)(backend >> 8); header[DestinationIp + 3] = (byte)backend;
        header[Checksum] = 0; header[Checksum + 1] = 0;
        uint sum = 0;
        for (int i = IpStart; i < IpStart + IpBytes; i += 2) sum += (uint)(header[i] << 8 | header[i + 1]);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        sum = ~sum;
        header[Checksum] = (byte)(sum >> 8);
        header[Checksum + 1] = (byte)sum;
    }
}

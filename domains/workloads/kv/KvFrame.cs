// domains/workloads/kv: the key-value store's wire format, MICA-like (Lim et al., NSDI 2014): one request per
// UDP frame of the NIC model (machine/Devices/Ixgbe/PacketFormat.cs), written by the host's clients after the
// generator's sequence number and check word, answered in the same frame and sent back. Shared with the host
// (benchmarks/RedLeaf.Benchmarks, compiled in), which writes the requests and checks the replies.
//
//   bytes    request                                  reply
//   0..42    Ethernet, IPv4, UDP (client -> store)    the same, source and destination swapped (MAC, IPv4, port)
//   42..50   request id (u64, little-endian; the generator's sequence number)                       unchanged
//   50..58   the generator's check word of the id                                                   unchanged
//   58       op: 1 GET, 2 SET                         op | 0x80
//   59       0                                        status: 0 OK, 1 NOT_FOUND (GET), 2 FULL (SET), 3 BAD_REQUEST
//   60       value length, 0..64 (SET; 0 for a GET)   the value's length (GET found; SET: echoed; else 0)
//   61..64   0                                        0
//   64..72   key (8 bytes, u64 little-endian)         unchanged
//   72..136  value, zero past its length (SET)        GET found: the value, zero past its length; NOT_FOUND: zero;
//                                                     SET: unchanged (echoed)
//
// A frame is 136 bytes. Bytes are put together by hand: BinaryPrimitives is not on the IL gate's allow-list.
namespace Domains.Workloads.Kv;

public static class KvFrame
{
    public const int FrameBytes = 136, HeaderBytes = 42, IdOffset = 42;
    public const int OpOffset = 58, StatusOffset = 59, LengthOffset = 60, KeyOffset = 64, ValueOffset = 72;
    public const int MaxValueBytes = 64;
    public const byte Get = 1, Set = 2, ReplyBit = 0x80;
    public const byte Ok = 0, NotFound = 1, Full = 2, BadRequest = 3;

    public static ulong ReadU64(ReadOnlySpan<byte> b, int at)
    {
        ulong v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | b[at + i];
        return v;
    }

    public static void WriteU64(Span<byte> b, int at, ulong v)
    {
        for (int i = 0; i < 8; i++) { b[at + i] = (byte)v; v >>= 8; }
    }

    /// <summary>Turns a request's header into its reply's: source and destination swapped (MAC, IPv4 address, UDP port).
    /// The IPv4 checksum, a sum of 16-bit words, does not change.</summary>
    public static void SwapAddresses(Span<byte> h)
    {
        Swap(h, 0, 6, 6);
        Swap(h, 26, 30, 4);
        Swap(h, 34, 36, 2);
    }

    private static void Swap(Span<byte> h, int a, int b, int n)
    {
        for (int i = 0; i < n; i++) (h[a + i], h[b + i]) = (h[b + i], h[a + i]);
    }

    /// <summary>The store's hash of a key (a multiply-xorshift mix): top bits pick the partition, low bits the slot.</summary>
    public static ulong Hash(ulong key)
    {
        ulong h = key * 0x9E3779B97F4A7C15UL;
        h ^= h >> 31; h *= 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 29);
    }
}

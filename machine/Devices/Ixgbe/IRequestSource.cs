// machine/Devices/Ixgbe: what an application's clients put in the frames the traffic generator sends: after
// the generator has written frame n (header, sequence number, check word, filler), a request source writes
// its request n over the bytes after the check word (PacketFormat.BodyOffset on). Requests are a function of
// n alone, so the sink's reply checker can tell which request a returning frame carried from its number.
namespace RedLeaf.Hardware.Devices;

public interface IRequestSource
{
    /// <summary>Writes request <paramref name="seq"/> into <paramref name="frame"/> from PacketFormat.BodyOffset to its end.</summary>
    void Write(Span<byte> frame, ulong seq);
}

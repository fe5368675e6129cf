// machine/Devices/Ixgbe: what the sink asks of an application that answers requests (IRequestSource): is the
// frame that came back with number n the right reply to request n? The sink calls it for each frame in
// order of its number, never for a duplicate; a number it skips (a lost frame) it never shows, so a checker
// that keeps a model of the server's state sees the gap in the numbers and treats those requests as unknown.
namespace RedLeaf.Hardware.Devices;

public interface IReplyChecker
{
    /// <summary>True if <paramref name="frame"/> (its header and check word already checked by the sink) is the right reply
    /// to request <paramref name="seq"/>, given every reply checked before it.</summary>
    bool Check(ReadOnlySpan<byte> frame, ulong seq);
}

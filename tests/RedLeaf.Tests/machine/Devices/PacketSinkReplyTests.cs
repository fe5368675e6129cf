// tests/machine/Devices: the sink's check of frames that carry an application's replies (machine/Devices/Ixgbe/
// PacketSink.cs, ExpectReplies; the generator's IRequestSource): the checker sees each frame once, in order of its
// number (never a duplicate), a reply it refuses is counted as wrong, a frame whose number or check word is damaged
// is corrupted (not shown to the checker), and a gap in the numbers is lost.
using RedLeaf.Hardware.Devices;
using Xunit;

namespace RedLeaf.Tests.Devices;

[Trait("suite", "devices")]
public class PacketSinkReplyTests
{
    private sealed class EchoRequests : IRequestSource
    {
        public void Write(Span<byte> frame, ulong seq) => frame[PacketFormat.BodyOffset] = (byte)(seq * 3);
    }

    /// <summary>Accepts a reply whose first body byte is its request's plus one; records the numbers it saw.</summary>
    private sealed class PlusOne : IReplyChecker
    {
        public List<ulong> Seen { get; } = new();
        public bool Check(ReadOnlySpan<byte> frame, ulong seq)
        {
            Seen.Add(seq);
            return frame[PacketFormat.BodyOffset] == (byte)(seq * 3 + 1);
        }
    }

    [Fact]
    public void RepliesAreCheckedInOrderOnceEachAndCanBeWrong()
    {
        var gen = new TrafficGenerator(packetBytes: 64, flows: 2, lineRate: false) { Requests = new EchoRequests() };
        var sink = new PacketSink(gen);
        var checker = new PlusOne();
        sink.ExpectReplies(checker);
        var frame = new byte[64];
        void Send(ulong seq, int answer, Action<byte[]>? damage = null)
        {
            gen.Write(frame, seq);
            Assert.Equal((byte)(seq * 3), frame[PacketFormat.BodyOffset]); // the request source wrote its request
            frame[PacketFormat.BodyOffset] = (byte)(seq * 3 + (ulong)answer);
            damage?.Invoke(frame);
            sink.Accept(frame);
        }

        Send(0, 1);
        Send(1, 1);
        Assert.True(sink.Clean, sink.ToString());
        Send(2, 2); // a wrong reply
        Assert.Equal(1, sink.WrongReplies);
        Send(2, 1); // a duplicate: not shown to the checker
        Assert.Equal(1, sink.Duplicated);
        Send(3, 1, f => f[PacketFormat.CheckOffset] ^= 1); // its check word damaged
        Assert.Equal(1, sink.Corrupted);
        Send(5, 1); // 3 (corrupted) and 4 never arrived intact
        Assert.Equal(2, sink.Lost);
        Assert.Equal(new ulong[] { 0, 1, 2, 5 }, checker.Seen);
        Assert.False(sink.Clean);
        Assert.Contains("1 wrong replies", sink.ToString());
    }
}

// tests/machine/Devices: the sink's check of frames an application rewrote on the way (machine/Devices/Ixgbe/
// PacketSink.cs, ExpectHeaders): a frame with the expected header for its flow is clean, one with another
// header but an intact body is misrouted (and not also lost), one with a damaged body is corrupted (and lost as well only if its number is damaged too), and expected headers that do
// not cover every flow are refused with a message saying so. The same with the expected headers computed per frame
// (ExpectFlowHeaders), as a balancer over a million flows gives them.
using RedLeaf.Hardware.Devices;
using Xunit;

namespace RedLeaf.Tests.Devices;

[Trait("suite", "devices")]
public class PacketSinkTests
{
    [Fact]
    public void ARewrittenFrameIsCleanMisroutedOrCorruptedByItsHeaderAndBody()
    {
        var gen = new TrafficGenerator(packetBytes: 64, flows: 4, lineRate: false);
        var sink = new PacketSink(gen);
        var expected = Enumerable.Range(0, 4).Select(f => { var h = PacketFormat.Header(f, 64); h[5] = (byte)(0x80 + f); return h; }).ToArray();
        sink.ExpectHeaders(expected);
        var frame = new byte[64];

        gen.Write(frame, 0);
        frame[5] = 0x80; // rewritten as expected for flow 0
        sink.Accept(frame);
        Assert.True(sink.Clean, sink.ToString());

        gen.Write(frame, 1);
        frame[5] = 0x80; // flow 1 sent where flow 0 goes
        sink.Accept(frame);
        Assert.Equal(1, sink.Misrouted);

        gen.Write(frame, 2);
        frame[5] = 0x82;
        frame[63] ^= 1; // the right header, a damaged body
        sink.Accept(frame);
        Assert.Equal((1, 1), (sink.Misrouted, sink.Corrupted));
        Assert.False(sink.Clean);

        sink.ExpectHeaders(null); // the generator's own headers again
        gen.Write(frame, 3);
        sink.Accept(frame);
        // The misrouted frame's number was sound and counted as seen; so was the corrupted one's (its check word
        // vouches for it: frame 2 arrived, damaged), so nothing is missing from the sequence.
        Assert.Equal((1L, 1L, 0L), (sink.Misrouted, sink.Corrupted, sink.Lost));

        gen.Write(frame, 4);
        frame[PacketFormat.SequenceOffset] ^= 1; // the number itself damaged: which frame it was is unknown
        sink.Accept(frame);
        gen.Write(frame, 5);
        sink.Accept(frame);
        Assert.Equal((2L, 1L), (sink.Corrupted, sink.Lost)); // frame 4 corrupted, and missing from the sequence
        Assert.Equal(6, sink.Expected);
    }

    [Fact]
    public void ExpectedHeadersMustCoverEveryFlow()
    {
        var sink = new PacketSink(new TrafficGenerator(packetBytes: 64, flows: 4, lineRate: false));
        var e = Assert.Throws<ArgumentException>(() => sink.ExpectHeaders(new byte[3][]));
        Assert.Contains("4 flows, 3 headers", e.Message);
        e = Assert.Throws<ArgumentException>(() => sink.ExpectHeaders(new[] { new byte[42], new byte[42], new byte[41], new byte[42] }));
        Assert.Contains("flow 2", e.Message);
    }

    /// <summary>Expects flow f's header with byte 5 (the destination MAC's last) set to f mod 200 + 1: a rewrite per flow.</summary>
    private sealed class MarkedHeaders(FlowHeaders sent) : IFlowHeaders
    {
        public int Asked { get; private set; }

        public FlowHeader HeaderOf(int flow)
        {
            Asked++;
            Span<byte> h = stackalloc byte[PacketFormat.HeaderBytes];
            sent.Of(flow).CopyTo(h);
            h[5] = (byte)(flow % 200 + 1);
            return new FlowHeader(h);
        }
    }

    [Fact]
    public void HeadersComputedPerFrameAreCheckedLikeStoredOnes()
    {
        const int flows = 1 << 20;
        var gen = new TrafficGenerator(packetBytes: 64, flows: flows, lineRate: false);
        var sink = new PacketSink(gen);
        var expected = new MarkedHeaders(new FlowHeaders(64));
        sink.ExpectFlowHeaders(expected);
        var frame = new byte[64];
        foreach (ulong seq in new ulong[] { 0, 1, 1_000_000 })
        {
            gen.Write(frame, seq);
            frame[5] = (byte)(gen.FlowOf(seq) % 200 + 1); // rewritten as expected
            sink.Accept(frame);
        }
        Assert.Equal((0L, 0L, 0L), (sink.Misrouted, sink.Corrupted, sink.Duplicated));
        Assert.Equal(3, expected.Asked);

        gen.Write(frame, 1_000_001);
        frame[5] = (byte)(1_000_000 % 200 + 1); // flow 1,000,001 sent where flow 1,000,000 goes
        sink.Accept(frame);
        Assert.Equal(1, sink.Misrouted);

        sink.ExpectFlowHeaders(null); // the generator's own headers again
        gen.Write(frame, 1_000_002);
        sink.Accept(frame);
        Assert.Equal((1L, 0L), (sink.Misrouted, sink.Corrupted));
        Assert.Equal(1_000_003, sink.Expected);
    }
}

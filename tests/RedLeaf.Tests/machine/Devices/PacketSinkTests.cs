// tests/machine/Devices: the sink's check of frames an application rewrote on the way (machine/Devices/Ixgbe/
// PacketSink.cs, ExpectHeaders): a frame with the expected header for its flow is clean, one with another
// header but an intact body is misrouted (and not also lost), one with a damaged body is corrupted, and expected headers that do
// not cover every flow are refused with a message saying so.
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
        // The misrouted frame's number was sound and counted as seen; the corrupted one's was not trusted, so
        // frame 2 is also missing from the sequence.
        Assert.Equal((1L, 1L, 1L), (sink.Misrouted, sink.Corrupted, sink.Lost));
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
}

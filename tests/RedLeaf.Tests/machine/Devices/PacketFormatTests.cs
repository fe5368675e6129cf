// tests/machine/Devices: the frames the NIC's generator writes and its sink checks (machine/Devices/Ixgbe/
// PacketFormat.cs), byte by byte: the word-at-a-time writer and checker must agree with the format's
// definition for every frame length, and every single damaged byte must be caught, so the sink's
// "corrupted" count stays honest. Flow counts that are not powers of two take the division path. The headers
// the generator computes per packet (FlowHeaders) are the definition's, byte for byte, up to 2^24 flows, and a
// frame of flow 1,000,000 goes through the generator and the sink like any other.
using RedLeaf.Hardware.Devices;
using Xunit;

namespace RedLeaf.Tests.Devices;

[Trait("suite", "devices")]
public class PacketFormatTests
{
    public static TheoryData<int> Lengths => new() { 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 79, 80, 127, 128, 300, 313, 314, 315, 316, 1000, 1514 };

    [Theory, MemberData(nameof(Lengths))]
    public void WritesTheDefinedBytesAndCatchesEveryDamagedByte(int length)
    {
        var header = PacketFormat.Header(5, length);
        foreach (ulong seq in new ulong[] { 0, 1, 255, 256, 0x0123_4567_89AB_CDEF, ulong.MaxValue })
        {
            var frame = new byte[length + 8];
            frame.AsSpan().Fill(0xEE); // the writer must not touch bytes past the frame
            PacketFormat.Write(frame.AsSpan(0, length), header, seq);
            Assert.Equal(header, frame[..PacketFormat.HeaderBytes]);
            Assert.Equal(seq, PacketFormat.SequenceOf(frame));
            Assert.Equal(PacketFormat.CheckWord(seq), BitConverter.ToUInt64(frame, PacketFormat.CheckOffset));
            for (int i = PacketFormat.CheckOffset + 8; i < length; i++) Assert.Equal(PacketFormat.Filler(seq), frame[i]);
            for (int i = length; i < frame.Length; i++) Assert.Equal(0xEE, frame[i]);

            var span = frame.AsSpan(0, length);
            Assert.True(PacketFormat.Intact(span, header, seq));
            for (int i = 0; i < length; i++)
            {
                if (i >= PacketFormat.SequenceOffset && i < PacketFormat.CheckOffset) continue; // the number itself: checked against the check word below
                frame[i] ^= 0x10;
                Assert.False(PacketFormat.Intact(span, header, seq), $"a flipped byte {i} of a {length}-byte frame went unnoticed");
                frame[i] ^= 0x10;
            }
            Assert.False(PacketFormat.Intact(span, header, seq + 1)); // another number's check word and filler
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(100)]
    public void TheSinkExpectsTheHeaderOfEachFrameFlow(int flows)
    {
        var wire = new TrafficGenerator(packetBytes: 64, flows: flows, lineRate: false);
        var sink = new PacketSink(wire);
        var frame = new byte[64];
        for (ulong seq = 0; seq < 500; seq++)
        {
            wire.Write(frame, seq);
            Assert.Equal(PacketFormat.Header((int)(seq % (ulong)flows), 64), frame[..PacketFormat.HeaderBytes]);
            sink.Accept(frame);
        }
        Assert.True(sink.Clean, sink.ToString());
        Assert.Equal(500, sink.Expected);
    }

    public static TheoryData<int> FlowNumbers => new() { 0, 1, 255, 256, 1023, 64511, 64512, 65535, 65536, 65537, 1_000_000, (1 << 20) - 1, FlowHeaders.MaxFlows - 1 };

    [Theory, MemberData(nameof(FlowNumbers))]
    public void ComputedHeadersAreTheDefinitionsAndTellFlowsApart(int flow)
    {
        foreach (int bytes in new[] { 64, 99, 1514 })
        {
            var header = PacketFormat.Header(flow, bytes);
            Assert.Equal(header, new FlowHeaders(bytes).Of(flow).ToArray());
            Assert.True(new FlowHeader(header).Matches(header));
            // A valid IPv4 header: the one's-complement sum over its words, checksum included, is 0xFFFF.
            uint sum = 0;
            for (int i = 14; i < 34; i += 2) sum += (uint)(header[i] << 8 | header[i + 1]);
            while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
            Assert.Equal(0xFFFFu, sum);
        }
        // The flow is in the addresses: 10.<flow bits 16..23>.0.1 -> 10.1.<bits 8..15>.<bits 0..7>.
        var h = PacketFormat.Header(flow, 64);
        Assert.Equal(new byte[] { 10, (byte)(flow >> 16), 0, 1, 10, 1, (byte)(flow >> 8), (byte)flow }, h[26..34]);
        if (flow > 0) Assert.False(new FlowHeaders(64).Of(flow - 1).Matches(h));
    }

    [Fact]
    public void AFlowBeyondTheHeadersRangeIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlowHeaders(64).Of(FlowHeaders.MaxFlows));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlowHeaders(64).Of(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PacketFormat.Header(FlowHeaders.MaxFlows, 64));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TrafficGenerator(flows: FlowHeaders.MaxFlows + 1));
        Assert.Contains("16777216 flows", e.Message);
    }

    [Fact]
    public void AFrameOfFlowOneMillionRoundTripsThroughTheGeneratorAndTheSink()
    {
        const int flows = 1 << 20;
        var wire = new TrafficGenerator(packetBytes: 64, flows: flows, lineRate: false);
        var sink = new PacketSink(wire);
        var frame = new byte[64];
        for (ulong seq = 0; seq <= flows; seq++)
        {
            wire.Write(frame, seq);
            if (seq == 1_000_000)
            {
                Assert.Equal(1_000_000, wire.FlowOf(seq));
                Assert.Equal(PacketFormat.Header(1_000_000, 64), frame[..PacketFormat.HeaderBytes]);
                Assert.True(PacketFormat.Intact(frame, PacketFormat.Header(1_000_000, 64), seq));
                Assert.False(PacketFormat.Intact(frame, PacketFormat.Header(1_000_000 - 65536, 64), seq)); // the same low 16 bits, another flow
            }
            sink.Accept(frame);
        }
        Assert.Equal(PacketFormat.Header(0, 64), frame[..PacketFormat.HeaderBytes]); // seq 2^20 is flow 0 again
        Assert.True(sink.Clean, sink.ToString());
        Assert.Equal(flows + 1, sink.Expected);
    }
}

// tests/machine/Devices: the frames the NIC's generator writes and its sink checks (machine/Devices/Ixgbe/
// PacketFormat.cs), byte by byte: the word-at-a-time writer and checker must agree with the format's
// definition for every frame length, and every single damaged byte must be caught, so the sink's
// "corrupted" count stays honest. Flow counts that are not powers of two take the division path.
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
}

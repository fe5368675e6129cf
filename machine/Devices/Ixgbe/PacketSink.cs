// machine/Devices/Ixgbe: the far end of the NIC's transmit wire: checks every frame against what the
// generator would have written for the sequence number it carries. Expecting consecutive numbers, it
// counts a gap as lost frames, a number at or below one already seen as a duplicate, and a frame
// whose bytes do not match its number as corrupted.
namespace RedLeaf.Hardware.Devices;

public sealed class PacketSink
{
    private readonly TrafficGenerator _format;
    private ulong _expected;

    /// <summary>A sink expecting the frames <paramref name="format"/> writes (its size and flows).</summary>
    public PacketSink(TrafficGenerator format) => _format = format;

    public long Received { get; private set; }
    public long Lost { get; private set; }
    public long Duplicated { get; private set; }
    public long Corrupted { get; private set; }
    /// <summary>Frames of the wrong length.</summary>
    public long Malformed { get; private set; }
    /// <summary>The next sequence number the sink expects.</summary>
    public long Expected => (long)_expected;

    /// <summary>Nothing lost, duplicated, corrupted or malformed so far.</summary>
    public bool Clean => Lost == 0 && Duplicated == 0 && Corrupted == 0 && Malformed == 0;

    public void Accept(ReadOnlySpan<byte> frame)
    {
        Received++;
        if (frame.Length != _format.PacketBytes) { Malformed++; return; }
        ulong seq = PacketFormat.SequenceOf(frame);
        if (!PacketFormat.Intact(frame, _format.HeaderOf(seq), seq)) { Corrupted++; return; }
        if (seq == _expected) { _expected++; return; }
        if (seq < _expected) { Duplicated++; return; }
        Lost += (long)(seq - _expected);
        _expected = seq + 1;
    }

    public override string ToString() =>
        $"sink: {Received} received, {Lost} lost, {Duplicated} duplicated, {Corrupted} corrupted, {Malformed} malformed";
}

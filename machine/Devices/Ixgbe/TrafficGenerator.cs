// machine/Devices/Ixgbe: the far end of the NIC's receive wire: writes real frames (PacketFormat) with
// consecutive sequence numbers, spread round-robin over a number of flows (up to 2^24: each frame's header is
// computed from its flow, FlowHeaders, not stored per flow), at line rate or unpaced.
// It never skips a number: a frame that finds no free receive descriptor is not sent yet (the wire's
// unused credit is counted as forgone by the pacer), so every gap the sink sees was lost inside. An
// application's clients (IRequestSource) may write a request into each frame after its check word.
namespace RedLeaf.Hardware.Devices;

public sealed class TrafficGenerator
{
    private readonly FlowHeaders _headers;
    private readonly ulong _flowMask; // Flows - 1 when Flows is a power of two (no division per packet), else 0

    public TrafficGenerator(int packetBytes = 64, int flows = 1, bool lineRate = true, int burst = 512)
    {
        if (packetBytes is < PacketFormat.MinBytes or > PacketFormat.MaxBytes)
            throw new ArgumentOutOfRangeException(nameof(packetBytes), packetBytes, $"packets are {PacketFormat.MinBytes}..{PacketFormat.MaxBytes} bytes");
        if (flows is < 1 or > FlowHeaders.MaxFlows) throw new ArgumentOutOfRangeException(nameof(flows), flows, $"1..{FlowHeaders.MaxFlows} flows");
        PacketBytes = packetBytes;
        Flows = flows;
        _headers = new FlowHeaders(packetBytes);
        _flowMask = ulong.IsPow2((ulong)flows) ? (ulong)flows - 1 : 0;
        Pacer = new LinePacer(lineRate ? LinePacer.LineRate(packetBytes) : 0, burst);
    }

    public int PacketBytes { get; }
    public int Flows { get; }
    public LinePacer Pacer { get; }
    /// <summary>While true the wire carries nothing (a pulled cable, for tests).</summary>
    public bool Paused { get; set; }
    /// <summary>When set, writes each frame's request after its check word (an application's clients); null: filler only.</summary>
    public IRequestSource? Requests { get; set; }
    /// <summary>Frames written so far; also the next sequence number.</summary>
    public long Generated { get; private set; }

    /// <summary>The header of frame <paramref name="seq"/>: its flow's (PacketFormat.Header).</summary>
    internal FlowHeader HeaderOf(ulong seq) => _headers.Of(FlowOf(seq));

    /// <summary>The flow frame <paramref name="seq"/> belongs to (round-robin over the flows).</summary>
    public int FlowOf(ulong seq) => (int)(_flowMask != 0 || Flows == 1 ? seq & _flowMask : seq % (ulong)Flows);

    /// <summary>Writes the next frame into <paramref name="frame"/> (at least PacketBytes long).</summary>
    internal void WriteNext(Span<byte> frame)
    {
        ulong seq = (ulong)Generated++;
        PacketFormat.Write(frame[..PacketBytes], HeaderOf(seq), seq);
        Requests?.Write(frame[..PacketBytes], seq);
    }

    /// <summary>The frame with sequence number <paramref name="seq"/>, for tests and host-side senders.</summary>
    public void Write(Span<byte> frame, ulong seq)
    {
        PacketFormat.Write(frame[..PacketBytes], HeaderOf(seq), seq);
        Requests?.Write(frame[..PacketBytes], seq);
    }
}

// machine/Devices/Ixgbe: the far end of the NIC's transmit wire: checks every frame against what the
// generator would have written for the sequence number it carries. Expecting consecutive numbers, it
// counts a gap as lost frames, a number at or below one already seen as a duplicate, and a frame
// whose bytes do not match its number as corrupted (and, when its number is damaged too, as missing from
// the sequence: a number its check word vouches for still counts as seen). An application that rewrites
// headers on the way (a load balancer choosing a backend per flow) gives the sink the header it must have
// written for each flow (ExpectHeaders, or ExpectFlowHeaders to compute it per frame for many flows): a
// frame whose body is intact but whose header is not that one is misrouted. An application that answers requests (a key-value store) gives the sink a reply checker (ExpectReplies): the
// frame's number and check word must still be sound, and what follows them must be the right reply to that
// request (a wrong one is counted in WrongReplies).
namespace RedLeaf.Hardware.Devices;

public sealed class PacketSink
{
    private readonly TrafficGenerator _format;
    private ulong _expected;
    private byte[][]? _headers; // per flow, the header an application on the path must have written; null: the generator's
    private IFlowHeaders? _flowHeaders; // the same, computed per frame (ExpectFlowHeaders); set, _headers is null
    private IReplyChecker? _replies;

    /// <summary>A sink expecting the frames <paramref name="format"/> writes (its size and flows).</summary>
    public PacketSink(TrafficGenerator format) => _format = format;

    public long Received { get; private set; }
    public long Lost { get; private set; }
    public long Duplicated { get; private set; }
    public long Corrupted { get; private set; }
    /// <summary>Frames whose body was intact but whose header was not the one expected for their flow (ExpectHeaders).</summary>
    public long Misrouted { get; private set; }
    /// <summary>Frames whose number was sound but whose reply was not the right one (ExpectReplies).</summary>
    public long WrongReplies { get; private set; }
    /// <summary>Frames of the wrong length.</summary>
    public long Malformed { get; private set; }
    /// <summary>The next sequence number the sink expects.</summary>
    public long Expected => (long)_expected;

    /// <summary>Nothing lost, duplicated, corrupted or malformed so far.</summary>
    public bool Clean => Lost == 0 && Duplicated == 0 && Corrupted == 0 && Malformed == 0 && Misrouted == 0 && WrongReplies == 0;

    /// <summary>From now on, frames of flow f must carry <paramref name="headersByFlow"/>[f] (one
    /// PacketFormat.HeaderBytes header per flow of the generator); null: the generator's own headers again.</summary>
    public void ExpectHeaders(byte[][]? headersByFlow)
    {
        if (headersByFlow is not null)
        {
            if (headersByFlow.Length != _format.Flows)
                throw new ArgumentException($"the sink needs one expected header per flow: {_format.Flows} flows, {headersByFlow.Length} headers given", nameof(headersByFlow));
            for (int f = 0; f < headersByFlow.Length; f++)
                if (headersByFlow[f]?.Length != PacketFormat.HeaderBytes)
                    throw new ArgumentException($"the expected header of flow {f} is not {PacketFormat.HeaderBytes} bytes", nameof(headersByFlow));
        }
        _headers = headersByFlow;
        _flowHeaders = null;
    }

    /// <summary>From now on, frames of flow f must carry <paramref name="headers"/>.HeaderOf(f), asked once per frame
    /// (for more flows than stored headers would suit); null: the generator's own headers again.</summary>
    public void ExpectFlowHeaders(IFlowHeaders? headers)
    {
        _headers = null;
        _flowHeaders = headers;
    }

    /// <summary>From now on, what follows each frame's check word is a reply, checked by <paramref name="checker"/> (in order
    /// of the frames' numbers) instead of compared with the generator's filler; null: filler again.</summary>
    public void ExpectReplies(IReplyChecker? checker) => _replies = checker;

    public void Accept(ReadOnlySpan<byte> frame)
    {
        Received++;
        if (frame.Length != _format.PacketBytes) { Malformed++; return; }
        ulong seq = PacketFormat.SequenceOf(frame);
        if (_replies is not null) { AcceptReply(frame, seq); return; }
        var header = ExpectedHeader(seq);
        if (!PacketFormat.Intact(frame, header, seq))
        {
            if ((_headers is null && _flowHeaders is null) || !PacketFormat.IntactBody(frame, seq))
            {
                Corrupted++;
                // A number its check word still vouches for says which frame this was: it arrived, damaged, so it is
                // not also lost. A damaged number says nothing: the frame is missing from the sequence too.
                if (PacketFormat.IntactNumber(frame, seq) && seq >= _expected) Advance(seq);
                return;
            }
            Misrouted++; // delivered to the wrong place, but its number is sound: it is not also lost
        }
        if (seq == _expected) { _expected++; return; }
        if (seq < _expected) { Duplicated++; return; }
        Advance(seq);
    }

    /// <summary>Frame <paramref name="seq"/> (at or past the next expected) arrived: the numbers skipped before it are lost.</summary>
    private void Advance(ulong seq)
    {
        Lost += (long)(seq - _expected);
        _expected = seq + 1;
    }

    private void AcceptReply(ReadOnlySpan<byte> frame, ulong seq)
    {
        if (!PacketFormat.IntactNumber(frame, seq)) { Corrupted++; return; }
        if (!ExpectedHeader(seq).Matches(frame)) Misrouted++;
        if (seq < _expected) { Duplicated++; return; }
        Advance(seq);
        if (!_replies!.Check(frame, seq)) WrongReplies++;
    }

    private FlowHeader ExpectedHeader(ulong seq) =>
        _flowHeaders is not null ? _flowHeaders.HeaderOf(_format.FlowOf(seq))
        : _headers is not null ? new FlowHeader(_headers[_format.FlowOf(seq)]) : _format.HeaderOf(seq);

    public override string ToString() =>
        $"sink: {Received} received, {Lost} lost, {Duplicated} duplicated, {Corrupted} corrupted, {Misrouted} misrouted, {WrongReplies} wrong replies, {Malformed} malformed";
}

// benchmarks/RedLeaf.Benchmarks/Apps: the sink's reply checker for the key-value store (IReplyChecker): the host's
// model of the store, one entry per key, holding the number of the last SET of it (the value is a function of that
// number, KvWorkload.ValueOf). The sink calls it for every frame in order of its number, which is the order the
// store served the requests (one store, one queue, batches in order), so the model advances in the store's order:
// a SET must answer OK with its length echoed and becomes the key's last value; a GET must answer the value of the
// key's last SET, or NOT_FOUND for a key never set.
//
// Under crashes (a driver dying under the store) requests go missing: the sink never shows the model a number it
// skipped. A lost SET may have been applied (its request reached the store and its reply died) or not (its request
// died in a receive ring), so its key may hold either value: the model keeps, per key, the value it last confirmed
// and the lost SETs since (candidates, in a node pool grown only when a crash needs more: nothing is allocated per
// reply). A GET of such a key must answer one of them (a value no candidate has is still a wrong reply), and the
// answer settles the key: later GETs must agree with it. A SET answered wrongly is kept as a candidate too (the store
// may have stored it).
//
// The model is also the clients' bookkeeping: a skipped frame's request is handed to the clients (KvWorkload.Lost),
// which send it again when they retransmit (KvRun's clients do), and a frame may then carry an older request
// (KvWorkload.RequestIn says which). A request sent again is checked where its new reply comes, against the store's
// state there: a SET sent again is applied there (again, if its first copy was applied and only its reply died), so it
// settles its key; a GET sent again answers the key's value there. The clients take each request's answer once: the
// sink drops a second copy of a frame (the net shadow's transmit replay, at least once), and the model counts a
// request answered in two frames (its first frame answered and a copy sent again answered too: AnsweredTwice, which
// sending again only what was skipped must keep at 0).
using Domains.Workloads.Kv;
using RedLeaf.Hardware.Devices;

namespace RedLeaf.Benchmarks.Apps;

public sealed class KvModel : IReplyChecker
{
    private const long NeverSet = -1;
    private readonly KvWorkload _requests;
    private readonly long[] _lastSet;   // per key: the last SET confirmed (its number), or NeverSet
    private readonly int[] _candidates; // per key: the first node of its lost SETs since, or -1
    private long[] _nodeSeq = new long[1024];
    private int[] _nodeNext = new int[1024];
    private int _free = -1, _used;
    private ulong _next;
    private const int AnsweredWindowBits = 20; // the frames whose answer is remembered: the last 2^20
    private readonly ulong[] _answered = new ulong[(1 << AnsweredWindowBits) / 64]; // bit f mod 2^20: frame f was answered

    public KvModel(KvWorkload requests)
    {
        _requests = requests;
        _lastSet = new long[requests.Keys];
        _candidates = new int[requests.Keys];
        Array.Fill(_lastSet, NeverSet);
        Array.Fill(_candidates, -1);
    }

    public long Gets { get; private set; }
    public long Sets { get; private set; }
    /// <summary>GETs answered with a value (checked against the key's last SET).</summary>
    public long Hits { get; private set; }
    /// <summary>GETs answered NOT_FOUND (checked: the key was never set).</summary>
    public long Misses { get; private set; }
    /// <summary>GETs of a key whose value was uncertain (a SET of it lost since the last value confirmed): checked
    /// against every value it may hold, then settled by the answer.</summary>
    public long Uncertain { get; private set; }
    /// <summary>SETs whose frame the sink skipped (each time one is: a SET sent again and lost again counts twice).</summary>
    public long LostSets { get; private set; }
    /// <summary>Requests whose frame the sink skipped and the clients did not send again: never answered.</summary>
    public long Abandoned { get; private set; }
    /// <summary>Replies to a request sent again (checked where they came).</summary>
    public long Resent { get; private set; }
    /// <summary>Requests answered twice: a request sent again whose first frame had been answered too.</summary>
    public long AnsweredTwice { get; private set; }
    /// <summary>Requests the clients have no answer to yet, among those the sink has passed: abandoned, or sent again and
    /// not answered yet.</summary>
    public long Unanswered => Abandoned + (_requests.Retransmits?.Unanswered ?? 0);
    /// <summary>Keys the model holds a confirmed value for (a key whose only SETs were lost is not counted).</summary>
    public long Stored { get; private set; }

    public bool Check(ReadOnlySpan<byte> frame, ulong seq)
    {
        for (ulong s = _next; s < seq; s++) Skipped(s);
        _next = seq + 1;
        ulong request = _requests.RequestIn(seq);
        Remember(seq, answered: true);
        if (request != seq)
        {
            Resent++;
            if (seq - request < (1UL << AnsweredWindowBits) && WasAnswered(request)) AnsweredTwice++;
        }
        int rank = _requests.RankOf(request);
        byte op = _requests.OpOf(request);
        if (frame[KvFrame.OpOffset] != (op | KvFrame.ReplyBit) || KvFrame.ReadU64(frame, KvFrame.KeyOffset) != KvWorkload.KeyOf(rank)) return false;
        Span<byte> value = stackalloc byte[KvFrame.MaxValueBytes];
        var got = frame.Slice(KvFrame.ValueOffset, KvFrame.MaxValueBytes);
        if (op == KvFrame.Set)
        {
            Sets++;
            KvWorkload.ValueOf(request, value);
            bool ok = frame[KvFrame.StatusOffset] == KvFrame.Ok && frame[KvFrame.LengthOffset] == KvWorkload.LengthOf(request) && got.SequenceEqual(value);
            if (!ok) { AddCandidate(rank, request); return false; }
            Settle(rank, (long)request);
            return true;
        }
        Gets++;
        if (_candidates[rank] < 0)
        {
            if (_lastSet[rank] == NeverSet) Misses++; else Hits++;
            return Answers(frame, _lastSet[rank], value);
        }
        Uncertain++;
        if (Answers(frame, _lastSet[rank], value)) { Settle(rank, _lastSet[rank]); return true; }
        for (int n = _candidates[rank]; n >= 0; n = _nodeNext[n])
            if (Answers(frame, _nodeSeq[n], value)) { Settle(rank, _nodeSeq[n]); return true; }
        return false; // no value the key may hold: wrong, and the key stays uncertain
    }

    /// <summary>The sink skipped frame <paramref name="frame"/>: its request's reply never came. A SET's key becomes
    /// uncertain; the clients send the request again, or it stays unanswered.</summary>
    private void Skipped(ulong frame)
    {
        ulong request = _requests.RequestIn(frame);
        Remember(frame, answered: false);
        if (_requests.OpOf(request) == KvFrame.Set) { LostSets++; AddCandidate(_requests.RankOf(request), request); }
        if (!_requests.Lost(request)) Abandoned++;
    }

    private void Remember(ulong frame, bool answered)
    {
        int bit = (int)(frame & ((1UL << AnsweredWindowBits) - 1));
        if (answered) _answered[bit >> 6] |= 1UL << bit;
        else _answered[bit >> 6] &= ~(1UL << bit);
    }

    private bool WasAnswered(ulong frame)
    {
        int bit = (int)(frame & ((1UL << AnsweredWindowBits) - 1));
        return (_answered[bit >> 6] & (1UL << bit)) != 0;
    }

    /// <summary>Whether <paramref name="frame"/> is a GET's answer for a key whose value is SET <paramref name="set"/>'s
    /// (NeverSet: NOT_FOUND).</summary>
    private static bool Answers(ReadOnlySpan<byte> frame, long set, Span<byte> scratch)
    {
        var got = frame.Slice(KvFrame.ValueOffset, KvFrame.MaxValueBytes);
        if (set == NeverSet)
            return frame[KvFrame.StatusOffset] == KvFrame.NotFound && frame[KvFrame.LengthOffset] == 0 && !got.ContainsAnyExcept((byte)0);
        KvWorkload.ValueOf((ulong)set, scratch);
        return frame[KvFrame.StatusOffset] == KvFrame.Ok && frame[KvFrame.LengthOffset] == KvWorkload.LengthOf((ulong)set) && got.SequenceEqual(scratch);
    }

    /// <summary>The key's value is now SET <paramref name="set"/>'s (or NeverSet): its candidates go back to the pool.</summary>
    private void Settle(int rank, long set)
    {
        for (int n = _candidates[rank]; n >= 0;)
        {
            int next = _nodeNext[n];
            _nodeNext[n] = _free;
            _free = n;
            n = next;
        }
        _candidates[rank] = -1;
        if (_lastSet[rank] == NeverSet && set != NeverSet) Stored++;
        _lastSet[rank] = set;
    }

    private void AddCandidate(int rank, ulong seq)
    {
        int n;
        if (_free >= 0) { n = _free; _free = _nodeNext[n]; }
        else
        {
            if (_used == _nodeSeq.Length)
            {
                Array.Resize(ref _nodeSeq, _used * 2);
                Array.Resize(ref _nodeNext, _used * 2);
            }
            n = _used++;
        }
        _nodeSeq[n] = (long)seq;
        _nodeNext[n] = _candidates[rank];
        _candidates[rank] = n;
    }

    public override string ToString() =>
        $"model: {Sets} SETs ({LostSets} lost), {Gets} GETs ({Hits} hits, {Misses} never set, {Uncertain} of an uncertain key), {Stored} keys, "
        + $"{Resent} replies to requests sent again, {Unanswered} unanswered, {AnsweredTwice} answered twice";
}

// benchmarks/RedLeaf.Benchmarks/Apps: the sink's reply checker for the key-value store (IReplyChecker): the host's
// model of the store, one entry per key, holding the number of the last SET of it (the value is a function of that
// number, KvWorkload.ValueOf). The sink calls it for every frame in order of its number, which is the order the
// store served the requests (one store, one queue, batches in order), so the model advances in the store's order:
// a SET must answer OK with its length echoed and becomes the key's last value; a GET must answer the value of the
// key's last SET, or NOT_FOUND for a key never set. A request the sink never saw (a lost frame) may or may not have
// been served: a SET among them makes its key unknown until the next SET (its GETs are counted as unverified, and
// the sink already counts the loss). Nothing is allocated per reply.
using Domains.Workloads.Kv;
using RedLeaf.Hardware.Devices;

namespace RedLeaf.Benchmarks.Apps;

public sealed class KvModel : IReplyChecker
{
    private const long NeverSet = -1, Unknown = -2;
    private readonly KvWorkload _requests;
    private readonly long[] _lastSet;
    private ulong _next;

    public KvModel(KvWorkload requests)
    {
        _requests = requests;
        _lastSet = new long[requests.Keys];
        Array.Fill(_lastSet, NeverSet);
    }

    public long Gets { get; private set; }
    public long Sets { get; private set; }
    /// <summary>GETs answered with a value (checked against the key's last SET).</summary>
    public long Hits { get; private set; }
    /// <summary>GETs answered NOT_FOUND (checked: the key was never set).</summary>
    public long Misses { get; private set; }
    /// <summary>GETs of a key whose last SET was lost on the way (not checkable).</summary>
    public long Unverified { get; private set; }
    /// <summary>Keys the model holds a value for.</summary>
    public long Stored { get; private set; }

    public bool Check(ReadOnlySpan<byte> frame, ulong seq)
    {
        for (ulong s = _next; s < seq; s++)
            if (_requests.OpOf(s) == KvFrame.Set) Forget(_requests.RankOf(s));
        _next = seq + 1;
        int rank = _requests.RankOf(seq);
        byte op = _requests.OpOf(seq);
        if (frame[KvFrame.OpOffset] != (op | KvFrame.ReplyBit) || KvFrame.ReadU64(frame, KvFrame.KeyOffset) != KvWorkload.KeyOf(rank)) return false;
        Span<byte> value = stackalloc byte[KvFrame.MaxValueBytes];
        var got = frame.Slice(KvFrame.ValueOffset, KvFrame.MaxValueBytes);
        if (op == KvFrame.Set)
        {
            Sets++;
            KvWorkload.ValueOf(seq, value);
            bool ok = frame[KvFrame.StatusOffset] == KvFrame.Ok && frame[KvFrame.LengthOffset] == KvWorkload.LengthOf(seq) && got.SequenceEqual(value);
            if (!ok) { Forget(rank); return false; }
            if (_lastSet[rank] < 0) Stored++;
            _lastSet[rank] = (long)seq;
            return true;
        }
        Gets++;
        long last = _lastSet[rank];
        if (last == Unknown) { Unverified++; return true; }
        if (last == NeverSet)
        {
            Misses++;
            return frame[KvFrame.StatusOffset] == KvFrame.NotFound && frame[KvFrame.LengthOffset] == 0 && !got.ContainsAnyExcept((byte)0);
        }
        Hits++;
        KvWorkload.ValueOf((ulong)last, value);
        return frame[KvFrame.StatusOffset] == KvFrame.Ok && frame[KvFrame.LengthOffset] == KvWorkload.LengthOf((ulong)last) && got.SequenceEqual(value);
    }

    private void Forget(int rank)
    {
        if (_lastSet[rank] >= 0) Stored--;
        _lastSet[rank] = Unknown;
    }

    public override string ToString() => $"model: {Sets} SETs, {Gets} GETs ({Hits} hits, {Misses} never set, {Unverified} unverified), {Stored} keys";
}

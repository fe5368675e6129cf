// benchmarks/RedLeaf.Benchmarks/Apps: the key-value store's clients, as the NIC model's generator writes them
// (IRequestSource): request n is a GET or a SET (a configurable share of GETs, 95/5 and 50/50 in the suite) of
// one of `keys` keys drawn from a Zipf distribution (skew 0.99, MICA's), in the wire format of
// domains/workloads/kv/KvFrame.cs. The Zipf CDF is computed once; a cycle of 2^20 (key, op) pairs is then drawn
// with a seeded Random, so request n is a function of n alone (the generator repeats the cycle) and the reply
// checker (KvModel) knows what each returning frame asked. A SET's value is derived from n: 1..64 bytes.
// Frame n carries request n, unless the clients send requests again (Retransmits, set by KvRun): then a frame may
// carry an older request whose reply never came, and RequestIn says which.
using System.Buffers.Binary;
using Domains.Workloads.Kv;
using RedLeaf.Hardware.Devices;

namespace RedLeaf.Benchmarks.Apps;

public sealed class KvWorkload : IRequestSource
{
    public const int CycleBits = 20;
    private const ulong CycleMask = (1UL << CycleBits) - 1;
    private readonly int[] _rank = new int[1 << CycleBits];
    private readonly byte[] _op = new byte[1 << CycleBits];

    public KvWorkload(int keys, double getShare, double zipfSkew = 0.99, int seed = 22)
    {
        if (keys < 1) throw new ArgumentOutOfRangeException(nameof(keys), keys, "at least one key");
        if (getShare is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(getShare), getShare, "a share of GETs in [0, 1]");
        Keys = keys;
        GetShare = getShare;
        Cdf = ZipfCdf(keys, zipfSkew);
        var random = new Random(seed);
        for (int i = 0; i < _rank.Length; i++)
        {
            _rank[i] = RankAt(Cdf, random.NextDouble());
            _op[i] = random.NextDouble() < getShare ? KvFrame.Get : KvFrame.Set;
        }
    }

    public int Keys { get; }
    /// <summary>When set, a request whose frame the reply checker finds skipped is sent again by its client; null: never.</summary>
    public RetransmitQueue? Retransmits { get; init; }
    public double GetShare { get; }
    /// <summary>Cdf[k]: the probability that a request's key has rank k or less (rank 0 the most popular).</summary>
    public double[] Cdf { get; }

    /// <summary>The key of rank <paramref name="rank"/> on the wire: a bijective mix (splitmix64's finaliser), so ranks never collide.</summary>
    public static ulong KeyOf(int rank)
    {
        ulong z = (ulong)rank + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public int RankOf(ulong seq) => _rank[(int)(seq & CycleMask)];
    public byte OpOf(ulong seq) => _op[(int)(seq & CycleMask)];

    /// <summary>The length of the value request <paramref name="seq"/> sets (if it is a SET): 1..64 bytes.</summary>
    public static int LengthOf(ulong seq) => 1 + (int)(KeyOf((int)seq ^ (int)(seq >> 32)) % KvFrame.MaxValueBytes);

    /// <summary>Writes the 64-byte value region of SET <paramref name="seq"/>: its LengthOf bytes, zero after them.</summary>
    public static void ValueOf(ulong seq, Span<byte> value)
    {
        ulong w = seq * 0xD6E8FEB86659FD93UL + 0x632BE59BD9B4E019UL;
        for (int k = 0; k < KvFrame.MaxValueBytes / 8; k++) BinaryPrimitives.WriteUInt64LittleEndian(value[(k * 8)..], w ^ ((ulong)k * 0x9E3779B97F4A7C15UL));
        value[LengthOf(seq)..KvFrame.MaxValueBytes].Clear();
    }

    /// <summary>The request frame <paramref name="frame"/> carried, asked by the reply checker once per frame number, in
    /// order (answered or skipped).</summary>
    public ulong RequestIn(ulong frame) => Retransmits is { } r ? r.Reached(frame) : frame;

    /// <summary>The reply to <paramref name="request"/> never came: its client sends it again if Retransmits is set.
    /// False if it does not (the request stays unanswered).</summary>
    public bool Lost(ulong request)
    {
        if (Retransmits is not { } r) return false;
        r.Add(request);
        return true;
    }

    /// <summary>Writes frame <paramref name="seq"/>'s request: request <paramref name="seq"/>, or an older one its client
    /// sends again.</summary>
    public void Write(Span<byte> frame, ulong seq)
    {
        if (Retransmits is { } r) seq = r.RequestFor(seq);
        int i = (int)(seq & CycleMask);
        byte op = _op[i];
        frame[KvFrame.OpOffset] = op;
        frame[KvFrame.StatusOffset] = 0;
        frame[KvFrame.LengthOffset] = op == KvFrame.Set ? (byte)LengthOf(seq) : (byte)0;
        frame[61] = 0; frame[62] = 0; frame[63] = 0;
        KvFrame.WriteU64(frame, KvFrame.KeyOffset, KeyOf(_rank[i]));
        var value = frame.Slice(KvFrame.ValueOffset, KvFrame.MaxValueBytes);
        if (op == KvFrame.Set) ValueOf(seq, value);
        else value.Clear();
    }

    /// <summary>Zipf's CDF over <paramref name="keys"/> ranks: P(rank k) proportional to 1 / (k + 1)^<paramref name="skew"/>.</summary>
    public static double[] ZipfCdf(int keys, double skew)
    {
        var cdf = new double[keys];
        double sum = 0;
        for (int k = 0; k < keys; k++) cdf[k] = sum += 1 / Math.Pow(k + 1, skew);
        for (int k = 0; k < keys; k++) cdf[k] /= sum;
        cdf[keys - 1] = 1;
        return cdf;
    }

    /// <summary>The first rank whose CDF exceeds <paramref name="u"/> (in [0, 1)).</summary>
    public static int RankAt(double[] cdf, double u)
    {
        int lo = 0, hi = cdf.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (cdf[mid] > u) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}

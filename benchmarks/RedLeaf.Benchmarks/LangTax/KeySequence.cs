// benchmarks/RedLeaf.Benchmarks/LangTax: the keys Figure 5's tables are filled and probed with, generated deterministically
// (SplitMix64, fixed seeds) so all three implementations (C, C-style C#, idiomatic C#) and every run
// see the very same sequence. Fill holds 3/4 of the table's slots in distinct nonzero keys (0 marks an
// empty slot in the flat tables); Ops draws keys from Fill, uniformly, with repeats.
namespace RedLeaf.Benchmarks.LangTax;

public sealed class KeySequence
{
    public const ulong FillSeed = 0x5245_444C_4541_4621; // "REDLEAF!"
    public const ulong OpsSeed = 0x4649_4755_5245_2035;  // "FIGURE 5"

    KeySequence(int log2Slots, ulong[] fill, ulong[] ops)
    {
        Log2Slots = log2Slots;
        Fill = fill;
        Ops = ops;
    }

    public int Log2Slots { get; }
    /// <summary>The keys the table holds, in insertion order: 3/4 of 2^Log2Slots, distinct, never 0.</summary>
    public ulong[] Fill { get; }
    /// <summary>The keys each timed pass of gets or sets uses, in order.</summary>
    public ulong[] Ops { get; }

    /// <summary>Keys for a table of 2^log2Slots slots kept 75% full, and opCount operations on them.</summary>
    public static KeySequence For(int log2Slots, int opCount)
    {
        if (log2Slots is < 2 or > 30) throw new ArgumentOutOfRangeException(nameof(log2Slots), log2Slots, "table sizes from 2^2 to 2^30 slots");
        if (opCount < 1) throw new ArgumentOutOfRangeException(nameof(opCount), opCount, "at least one operation");
        int entries = checked((int)(3L << log2Slots >> 2));
        var fill = new ulong[entries];
        ulong state = FillSeed;
        for (int i = 0; i < entries;)
        {
            // SplitMix64 is a bijection of its counter, so its outputs are distinct; only 0 is skipped.
            ulong k = SplitMix64(ref state);
            if (k != 0) fill[i++] = k;
        }
        var ops = new ulong[opCount];
        state = OpsSeed;
        for (int i = 0; i < opCount; i++)
            ops[i] = fill[SplitMix64(ref state) % (ulong)entries];
        return new KeySequence(log2Slots, fill, ops);
    }

    /// <summary>Sum of (key ^ salt) over the op keys: what a pass of gets must return after a pass of
    /// sets that stored key ^ salt under every key.</summary>
    public ulong ExpectedSum(ulong salt)
    {
        ulong sum = 0;
        foreach (ulong k in Ops) sum += k ^ salt;
        return sum;
    }

    public static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}

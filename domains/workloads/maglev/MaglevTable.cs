// domains/workloads/maglev: Maglev's lookup table (Eisenbud et al., "Maglev: A Fast and Reliable Software
// Network Load Balancer", NSDI 2016, section 3.4). Each backend gets a permutation of the table's M slots,
// offset = h1(name) mod M, skip = h2(name) mod (M - 1) + 1, permutation[j] = (offset + j * skip) mod M
// (M prime, so every permutation visits every slot); the backends then take turns, each claiming the
// next slot of its own permutation that is still free, until the table is full. Every backend ends up
// with M/N slots give or take one, and taking one backend out moves few slots that were not its own
// (the minimal-disruption property). Shared with the host (benchmarks/RedLeaf.Benchmarks, compiled in),
// whose sink checks each frame against the backend this table gives its flow.
namespace Domains.Workloads.Maglev;

public sealed class MaglevTable
{
    /// <summary>The paper's table size: a prime, about 65 times more slots than the 1,000 backends it planned for.</summary>
    public const int DefaultSize = 65537;

    private readonly int[] _entries;

    /// <summary>Fills a table of <paramref name="size"/> slots (a prime) for the backends <paramref name="ids"/>, backend i
    /// walking its permutation from <paramref name="offsets"/>[i] in steps of <paramref name="skips"/>[i].</summary>
    public MaglevTable(int size, int[] ids, int[] offsets, int[] skips)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), size, "a Maglev table has at least 2 slots");
        if (ids.Length == 0) throw new ArgumentException("a Maglev table needs at least one backend", nameof(ids));
        if (offsets.Length != ids.Length || skips.Length != ids.Length)
            throw new ArgumentException($"{ids.Length} backends need as many offsets and skips ({offsets.Length}, {skips.Length} given)");
        for (int i = 0; i < ids.Length; i++)
            if ((uint)offsets[i] >= (uint)size || skips[i] < 1 || skips[i] >= size)
                throw new ArgumentOutOfRangeException(nameof(offsets), $"backend {ids[i]}: offset {offsets[i]} must be in [0, {size}) and skip {skips[i]} in [1, {size})");
        Size = size;
        _entries = new int[size];
        Array.Fill(_entries, -1);
        var next = new long[ids.Length];
        int filled = 0;
        while (true)
        {
            for (int i = 0; i < ids.Length; i++)
            {
                int c = (int)((offsets[i] + next[i] * skips[i]) % size);
                while (_entries[c] >= 0)
                {
                    next[i]++;
                    c = (int)((offsets[i] + next[i] * skips[i]) % size);
                }
                _entries[c] = ids[i];
                next[i]++;
                if (++filled == size) return;
            }
        }
    }

    /// <summary>The table for backends named "backend-&lt;id&gt;", their offsets and skips hashed from the names.</summary>
    public static MaglevTable ForBackends(int[] ids, int size = DefaultSize)
    {
        var offsets = new int[ids.Length];
        var skips = new int[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            string name = NameOf(ids[i]);
            offsets[i] = (int)(H1(name) % (ulong)size);
            skips[i] = (int)(H2(name) % (ulong)(size - 1)) + 1;
        }
        return new MaglevTable(size, ids, offsets, skips);
    }

    public static string NameOf(int backend) => "backend-" + backend;

    public int Size { get; }

    /// <summary>The backend in <paramref name="slot"/>.</summary>
    public int this[int slot] => _entries[slot];

    /// <summary>The backend of a flow whose hash is <paramref name="flowHash"/>: the slot is the hash's top 32 bits
    /// scaled to the table (a multiply, no division per packet).</summary>
    public int Lookup(ulong flowHash) => _entries[(int)(((flowHash >> 32) * (ulong)Size) >> 32)];

    /// <summary>h1: FNV-1a (64-bit) over the name's characters.</summary>
    public static ulong H1(string name)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (char ch in name) { h ^= ch; h *= 0x100000001B3UL; }
        return h;
    }

    /// <summary>h2: FNV-1a from another basis, then MurmurHash3's 64-bit finaliser, so it is not a function of h1.</summary>
    public static ulong H2(string name)
    {
        ulong h = 0x84222325CBF29CE4UL;
        foreach (char ch in name) { h ^= ch; h *= 0x100000001B3UL; }
        h ^= h >> 33; h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33; h *= 0xC4CEB9FE1A85EC53UL;
        return h ^ (h >> 33);
    }
}

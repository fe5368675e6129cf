// domains/workloads/compute: a compute-bound workload for measuring what the trusted compiler's
// instrumentation costs: an open-addressing hash table with FNV hashing (as in the paper's Figure 5),
// filled and probed in loops that call small methods, so both entry and back-edge checks count.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;

namespace Domains.Bench.Compute;

public static class Entry
{
    [DomainEntry]
    public static IHostile Start() => new Compute();
}

internal sealed class Compute : IHostile
{
    private readonly long[] _keys = new long[1 << 16];
    private readonly long[] _values = new long[1 << 16];

    /// <summary>Fills the table to 75% with keys derived from <paramref name="argument"/> and looks each up; returns a checksum.</summary>
    public RpcResult<long> Run(long argument)
    {
        Array.Clear(_keys);
        int n = _keys.Length * 3 / 4;
        for (int i = 0; i < n; i++) Set(i * 2654435761L + argument + 1, i);
        long sum = 0;
        for (int round = 0; round < 4; round++)
            for (int i = 0; i < n; i++) sum += Get(i * 2654435761L + argument + 1);
        return sum;
    }

    private static ulong Fnv(long key)
    {
        ulong h = 14695981039346656037UL;
        for (int b = 0; b < 8; b++)
        {
            h ^= (byte)(key >> (8 * b));
            h *= 1099511628211UL;
        }
        return h;
    }

    private void Set(long key, long value)
    {
        int mask = _keys.Length - 1;
        int i = (int)Fnv(key) & mask;
        while (_keys[i] != 0 && _keys[i] != key) i = (i + 1) & mask;
        _keys[i] = key;
        _values[i] = value;
    }

    private long Get(long key)
    {
        int mask = _keys.Length - 1;
        int i = (int)Fnv(key) & mask;
        while (_keys[i] != key)
        {
            if (_keys[i] == 0) return -1;
            i = (i + 1) & mask;
        }
        return _values[i];
    }
}

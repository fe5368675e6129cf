// benchmarks/RedLeaf.Benchmarks/LangTax: the idiomatic table behind the suite's interface, with the hasher the row is
// named for: `idiomatic` (IdiomaticHashTable<ulong, ulong, Fnv1aHasher>, the hash inlined) or `delegate`
// (DelegateHasher over a lambda: the same table calling its hash through a Func<>). The timed loops are plain foreach loops over the keys, as the calling code of
// such a table would be; the table's own methods carry the idioms.
using RedLeaf.Hardware;

namespace RedLeaf.Benchmarks.LangTax;

public sealed class IdiomaticHashTableBench<THasher> : IHashTableBench
    where THasher : struct, IKeyHasher<ulong>
{
    private readonly IdiomaticHashTable<ulong, ulong, THasher> _table;

    public IdiomaticHashTableBench(string kind, int log2Slots, THasher hasher = default)
    {
        Kind = kind;
        _table = new(1 << log2Slots, hasher);
    }

    public string Kind { get; }
    public long Count => _table.Count;

    public ulong TimeSets(ulong[] keys, ulong salt, out long failures)
    {
        failures = 0;
        ulong t0 = Tsc.ReadFenced();
        foreach (ulong key in keys)
            _table.Set(key, key ^ salt);
        ulong t1 = Tsc.ReadFenced();
        return t1 - t0;
    }

    public ulong TimeGets(ulong[] keys, out ulong sum, out long misses)
    {
        ulong total = 0; // locals, not the out parameters: those live in the caller's memory
        long missed = 0;
        ulong t0 = Tsc.ReadFenced();
        foreach (ulong key in keys)
        {
            if (_table.TryGetValue(key, out ulong value)) total += value;
            else missed++;
        }
        ulong t1 = Tsc.ReadFenced();
        sum = total;
        misses = missed;
        return t1 - t0;
    }

    public void Dispose() { }
}

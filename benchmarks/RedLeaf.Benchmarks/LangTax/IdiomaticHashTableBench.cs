// benchmarks/RedLeaf.Benchmarks/LangTax: the `idiomatic` table (IdiomaticHashTable<ulong, ulong, Fnv1aHasher>) behind
// the suite's interface. The timed loops are plain foreach loops over the keys, as the calling code of
// such a table would be; the table's own methods carry the idioms.
using RedLeaf.Hardware;

namespace RedLeaf.Benchmarks.LangTax;

public sealed class IdiomaticHashTableBench : IHashTableBench
{
    private readonly IdiomaticHashTable<ulong, ulong, Fnv1aHasher> _table;

    public IdiomaticHashTableBench(int log2Slots) => _table = new(1 << log2Slots);

    public string Kind => "idiomatic";
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

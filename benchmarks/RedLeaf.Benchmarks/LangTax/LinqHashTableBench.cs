// benchmarks/RedLeaf.Benchmarks/LangTax: the `linq` table (LinqHashTable<ulong, ulong>, FNV-1a passed as a delegate)
// behind the suite's interface. The timed loops are plain foreach loops over the keys, as the calling
// code of such a table would be; the table's own methods carry the idioms.
using RedLeaf.Hardware;

namespace RedLeaf.Benchmarks.LangTax;

public sealed class LinqHashTableBench : IHashTableBench
{
    private readonly LinqHashTable<ulong, ulong> _table;

    public LinqHashTableBench(int log2Slots) =>
        _table = new LinqHashTable<ulong, ulong>(1 << log2Slots, LinqHashTable<ulong, ulong>.Fnv1a);

    public string Kind => "linq";
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
        sum = 0;
        misses = 0;
        ulong t0 = Tsc.ReadFenced();
        foreach (ulong key in keys)
        {
            if (_table.Get(key) is { } value) sum += value;
            else misses++;
        }
        ulong t1 = Tsc.ReadFenced();
        return t1 - t0;
    }

    public void Dispose() { }
}

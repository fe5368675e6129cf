// benchmarks/RedLeaf.Benchmarks/LangTax: the `dictionary` row: .NET's own hash table, Dictionary<ulong, ulong>, behind the
// suite's interface, created with the capacity the table will hold so it never resizes while timed. Not
// the same algorithm as the others (separate chaining through an entries array, ulong's own
// GetHashCode rather than FNV-1a), so it answers another question: what a C# programmer gets without
// writing a table at all. The same keys and the same checked sums as the other rows.
using RedLeaf.Hardware;

namespace RedLeaf.Benchmarks.LangTax;

public sealed class DictionaryBench : IHashTableBench
{
    private readonly Dictionary<ulong, ulong> _table;

    public DictionaryBench(int log2Slots) => _table = new Dictionary<ulong, ulong>(checked((int)(3L << log2Slots >> 2)));

    public string Kind => "dictionary";
    public long Count => _table.Count;

    public ulong TimeSets(ulong[] keys, ulong salt, out long failures)
    {
        failures = 0;
        ulong t0 = Tsc.ReadFenced();
        foreach (ulong key in keys)
            _table[key] = key ^ salt;
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

// benchmarks/RedLeaf.Benchmarks/LangTax: Figure 5's hash table written with LINQ and delegates: the `linq` row, kept as
// "what idiomatic can cost" when every idiom is taken literally (it was this suite's `idiomatic` row
// until issue 19; IdiomaticHashTable is what a senior .NET engineer writes by default).
// Generic over key and value; empty slots are nulls of a nullable record struct (the Option<T>);
// the hash is a delegate (Func<TKey, ulong>) handed in by the user; the probe sequence is a LINQ
// query (Range, Select) searched with First/FirstOrDefault and a lambda. The algorithm is the same
// as the flat tables': open addressing, linear probing, power-of-two size. Unlike Rust's iterators,
// LINQ and closures are not zero-cost in .NET: they allocate, which the suite reports per operation.
namespace RedLeaf.Benchmarks.LangTax;

public sealed class LinqHashTable<TKey, TValue>
    where TKey : IEquatable<TKey>
    where TValue : struct
{
    public readonly record struct Entry(TKey Key, TValue Value);

    private readonly Entry?[] _slots;
    private readonly Func<TKey, ulong> _hash;
    private readonly int _mask;

    public LinqHashTable(int capacity, Func<TKey, ulong> hash)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be a power of two");
        _slots = new Entry?[capacity];
        _hash = hash;
        _mask = capacity - 1;
    }

    public int Count { get; private set; }

    public int Capacity => _slots.Length;

    /// <summary>The slots to try for a key, in order: its home slot, then the next, wrapping around.</summary>
    private IEnumerable<int> Probe(TKey key)
    {
        int home = (int)(_hash(key) & (ulong)_mask);
        return Enumerable.Range(0, _slots.Length).Select(i => (home + i) & _mask);
    }

    /// <summary>The value stored under key, or null.</summary>
    public TValue? Get(TKey key) =>
        Probe(key)
            .Select(i => _slots[i])
            .FirstOrDefault(slot => slot is null || slot.Value.Key.Equals(key))
            ?.Value;

    /// <summary>Stores value under key, replacing any value there. Throws when the table is full.</summary>
    public void Set(TKey key, TValue value)
    {
        int index = Probe(key)
            .Where(i => _slots[i] is not { } entry || entry.Key.Equals(key))
            .DefaultIfEmpty(-1)
            .First();
        if (index < 0) throw new InvalidOperationException($"the table is full ({Capacity} entries)");
        if (_slots[index] is null) Count++;
        _slots[index] = new Entry(key, value);
    }

    /// <summary>FNV-1a over the key's bytes, the hash Figure 5 uses, written the readable way.</summary>
    public static ulong Fnv1a(ulong key)
    {
        ulong hash = 0xcbf29ce484222325;
        foreach (byte b in BitConverter.GetBytes(key))
        {
            hash ^= b;
            hash *= 0x100000001b3;
        }
        return hash;
    }
}

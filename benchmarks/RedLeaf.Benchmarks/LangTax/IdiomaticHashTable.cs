// benchmarks/RedLeaf.Benchmarks/LangTax: Figure 5's hash table as a senior .NET engineer writes it by default, the
// counterpart of the paper's idiomatic Rust (Option<T> slots, generics, closures that compile away):
// generic over key, value and hasher; empty slots are nulls of a nullable record struct (Entry?, the
// Option<(K, V)>); the hash is a value of a struct type parameter whose Hash the JIT inlines (IKeyHasher;
// DelegateHasher wraps a Func<> instead, for the `delegate` rows);
// keys compare through IEquatable<TKey>, which the JIT devirtualises for a struct key; plain loops over
// the slots; no allocation per operation; no unsafe code, bounds checks left in.
// The price of Entry? is its size: for ulong keys and values a slot is 24 bytes (the flag, padded, then
// 16 bytes of entry) where C's is 16, as Rust's Option<(u64, u64)> is 24, so a table of 2^n slots is half
// again as large and a probe touches more cache lines.
namespace RedLeaf.Benchmarks.LangTax;

public sealed class IdiomaticHashTable<TKey, TValue, THasher>
    where TKey : IEquatable<TKey>
    where THasher : struct, IKeyHasher<TKey>
{
    public readonly record struct Entry(TKey Key, TValue Value);

    private readonly Entry?[] _slots;
    private readonly THasher _hasher;

    public IdiomaticHashTable(int capacity, THasher hasher = default)
    {
        _hasher = hasher;
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be a power of two");
        _slots = new Entry?[capacity];
    }

    public int Count { get; private set; }

    public int Capacity => _slots.Length;

    /// <summary>Finds the value stored under key.</summary>
    public bool TryGetValue(TKey key, out TValue value)
    {
        var slots = _slots;
        int mask = slots.Length - 1;
        int i = (int)_hasher.Hash(key) & mask;
        for (int probes = 0; probes < slots.Length; probes++, i = (i + 1) & mask)
        {
            if (slots[i] is not { } entry) break;
            if (entry.Key.Equals(key))
            {
                value = entry.Value;
                return true;
            }
        }
        value = default!;
        return false;
    }

    /// <summary>Stores value under key, replacing any value there. Throws when the table is full.</summary>
    public void Set(TKey key, TValue value)
    {
        var slots = _slots;
        int mask = slots.Length - 1;
        int i = (int)_hasher.Hash(key) & mask;
        for (int probes = 0; probes < slots.Length; probes++, i = (i + 1) & mask)
        {
            if (slots[i] is { } entry && !entry.Key.Equals(key)) continue;
            if (slots[i] is null) Count++;
            slots[i] = new Entry(key, value);
            return;
        }
        throw new InvalidOperationException($"the table is full ({Capacity} entries)");
    }
}

// benchmarks/RedLeaf.Benchmarks/LangTax: a hasher that calls a Func<TKey, ulong>, the `delegate` rows of Figure 5: the
// idiomatic table with its higher-order function passed as C# code usually passes one (a lambda), so the
// pair idiomatic/delegate measures what a higher-order function costs when the compiler does not
// specialise it away: an indirect call per hash, and no inlining of the hash into the probe loop.
namespace RedLeaf.Benchmarks.LangTax;

public readonly struct DelegateHasher<TKey>(Func<TKey, ulong> hash) : IKeyHasher<TKey>
{
    private readonly Func<TKey, ulong> _hash = hash ?? throw new ArgumentNullException(nameof(hash));

    public ulong Hash(TKey key) => _hash(key);
}

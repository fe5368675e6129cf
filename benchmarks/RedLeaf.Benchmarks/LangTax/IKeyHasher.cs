// benchmarks/RedLeaf.Benchmarks/LangTax: the hash function of IdiomaticHashTable, the table's higher-order function, as a
// value of a type parameter, as Rust passes a closure. A table generic over a struct THasher gets its own
// compiled code per hasher, in which hasher.Hash is a direct call the JIT inlines (Rust monomorphises a
// closure type parameter the same way): Fnv1aHasher, the `idiomatic` rows. A hasher that wraps a Func<>
// (DelegateHasher, the `delegate` rows) is what C# code that takes a lambda usually is: an indirect call
// through the delegate on every operation, which the JIT does not inline (PGO, off here, could guess it).
namespace RedLeaf.Benchmarks.LangTax;

public interface IKeyHasher<TKey>
{
    ulong Hash(TKey key);
}

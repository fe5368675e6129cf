// benchmarks/RedLeaf.Benchmarks/LangTax: the hash function of IdiomaticHashTable, as .NET's generics express a
// higher-order function the JIT can inline: a static abstract interface member implemented by a struct.
// A table generic over a struct THasher gets its own compiled code per hasher, in which THasher.Hash is a
// direct call the JIT inlines (Rust monomorphises a closure type parameter the same way); a Func<> would
// be an indirect call through a delegate on every operation.
namespace RedLeaf.Benchmarks.LangTax;

public interface IKeyHasher<TKey>
{
    static abstract ulong Hash(TKey key);
}

// benchmarks/RedLeaf.Benchmarks/LangTax: what LangTaxSuite asks of each of Figure 5's hash tables. Each implementation
// owns its timed loops (TimeSets, TimeGets), so the loop is written in the implementation's own
// language and style and, for C, runs and is timed entirely in C. Times are TSC ticks for the whole
// pass; the suite divides by the number of operations.
namespace RedLeaf.Benchmarks.LangTax;

public interface IHashTableBench : IDisposable
{
    /// <summary>One of LangTaxSuite.Kinds ("c", "unchecked", "cstyle", "idiomatic", "delegate", "linq", "dictionary"): the first part of the row names.</summary>
    string Kind { get; }

    /// <summary>Keys stored.</summary>
    long Count { get; }

    /// <summary>Stores key ^ salt under each key (insert or update), timed; failures counts sets refused
    /// (key 0, table full) and must be 0.</summary>
    ulong TimeSets(ulong[] keys, ulong salt, out long failures);

    /// <summary>Looks up each key, timed; sum is the sum of the values found, misses the keys absent.</summary>
    ulong TimeGets(ulong[] keys, out ulong sum, out long misses);
}

// os/abi/Kernel: the ordered form of GuardedSequence, around what OrderBy and its kin return to a
// domain (Guard.Ordered). ThenBy asks its source to CreateOrderedEnumerable, and the base library
// links each new key to the previous one; sorting then walks that list of keys recursively, where the
// stack guard does not reach. This wrapper answers CreateOrderedEnumerable itself, so it counts the
// keys of the chain and faults the domain past Guard.MaxSortKeys.
using System.Collections;
using System.Linq;

namespace RedLeaf.Abi;

internal sealed class GuardedOrderedSequence<T> : IOrderedEnumerable<T>
{
    private readonly IOrderedEnumerable<T> _inner;
    private readonly int _keys;

    public GuardedOrderedSequence(IOrderedEnumerable<T> inner, int keys)
    {
        _inner = inner;
        _keys = keys;
    }

    public IOrderedEnumerable<T> CreateOrderedEnumerable<TKey>(Func<T, TKey> keySelector, IComparer<TKey>? comparer, bool descending)
    {
        Guard.Tick();
        Guard.SortKeys(_keys + 1);
        return new GuardedOrderedSequence<T>(_inner.CreateOrderedEnumerable(keySelector, comparer, descending), _keys + 1);
    }

    public IEnumerator<T> GetEnumerator()
    {
        Guard.Tick();
        return new GuardedSequence<T>(_inner).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

// os/abi/Kernel: what the instrumentation wraps around every sequence a LINQ operator returns to a
// domain (Guard.Chain). A LINQ operator's enumerator calls its source's enumerator (MoveNext, Dispose,
// GetEnumerator, Count...), in the base library, where the stack guard does not reach; a domain that
// applies an operator to its own result in a loop (`e = e.Distinct()` 200,000 times) would build a
// chain that one MoveNext walks to the bottom: a stack overflow, which ends the whole process. With
// every result wrapped, each link of such a chain passes through one of these, whose members check.
// It implements only IEnumerable<T>, so the base library cannot skip it (no fast path for it).
using System.Collections;

namespace RedLeaf.Abi;

internal sealed class GuardedSequence<T> : IEnumerable<T>
{
    private readonly IEnumerable<T> _inner;

    public GuardedSequence(IEnumerable<T> inner) => _inner = inner;

    public IEnumerator<T> GetEnumerator()
    {
        Guard.Tick();
        return new Enumerator(_inner.GetEnumerator());
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Enumerator : IEnumerator<T>
    {
        private readonly IEnumerator<T> _inner;

        public Enumerator(IEnumerator<T> inner) => _inner = inner;

        public T Current => _inner.Current;

        object? IEnumerator.Current => Current;

        public bool MoveNext()
        {
            Guard.Tick();
            return _inner.MoveNext();
        }

        public void Reset() => _inner.Reset();

        // Dispose runs in the finally blocks of whoever enumerated, also while a fault or the kill unwinds
        // the domain; then the runtime runs those blocks on top of the deepest frame, where the chain
        // below has no room to be disposed, and a stop thrown from every finally on the way up would nest
        // one exception dispatch on another. So no stop check here, and where the stack is short what
        // this wraps is left undisposed (LINQ's enumerators hold nothing but references, which the
        // collector takes with the domain) rather than overflowing the stack.
        public void Dispose()
        {
            if (Guard.HasStackToSpare()) _inner.Dispose();
        }
    }
}

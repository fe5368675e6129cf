// os/abi/Kernel: the base-library calls that build or probe a hash table over a whole sequence in one call
// (issue 17, classes 4 and 6b; os/README.md, "4. Bounds on what one base-library call can do"). Keys whose
// hash is the base library's (long, int, Guid, tuples of them...) can be chosen to collide: `(i << 32) | i`
// all hash to 0 as longs, and every insert then compares with every key before it. `new HashSet<long>(keys)`
// over 100,000 such keys is one call of about 15 s, in which no check of the domain runs, so a kill cannot
// stop it and a domain caller of the killed domain waits for it. The instrumentation hands such calls their
// input through Hashed: each element then passes a check (Guard.Tick) before the base library takes it, so
// the work between two checks is one insert or probe, at most one comparison per element already held. Two
// set operations do a second pass over the set itself with no input to pace it (HashSet.IntersectWith and
// SymmetricExceptWith remove the elements they did not find, each removal walking its collision chain):
// the instrumentation calls the helpers below instead, which do the same work one checked step at a time.
namespace RedLeaf.Abi;

public static partial class Guard
{
    /// <summary>The input of a base-library call that hashes it (the instrumentation's wrap): every element
    /// passes a check before the call takes it. Always wrapped (a List or an array too: those are what the base
    /// library would otherwise take without pulling element by element), unless it is wrapped already.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(items))]
    public static IEnumerable<T>? Hashed<T>(IEnumerable<T>? items) =>
        items is null || items is GuardedSequence<T> ? items : new GuardedSequence<T>(items);

    /// <summary>`set.IntersectWith(other)`, one checked step per element of <paramref name="other"/> and per element removed.</summary>
    public static void IntersectWith<T>(ISet<T> set, IEnumerable<T> other)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(other);
        if (set is not HashSet<T> hashed)
        {
            set.IntersectWith(Hashed(other)); // a sorted set: no collision chains; the domain's own set: its code checks
            return;
        }
        if (hashed.Count == 0 || ReferenceEquals(other, hashed)) return;
        var keep = new HashSet<T>(hashed.Comparer);
        foreach (var item in other)
        {
            Tick();
            if (hashed.Contains(item)) keep.Add(item);
        }
        hashed.RemoveWhere(item =>
        {
            Tick();
            return !keep.Contains(item);
        });
    }

    /// <summary>`set.SymmetricExceptWith(other)`, one checked step per element of <paramref name="other"/>.</summary>
    public static void SymmetricExceptWith<T>(ISet<T> set, IEnumerable<T> other)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(other);
        if (set is not HashSet<T> hashed)
        {
            set.SymmetricExceptWith(Hashed(other));
            return;
        }
        if (ReferenceEquals(other, hashed))
        {
            hashed.Clear();
            return;
        }
        var seen = new HashSet<T>(hashed.Comparer);
        foreach (var item in other)
        {
            Tick();
            if (!seen.Add(item)) continue; // each distinct element of other once, as the base library counts them
            if (!hashed.Remove(item)) hashed.Add(item);
        }
    }
}

// tests/os/compiler: keys chosen to collide, handed to one base-library call that hashes them all (issue 17,
// classes 4 and 6b). `(i << 32) | i` hashes to 0 as a long, so building a set of 100,000 of them compares every
// key with every key before it: about 15 s inside the base library, where no check of the domain runs. Before
// the instrumentation paced these calls (Guard.Hashed: a check per element), a kill could not stop the domain
// until the call ended: the host caller got CalleeKilled (it gives up on the worker), but the domain's thread
// ran on and its context could not be collected for seconds, and a domain caller waited the whole time. Each
// attack is killed 150 ms in and must be contained as any other: the call back within 2 s of the kill, the
// context collected within 10 s (so the thread left the base-library call). The rewrite's other half keeps
// meaning: the same programs, unkilled and small, compute what the base library computes; and the uses the
// rewrite cannot reach are refused (RL0007).
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class CollidingKeyAttacks
{
    /// <summary>A run body: `keys` holds <paramref name="n"/> distinct longs that all hash to 0, then <paramref name="body"/>.</summary>
    private static string Colliding(string body, int n = 100_000, string members = "") => Source($$"""
                var keys = new System.Collections.Generic.List<long>();
                for (long i = 1; i <= {{n}}; i++) keys.Add((i << 32) | i);
        {{body}}
        """, members, usings: "using System.Linq;");

    [Fact]
    public Task CollisionsInAHashSetConstructor() =>
        KilledContained(Accepted(Colliding("        return new System.Collections.Generic.HashSet<long>(keys).Count;")));

    [Fact]
    public Task CollisionsInToHashSet() =>
        KilledContained(Accepted(Colliding("        return System.Linq.Enumerable.Count(System.Linq.Enumerable.ToHashSet(keys)) + keys.ToHashSet().Count;")));

    [Fact]
    public Task CollisionsInAGroupBy() =>
        KilledContained(Accepted(Colliding("        return System.Linq.Enumerable.Count(System.Linq.Enumerable.GroupBy(keys, k => k));")));

    [Fact]
    public Task CollisionsInADictionaryFromPairs() =>
        KilledContained(Accepted(Colliding("""
                    var pairs = new System.Collections.Generic.List<System.Collections.Generic.KeyValuePair<long, long>>();
                    foreach (var k in keys) pairs.Add(new System.Collections.Generic.KeyValuePair<long, long>(k, k));
                    System.Collections.Generic.Dictionary<long, long> d = new(pairs);
                    return d.Count;
            """)));

    [Fact]
    public Task CollisionsInUnionWith() =>
        KilledContained(Accepted(Colliding("""
                    var s = new System.Collections.Generic.HashSet<long>();
                    s.UnionWith(keys);
                    return s.Count;
            """)));

    [Fact]
    public Task CollisionsSpreadIntoACollectionExpression() =>
        KilledContained(Accepted(Colliding("""
                    System.Collections.Generic.HashSet<long> s = [.. keys];
                    return s.Count;
            """)));

    [Fact]
    public Task DuplicatesSkippedInsideOneDistinctStep() =>
        KilledContained(Accepted(Colliding("""
                    var last = keys[keys.Count - 1];
                    for (int i = 0; i < 200_000; i++) keys.Add(last); // each one compared with every key before: no output, no check
                    return System.Linq.Enumerable.Count(System.Linq.Enumerable.Distinct(keys));
            """, n: 40_000)));

    [Fact]
    public Task CollisionsInAQueryJoin() =>
        KilledContained(Accepted(Colliding("""
                    var joined = from a in keys join b in keys on a equals b select a;
                    return System.Linq.Enumerable.Count(joined);
            """)));

    /// <summary>The rewritten calls still mean what they meant: small inputs, every form, against the base library's own answers.</summary>
    [Fact]
    public void TheRewrittenCallsComputeWhatTheBaseLibraryComputes()
    {
        const string body = """
                    var a = new System.Collections.Generic.List<long> { 1, 2, 3, 4, 5, 5, 6 };
                    var b = new long[] { 4, 5, 6, 7, 8 };
                    long r = 0;
                    var s1 = new System.Collections.Generic.HashSet<long>(a); s1.IntersectWith(b); r = r * 31 + Sum(s1);
                    var s2 = new System.Collections.Generic.HashSet<long>(a); s2.SymmetricExceptWith(b); r = r * 31 + Sum(s2);
                    System.Collections.Generic.ISet<long> s3 = new System.Collections.Generic.HashSet<long>(a); s3.IntersectWith(s3); r = r * 31 + Sum(s3);
                    var s4 = new System.Collections.Generic.HashSet<long>(a); s4.SymmetricExceptWith(s4); r = r * 31 + s4.Count;
                    var mine = new MySet(a); mine.KeepOnly(b); r = r * 31 + Sum(mine);
                    r = r * 31 + (s1.IsSubsetOf(b) ? 1 : 0) + (s1.Overlaps(a) ? 2 : 0) + (s1.SetEquals(new long[] { 4, 5, 6 }) ? 4 : 0);
                    r = r * 31 + System.Linq.Enumerable.Count(System.Linq.Enumerable.Distinct(a)) + a.ToHashSet().Count;
                    r = r * 31 + System.Linq.Enumerable.Sum(System.Linq.Enumerable.Intersect(a, b)) + System.Linq.Enumerable.Sum(System.Linq.Enumerable.Except(a, b));
                    r = r * 31 + System.Linq.Enumerable.Count(System.Linq.Enumerable.GroupBy(a, x => x % 2));
                    var q = from x in a join y in b on x equals y group x by x % 3 into g select g.Key;
                    r = r * 31 + System.Linq.Enumerable.Sum(q);
                    System.Collections.Generic.HashSet<long> s5 = [.. a, 9];
                    r = r * 31 + Sum(s5);
                    var d = new System.Collections.Generic.Dictionary<long, long>(new System.Collections.Generic.Dictionary<long, long> { [1] = 2, [3] = 4 });
                    r = r * 31 + d[3];
                    return r;
            """;
        const string members = """
                static long Sum(System.Collections.Generic.IEnumerable<long> s) { long t = 0; foreach (var x in s) t += x; return t; }
                sealed class MySet : System.Collections.Generic.HashSet<long>
                {
                    public MySet(System.Collections.Generic.IEnumerable<long> items) : base(items) { }
                    public void KeepOnly(System.Collections.Generic.IEnumerable<long> other) { IntersectWith(other); base.SymmetricExceptWith(new long[] { 100 }); }
                }
            """;
        AssertReturns(Accepted(Source(body, members, usings: "using System.Linq;")), Expected());
    }

    /// <summary>What the program above returns, computed by the host with the base library alone.</summary>
    private static long Expected()
    {
        static long Sum(IEnumerable<long> s) => s.Sum();
        var a = new List<long> { 1, 2, 3, 4, 5, 5, 6 };
        var b = new long[] { 4, 5, 6, 7, 8 };
        long r = 0;
        var s1 = new HashSet<long>(a); s1.IntersectWith(b); r = r * 31 + Sum(s1);
        var s2 = new HashSet<long>(a); s2.SymmetricExceptWith(b); r = r * 31 + Sum(s2);
        ISet<long> s3 = new HashSet<long>(a); s3.IntersectWith(s3); r = r * 31 + Sum(s3);
        var s4 = new HashSet<long>(a); s4.SymmetricExceptWith(s4); r = r * 31 + s4.Count;
        var mine = new HashSet<long>(a); mine.IntersectWith(b); mine.SymmetricExceptWith(new long[] { 100 }); r = r * 31 + Sum(mine);
        r = r * 31 + (s1.IsSubsetOf(b) ? 1 : 0) + (s1.Overlaps(a) ? 2 : 0) + (s1.SetEquals(new long[] { 4, 5, 6 }) ? 4 : 0);
        r = r * 31 + a.Distinct().Count() + a.ToHashSet().Count;
        r = r * 31 + a.Intersect(b).Sum() + a.Except(b).Sum();
        r = r * 31 + a.GroupBy(x => x % 2).Count();
        var q = from x in a join y in b on x equals y group x by x % 3 into g select g.Key;
        r = r * 31 + q.Sum();
        HashSet<long> s5 = [.. a, 9];
        r = r * 31 + Sum(s5);
        var d = new Dictionary<long, long>(new Dictionary<long, long> { [1] = 2, [3] = 4 });
        r = r * 31 + d[3];
        return r;
    }

    [Fact]
    public void AMethodGroupOfASetOperation() => Refused(Source("""
                var s = new System.Collections.Generic.HashSet<long>();
                System.Action<System.Collections.Generic.IEnumerable<long>> f = s.UnionWith; // <-
                return 0;
        """), "RL0007", "hashes a whole sequence");

    [Fact]
    public void AConditionalIntersectWith() => Refused(Source("""
                System.Collections.Generic.HashSet<long>? s = argument > 0 ? new System.Collections.Generic.HashSet<long>() : null;
                s?.IntersectWith(new long[] { 1 }); // <-
                return 0;
        """), "RL0007", "hashes a whole sequence");

    [Fact]
    public void AConditionalHashingOperator() => Refused(Source("""
                System.Collections.Generic.List<long>? keys = argument > 0 ? new System.Collections.Generic.List<long>() : null;
                var s = keys?.ToHashSet(); // <-
                return s == null ? 0 : s.Count;
        """, usings: "using System.Linq;"), "RL0007", "hashes a whole sequence");
}

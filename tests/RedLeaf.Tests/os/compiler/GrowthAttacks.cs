// tests/os/compiler: one base-library call whose output is the product of two bounded inputs (issue 17,
// class 4). Every size a domain hands the base library passes Guard.Length, so each input is under
// DomainLimits.MaxArrayLength; but `s.Replace("a", long)`, `string.Join(",", many)`,
// `sb.Insert(0, s, count)` or `Convert.ToBase64String(big)` make an output the inputs' product (or a
// multiple past the limit) in one call, where no check runs and the kill cannot land. The trusted
// compiler's instrumentation sends each such call through a Guard helper that computes the output's
// size from the arguments and faults the domain ("output length limit") before the call runs; a
// domain collection's Count (which the base library allocates by) passes Guard.Length; a delegate or
// `?.` call that would skip the helper is refused (RL0007); expanding generic instantiation through
// `static abstract` members and constrained calls is refused by the gate (RLGATE019). Sizes here are
// small (the limit is 1 Mi elements) so a gap shows as a failed assertion, not a machine out of memory.
using RedLeaf.Os.Compiler.Gate;
using RedLeaf.Os.Domains;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class GrowthAttacks
{
    private const int Limit = 1 << 20;
    private static readonly DomainLimits Tight = new() { MaxArrayLength = Limit };

    private static void TightArrays(RedLeaf.Os.Microkernel k, Domain d) => k.SetLimits(d, Tight);

    private const string Long = "    private static readonly string S = new string('x', 1 << 20);"; // exactly the limit

    private static Task Grows(string body, string members = Long, string types = "") =>
        CrashesContained(Accepted(Source("        " + body, members, types), "Growth" + Math.Abs(body.GetHashCode())), 0, "output length limit", TightArrays);

    [Fact]
    public Task AReplaceWithALongerReplacement() =>
        Grows("return S.Replace(\"x\", \"0123456789abcdef0123456789abcdef\").Length; // 32 Mi characters");

    /// <summary>At the default limit (16 Mi characters): one Replace of a limit-sized string asks for a gigabyte
    /// of characters (2 GiB). In a child process whose GC heap is capped at 1 GiB, so a gap shows as the child's
    /// OutOfMemoryException (or its death), not as a machine out of memory.</summary>
    [Fact]
    public void AReplaceToAGigabyteAtTheDefaultLimit() => Sandbox.AssertContained(Sandbox.Run(Accepted(Source("""
                var s = new string('x', 1 << 24);
                return s.Replace("x", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef").Length;
        """)), 0, waitMs: 60_000, environment: new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x40000000" }),
        reason: "output length limit");

    /// <summary>Eight threads of one domain, each making one join of a gigabyte at once (the meter samples only
    /// between calls, so before the fix all eight allocations were in flight together).</summary>
    [Fact]
    public void EightThreadsJoiningAGigabyteEach() => Sandbox.AssertContained(Sandbox.Run(Accepted(Source("""
                for (int i = 0; i < 8; i++) DomainThreads.Spawn("joiner", new Joiner());
                return new Joiner().Run().IsOk ? 1 : 0;
        """, types: """
        sealed class Joiner : IThreadBody
        {
            private static readonly string S = new string('x', 1 << 24);
            public RpcResult Run()
            {
                var a = new string[64];
                Array.Fill(a, S);
                return string.Join(",", a).Length > 0 ? RpcResult.Ok : RpcResult.Ok;
            }
        }
        """)), 0, waitMs: 60_000, environment: new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x80000000" }),
        reason: "output length limit");

    [Fact]
    public Task AReplaceIgnoringCaseWithALongerReplacement() =>
        Grows("return S.Replace(\"X\", new string('y', 64), StringComparison.OrdinalIgnoreCase).Length;");

    [Fact]
    public Task ReplaceLineEndingsWithALongReplacement() =>
        Grows("return new string('\\n', 1 << 19).ReplaceLineEndings(new string('z', 100)).Length;");

    [Fact]
    public Task AJoinOverAnArrayOfOneLongString() =>
        Grows("var a = new string[64]; Array.Fill(a, S); return string.Join(\",\", a).Length;");

    [Fact]
    public Task AConcatOverAListOfOneLongString() =>
        Grows("var l = new List<string>(); for (int i = 0; i < 64; i++) l.Add(S); return string.Concat(l).Length;");

    /// <summary>A base-library collection's enumerator runs without a check, so the output grows inside one call.</summary>
    [Fact]
    public Task AJoinOverAQueueOfOneLongString() =>
        Grows("var q = new Queue<string>(); for (int i = 0; i < 64; i++) q.Enqueue(S); return string.Join('-', q).Length;");

    /// <summary>The elements are objects whose ToString is the base library's: StringBuilders of a million characters.</summary>
    [Fact]
    public Task AJoinOverObjectsWhoseToStringIsLong() =>
        Grows("var b = new System.Text.StringBuilder(S); var a = new object[64]; Array.Fill(a, b); return string.Join(\", \", a).Length;");

    [Fact]
    public Task AGenericConcatOverStringBuilders() =>
        Grows("var b = new System.Text.StringBuilder(S); return string.Concat(Enumerable.Repeat(b, 64).ToList()).Length;");

    [Fact]
    public Task AStringBuilderInsertWithACount() =>
        Grows("return new System.Text.StringBuilder().Insert(0, S, 64).Length;");

    [Fact]
    public Task AStringBuilderReplaceWithALongerReplacement() =>
        Grows("return new System.Text.StringBuilder(S).Replace(\"x\", \"xx\").Length;");

    [Fact]
    public Task AStringBuilderAppendJoin() =>
        Grows("var a = new string[64]; Array.Fill(a, S); return new System.Text.StringBuilder().AppendJoin(\";\", a).Length;");

    /// <summary>An array exactly at the limit: its base 64 is a third longer.</summary>
    [Fact]
    public Task ToBase64OfALargeArray() =>
        Grows("return Convert.ToBase64String(new byte[1 << 20]).Length;", members: "");

    [Fact]
    public Task ToHexOfALargeArray() =>
        Grows("return Convert.ToHexString(new byte[1 << 20]).Length;", members: "");

    /// <summary>A string.Format whose format repeats one placeholder over a long argument.</summary>
    [Fact]
    public Task AFormatThatRepeatsALongArgument() =>
        Grows("return string.Format(string.Concat(Enumerable.Repeat(\"{0}\", 64)), S).Length;");

    /// <summary>The argument is a base-library composite whose text embeds two long StringBuilders.</summary>
    [Fact]
    public Task AFormatOverAKeyValuePairOfLongBuilders() =>
        Grows("var b = new System.Text.StringBuilder(S); return string.Format(\"{0}{0}{0}{0}\", new KeyValuePair<System.Text.StringBuilder, System.Text.StringBuilder>(b, b)).Length;");

    /// <summary>StringBuilder.Length pads with zeros up to what it is set to, in one call.</summary>
    [Fact]
    public Task AStringBuilderLengthSetPastTheLimit() => CrashesContained(Accepted(Source("""
                var b = new System.Text.StringBuilder();
                b.Length = 1 << 26;
                return b.Length;
        """)), 0, "array length limit", TightArrays);

    /// <summary>Sizes under names the first sweep of size parameters missed (issue 3 had capacity, count, length...):
    /// Random.GetHexString's stringLength, and an interpolation handler made by hand with a huge literal
    /// length or hole count (its first buffer is rented in one call).</summary>
    [Theory]
    [InlineData("return new Random(1).GetHexString(1 << 26).Length;", "array length limit")]
    [InlineData("var h = new System.Runtime.CompilerServices.DefaultInterpolatedStringHandler(1 << 26, 0); return h.ToStringAndClear().Length;", "array length limit")]
    [InlineData("var h = new System.Runtime.CompilerServices.DefaultInterpolatedStringHandler(0, 1 << 22); return h.ToStringAndClear().Length;", "output length limit")]
    public Task ASizeUnderAnotherName(string body, string reason) =>
        CrashesContained(Accepted(Source("        " + body), "Size" + Math.Abs(body.GetHashCode())), 0, reason, TightArrays);

    /// <summary>A domain collection that says it holds 2^28 elements: List's constructor, ToArray and
    /// HashSet's constructor allocate by its Count in one call, before they ask for one element.</summary>
    [Theory]
    [InlineData("return new List<byte>(new Liar()).Count;")]
    [InlineData("return new Liar().ToArray().Length;")]
    [InlineData("var l = new List<byte>(); l.AddRange(new Liar()); return l.Count;")]
    public Task ACollectionThatLiesAboutItsCount(string body) => CrashesContained(Accepted(Source("        " + body, types: """
        sealed class Liar : ICollection<byte>
        {
            public int Count => 1 << 28;
            public bool IsReadOnly => true;
            public void Add(byte item) { }
            public void Clear() { }
            public bool Contains(byte item) => false;
            public void CopyTo(byte[] array, int arrayIndex) { }
            public bool Remove(byte item) => false;
            public IEnumerator<byte> GetEnumerator() { yield break; }
            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
        """), "Liar" + Math.Abs(body.GetHashCode())), 0, "array length limit", TightArrays);

    /// <summary>string.Create hands the domain a span of the length it asked for: the length passes Guard.Length,
    /// and its callback's delegate type (SpanAction, System.Buffers) is not on the allow-list.</summary>
    [Fact]
    public void AStringCreateOfAHugeLength() => Refused(Source("""
                return string.Create(int.MaxValue, 0L, (span, state) => span.Fill('x')).Length; // <-
        """), GateIds.NotAllowed, "SpanAction");

    /// <summary>A delegate to a guarded call would run it without its Guard helper.</summary>
    [Fact]
    public void AMethodGroupOfAGrowingCall() => Refused(Source("""
                Func<string, string, string> replace = S.Replace; // <-
                return replace("x", "yyyyyyyy").Length;
        """, Long), "RL0007", "S.Replace");

    [Fact]
    public void AConditionalCallOfAGrowingCall() => Refused(Source("""
                string? s = argument > 0 ? S : null;
                return s?.Replace("x", "yyyyyyyy").Length ?? 0; // <-
        """, Long), "RL0007", "?.");

    /// <summary>A generic struct's static abstract member calls a generic helper with the struct doubled; the
    /// helper calls the member back through a constrained call on its type parameter (`U.Go(n)`). No line
    /// names the bigger type except as a type argument; each level doubles a local until one frame jumps over
    /// the stack guard.</summary>
    [Fact]
    public void AnExpandingCycleThroughAStaticAbstractMember() => Refused(Source("""
                return Leaf.Go(argument);
        """, types: """
        interface IGrow { static abstract long Go(long n); }
        struct Leaf : IGrow { public long X; public static long Go(long n) => Driver.Run<Pair<Leaf>>(n); }
        struct Pair<T> : IGrow where T : struct, IGrow
        {
            public T A, B;
            public static long Go(long n) => n == 0 ? 0 : Driver.Run<Pair<Pair<T>>>(n - 1) + 1; // <-
        }
        static class Driver
        {
            public static long Run<U>(long n) where U : struct, IGrow { U u = default; return U.Go(n) + Size(u); }
            private static long Size<U>(U u) => 1;
        }
        """), GateIds.StackSize, "instantiates a bigger type at every level");

    /// <summary>A static abstract generic method, implemented by a struct (a static method, not virtual), called
    /// through a constrained call with a wrapped type argument: the call lands in the implementation.</summary>
    [Fact]
    public void AnExpandingCycleThroughAStaticAbstractGenericMethod() => Refused(Source("""
                return Driver.Call<Maker, long>(argument);
        """, types: """
        struct Two<V> { public V A, B; }
        interface IMaker { static abstract long Make<V>(long n) where V : struct; }
        struct Maker : IMaker
        {
            public static long Make<V>(long n) where V : struct
            {
                V v = default;
                return n == 0 ? 0 : Driver.Call<Maker, Two<V>>(n - 1) + (v.Equals(v) ? 1 : 0); // <-
            }
        }
        static class Driver { public static long Call<M, V>(long n) where M : IMaker where V : struct => M.Make<V>(n); }
        """), GateIds.StackSize, "instantiates a bigger type at every level");

    /// <summary>The same through an instance method of an interface, constrained on the struct that implements it.</summary>
    [Fact]
    public void AnExpandingCycleThroughAConstrainedInstanceCall() => Refused(Source("""
                return Driver.Walk<Box<long>>(argument);
        """, types: """
        interface IStep { long Step(long n); }
        struct Box<T> : IStep where T : struct
        {
            public T Inner;
            public long Step(long n) => n == 0 ? 0 : Driver.Walk<Box<Box<T>>>(n - 1); // <-
        }
        static class Driver { public static long Walk<U>(long n) where U : struct, IStep { U u = default; return u.Step(n); } }
        """), GateIds.StackSize, "instantiates a bigger type at every level");

    /// <summary>The sweep, kept honest as the base library changes: every public overload of the calls whose output
    /// can grow past the sum of their inputs has a Guard helper with its name and parameters (the receiver first),
    /// which is what makes the instrumentation send it there. Left out, each for its reason: same-length
    /// `Replace(char, char)`, `ReplaceLineEndings()` (at most doubles), `Concat` of two to four strings, spans or
    /// objects (the sum of four), `Insert` of one value, and the CompositeFormat overloads (the type is not on the allow-list).</summary>
    [Fact]
    public void EveryOverloadOfAGrowingCallHasAGuardHelper()
    {
        var growing = new (Type Type, string Name)[]
        {
            (typeof(string), "Replace"), (typeof(string), "ReplaceLineEndings"), (typeof(string), "Join"), (typeof(string), "Concat"),
            (typeof(string), "Format"), (typeof(System.Text.StringBuilder), "Insert"), (typeof(System.Text.StringBuilder), "Replace"),
            (typeof(System.Text.StringBuilder), "AppendJoin"), (typeof(System.Text.StringBuilder), "AppendFormat"),
            (typeof(Convert), "ToBase64String"), (typeof(Convert), "ToHexString"), (typeof(Convert), "ToHexStringLower"), (typeof(BitConverter), "ToString"),
        };
        static bool LeftOut(System.Reflection.MethodInfo m)
        {
            var p = m.GetParameters().Select(x => x.ParameterType).ToArray();
            return (m.Name == "Replace" && p.Length >= 2 && p[0] == typeof(char))
                || (m.Name == "ReplaceLineEndings" && p.Length == 0)
                || (m.Name == "Concat" && p.Length is >= 1 and <= 4 && p.All(t => t == typeof(string) || t == typeof(object) || t == typeof(ReadOnlySpan<char>)))
                || (m.Name == "Insert" && !(p.Length == 3 && p[1] == typeof(string)))
                || p.Any(t => t.Name == "CompositeFormat")
                || (m.DeclaringType == typeof(object));
        }
        var helpers = typeof(RedLeaf.Abi.Guard).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static);
        var missing = new List<string>();
        foreach (var (type, name) in growing)
            foreach (var m in type.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Instance).Where(m => m.Name == name && !LeftOut(m)))
            {
                var wanted = (m.IsStatic ? Array.Empty<(string?, string)>() : new (string?, string)[] { ("target", type.Name) })
                    .Concat(m.GetParameters().Select(x => (x.Name, x.ParameterType.Name))).ToArray();
                if (!helpers.Any(h => h.Name == name && h.GetGenericArguments().Length == (m.IsGenericMethod ? m.GetGenericArguments().Length : 0)
                        && h.GetParameters().Select(x => (x.Name, x.ParameterType.Name)).SequenceEqual(wanted)))
                    missing.Add($"{type.Name}.{m}");
            }
        Assert.True(missing.Count == 0, "no Guard helper for:\n" + string.Join("\n", missing));
    }

    /// <summary>A standard numeric format's precision is how many digits the base library writes, in one call.</summary>
    [Theory]
    [InlineData("return argument.ToString(\"D50000000\").Length;")]
    [InlineData("var f = \"X\" + (argument + 50_000_000); return argument.ToString(f).Length;")]
    [InlineData("Span<char> d = new char[16]; return argument.TryFormat(d, out int n, \"D50000000\") ? n : -1;")]
    public Task ANumberFormattedToFiftyMillionDigits(string body) =>
        CrashesContained(Accepted(Source("        " + body), "Digits" + Math.Abs(body.GetHashCode())), 0, "precision limit");

    /// <summary>The same precision as an interpolation's constant format: refused before the compile.</summary>
    [Fact]
    public void AnInterpolationFormattedToFiftyMillionDigits() =>
        Refused(Source("        return $\"{argument:D50000000}\".Length; // <-"), "RL0005", "precision 50,000,000");

    /// <summary>What ordinary code does with these calls still works, under the limit: the domain computes what
    /// <see cref="Ordinary"/> computes here, unguarded.</summary>
    [Fact]
    public void GuardedCallsMeanWhatTheyMeant() => AssertReturns(Accepted(Source("""
                var parts = new List<string> { "a", "b", "c" };
                string joined = string.Join(", ", parts) + string.Join('|', new object?[] { 1, null, "x" }) + string.Concat(parts) + string.Join(",", parts.Select(p => p.ToUpperInvariant())) + string.Join(", ", "p", "q") + string.Concat(new Queue<string>(parts));
                string replaced = "banana".Replace("an", "AN") + "a\r\nb".ReplaceLineEndings("<br>") + "aXa".Replace("x", "yy", StringComparison.OrdinalIgnoreCase) + "aaa".Replace("a", "");
                var b = new System.Text.StringBuilder("ab").Insert(1, "-", 3).Replace("-", "+").AppendJoin("/", parts).AppendJoin(',', 1, 2);
                string formatted = string.Format("{0}-{1}-{0}", "p", 7) + Convert.ToBase64String(new byte[] { 1, 2, 3 }) + Convert.ToHexString(new byte[] { 255 }) + string.Join<int>(";", new[] { 4, 5 });
                string all = joined + replaced + b + formatted;
                long h = 0;
                foreach (char c in all) h = h * 31 + c;
                return h;
        """)), Ordinary());

    private static long Ordinary()
    {
        var parts = new List<string> { "a", "b", "c" };
        string joined = string.Join(", ", parts) + string.Join('|', new object?[] { 1, null, "x" }) + string.Concat(parts) + string.Join(",", parts.Select(p => p.ToUpperInvariant())) + string.Join(", ", "p", "q") + string.Concat(new Queue<string>(parts));
        string replaced = "banana".Replace("an", "AN") + "a\r\nb".ReplaceLineEndings("<br>") + "aXa".Replace("x", "yy", StringComparison.OrdinalIgnoreCase) + "aaa".Replace("a", "");
        var b = new System.Text.StringBuilder("ab").Insert(1, "-", 3).Replace("-", "+").AppendJoin("/", parts).AppendJoin(',', 1, 2);
        string formatted = string.Format("{0}-{1}-{0}", "p", 7) + Convert.ToBase64String(new byte[] { 1, 2, 3 }) + Convert.ToHexString(new byte[] { 255 }) + string.Join<int>(";", new[] { 4, 5 });
        string all = joined + replaced + b + formatted;
        long h = 0;
        foreach (char c in all) h = h * 31 + c;
        return h;
    }
}

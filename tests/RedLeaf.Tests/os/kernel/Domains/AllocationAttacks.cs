// tests/os/kernel/Domains: domains that try to exhaust memory: huge arrays (the instrumentation checks every
// array size against DomainLimits.MaxArrayLength before the allocation), one-call allocations in the
// base library that no array size in domain code reveals, private allocation bombs against
// PrivateBytesPerSecond (a list grown without end, a string built by concatenation, ToList over an
// endless sequence), and shared-heap bombs against SharedHeapBytes and the heap's slots. Every size here
// is bounded (tens of MiB at most) so a gap shows as a failed assertion, never as a machine out of
// memory; the one bomb run at the default limit runs in a child process under a GC heap limit.
using RedLeaf.Abi;
using RedLeaf.Os.Domains;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class AllocationAttacks
{
    private const int Limit = 1 << 20;
    private static readonly DomainLimits Tight = new() { MaxArrayLength = Limit };

    private static void TightArrays(RedLeaf.Os.Microkernel k, Domain d) => k.SetLimits(d, Tight);

    [Fact]
    public async Task AHugeArray()
    {
        var image = Accepted(Source("        return new long[int.MaxValue / 2].Length;"));
        long before = GC.GetTotalAllocatedBytes(precise: true);
        await CrashesContained(image, 0, "array length limit", TightArrays);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 256L << 20, "the huge array was allocated before it was refused");
    }

    [Fact]
    public Task AnArrayJustPastTheLimitWithASizeFromTheCaller() =>
        CrashesContained(Accepted(Source("        return new byte[argument].Length;")), Limit + 1, "array length limit", TightArrays);

    [Fact]
    public Task ANegativeArraySizeIsACrashNotAHang() =>
        CrashesContained(Accepted(Source("        return new byte[argument].Length;")), -1, "Overflow");

    [Fact]
    public Task AnArrayBombThatCatchesTheRefusal() => CrashesContained(Accepted(Source("""
                long total = 0;
                for (int i = 0; i < 100; i++)
                {
                    try { total += new long[Limit * 4].Length; }
                    catch { total--; } // the limit's fault must not be swallowed
                }
                return total;
        """, "    private const int Limit = 1 << 20;")), 0, "array length limit", TightArrays);

    /// <summary>A rectangular array: each dimension is under the limit, the element count is four times it.</summary>
    [Fact]
    public Task AMultiDimensionalArrayPastTheLimit() =>
        CrashesContained(Accepted(Source("        return new byte[2048, 2048].Length; // 4 Mi elements")), 0, "array length limit", TightArrays);

    /// <summary>One call into the base library allocates an array (or string) past the limit: no array size
    /// appears in domain code, so the instrumentation sees nothing. Issue 3 item 4: "nothing on the
    /// allow-list allocates without bound in one call".</summary>
    [Theory]
    [InlineData("var a = new long[1]; Array.Resize(ref a, 4_000_000); return a.Length;")]
    [InlineData("return new List<long>(4_000_000).Capacity;")]
    [InlineData("return Enumerable.Repeat(0L, 4_000_000).ToArray().Length;")]
    [InlineData("return new string('x', 4_000_000).Length;")]
    [InlineData("return new System.Text.StringBuilder(4_000_000).Capacity;")]
    [InlineData("return new System.Text.StringBuilder().Append('x', 4_000_000).Length;")]
    [InlineData("var l = new List<long>(); l.Capacity = 4_000_000; return l.Capacity;")]
    [InlineData("var l = new List<long>(); l.Capacity += 4_000_000; return l.Capacity;")]
    [InlineData("var b = new System.Text.StringBuilder(); b.Capacity = 4_000_000; return b.Capacity;")]
    [InlineData("var l = new List<long>(1_000_000); l.Capacity += 1_000_000; return l.Capacity;")]
    [InlineData("var l = new List<long>(1_000_000); l.Capacity *= 4; return l.Capacity;")]
    [InlineData("var l = new List<long>(1_000_000); l.Capacity <<= 2; return l.Capacity;")]
    [InlineData("var l = new List<long>(1_000_000); while (true) l.Capacity *= 2;")]
    [InlineData("return new PriorityQueue<long, long>(4_000_000).Count;")]
    [InlineData("return new Random(1).GetItems(new[] { 1L, 2L }, 4_000_000).Length;")]
    public Task AOneCallAllocationPastTheLimitInTheBaseLibrary(string body) =>
        CrashesContained(Accepted(Source("        " + body)), 0, "array length limit", TightArrays);

    private static readonly DomainLimits TightAllocation = new() { PrivateBytesPerSecond = 16 << 20 };

    /// <summary>List&lt;T&gt;.Add grows the list's array past MaxArrayLength inside the base library (in
    /// exploration, before the limit, a bomb allocated 11 GB in 1 s); at the default limit, in a child process whose GC heap is capped at 8 GiB (if the
    /// meter missed it, the child would run out of memory and the reason would say so, not the limit). The
    /// list doubles its array, so it is stopped at the latest when one doubling alone passes the limit (a
    /// 2 GiB array, with the 1 GiB one still live); filling a list that large takes seconds in a Debug build.</summary>
    [Fact]
    public void AListGrownPastTheArrayLimit() => Sandbox.AssertContained(Sandbox.Run(Accepted(Source("""
                var list = new List<long>();
                while (true) list.Add(argument);
        """)), 0, waitMs: 60_000, environment: new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x200000000" }),
        reason: "private allocation limit");

    /// <summary>A leak slower than the allocation rate limit (about a third of a gigabyte a second, all of it
    /// kept): the rate never trips, so without the kernel's managed-heap budget it would fill the machine.
    /// In a child whose budget is 768 MiB and whose GC heap is capped at 4 GiB (if the budget missed it, the
    /// domain would die of OutOfMemoryException instead, and the reason would say so).</summary>
    [Fact]
    public void ALeakSlowerThanTheRateLimitMeetsTheHeapBudget() => Sandbox.AssertContained(Sandbox.Run(Accepted(Source("""
                var keep = new List<long[]>();
                long x = 0;
                while (true)
                {
                    keep.Add(new long[131072]); // 1 MiB, kept
                    for (int i = 0; i < 2_000_000; i++) x += i ^ keep.Count; // slower than the rate limit
                }
        """)), 0, waitMs: 60_000, environment: new Dictionary<string, string>
    {
        ["REDLEAF_HEAP_BUDGET_MB"] = "768",
        ["DOTNET_GCHeapHardLimit"] = "0x100000000",
    }), reason: "managed heap budget");

    /// <summary>A string built by concatenation in a loop: little stays live, but every step copies the
    /// whole string (about 640 GB in all if nothing stopped it).</summary>
    [Fact]
    public Task AStringBuiltByConcatenation() => CrashesContained(Accepted(Source("""
                string s = "";
                for (long i = 0; i < 200_000; i++) s += "0123456789abcdef";
                return s.Length;
        """)), 0, "private allocation limit", (k, d) => k.SetLimits(d, TightAllocation));

    /// <summary>ToList over a sequence with no end in sight (2^25 longs, 512 MiB of list arrays, if the limit
    /// let it finish): the list grows in the base library, the generator's loop is where the checks run.</summary>
    [Fact]
    public Task ToListOverAnEndlessSequence() => CrashesContained(Accepted(Source("""
                return Forever(argument).ToList().Count;
        """, """
            private static IEnumerable<long> Forever(long x)
            {
                for (long i = 0; i < (1L << 25); i++) yield return x;
            }
        """)), 0, "private allocation limit", (k, d) => k.SetLimits(d, TightAllocation));

    [Fact]
    public Task ASharedHeapBombAgainstTheByteLimit() => CrashesContained(Accepted(Source("""
                var kept = new List<RRef<Payload>>();
                while (true) kept.Add(RRef<Payload>.New(new Payload(argument, argument)));
        """)), 0, "shared heap limit", (k, d) => k.SetLimits(d, new DomainLimits { SharedHeapBytes = 64 << 10 }));

    [Fact]
    public Task ASharedHeapBombThatCatchesTheRefusal() => CrashesContained(Accepted(Source("""
                var kept = new List<RRef<Payload>>();
                for (int i = 0; i < 100_000; i++)
                {
                    try { kept.Add(RRef<Payload>.New(new Payload(i, i))); }
                    catch { } // refused? try again
                }
                return kept.Count;
        """)), 0, "shared heap limit", (k, d) => k.SetLimits(d, new DomainLimits { SharedHeapBytes = 64 << 10 }));

    [Fact]
    public Task AnRRefArrayBomb() => CrashesContained(Accepted(Source("""
                var kept = new List<RRefArray<long>>();
                while (true) kept.Add(RRefArray<long>.New(1000));
        """)), 0, "shared heap limit", (k, d) => k.SetLimits(d, new DomainLimits { SharedHeapBytes = 1 << 20 }));

    [Fact]
    public Task OneHugeRRefArray() =>
        CrashesContained(Accepted(Source("        return RRefArray<long>.New(int.MaxValue).Length;")), 0, "limit");

    [Fact]
    public Task FillingEverySlotOfTheSharedHeap() => CrashesContained(Accepted(Source("""
                var kept = new List<RRef<long>>();
                while (true) kept.Add(RRef<long>.New(argument));
        """)), 0, "all 65536 allocation slots are in use");

    /// <summary>`x.Capacity *= k` is checked as a whole (the new capacity) only when the receiver can be read
    /// twice; a computed one (an indexer, a call) is refused with RL0004 before the compile, naming the line.</summary>
    [Theory]
    [InlineData("var ls = new List<List<long>> { new() }; ls[0].Capacity <<= 30; return ls[0].Capacity; // <-")]
    [InlineData("return Make().Capacity *= 1 << 20; // <-")]
    public void ACapacityCompoundAssignmentOnAComputedReceiver(string body) => Refused(Source("        " + body,
        "    private static List<long> Make() => new List<long>(16);", usings: "using System.Collections.Generic;"),
        "RL0004", "put it in a local variable first");

    /// <summary>An interpolation pads to its alignment in one base-library call: `{x,1000000000}` would
    /// allocate and fill two gigabytes where no check runs (the call did not come back within 8 s). A
    /// constant alignment past Guard.MaxAlignment is refused before the compile.</summary>
    [Theory]
    [InlineData("        return $\"{argument,1000000000}\".Length; // <-")]
    [InlineData("        return $\"{argument,-1000000000}\".Length; // <-")]
    public void AnInterpolationAlignedToAGigabyte(string body) => Refused(Source(body), "RL0005", "at most 1,000,000");

    /// <summary>The interpolation handler may be called by hand, with an alignment computed at run time.</summary>
    [Fact]
    public Task AnAlignmentComputedAtRunTime() => CrashesContained(Accepted(Source("""
                var h = new System.Runtime.CompilerServices.DefaultInterpolatedStringHandler(0, 1);
                h.AppendFormatted(argument, (int)(argument * 1000));
                return h.ToStringAndClear().Length;
        """)), 1_000_000, "alignment limit");
}

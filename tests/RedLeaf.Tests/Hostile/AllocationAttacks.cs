// tests/Hostile: domains that try to exhaust memory: huge arrays (the instrumentation checks every
// array size against DomainLimits.MaxArrayLength before the allocation), one-call allocations in the
// base library that no array size in domain code reveals, collections grown without bound, private
// allocation bombs (stopped by a kill), and shared-heap bombs against SharedHeapBytes and the heap's
// slots. Every size here is bounded (tens of MiB at most) so a gap shows as a failed assertion, never as
// a machine out of memory.
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
    public Task AOneCallAllocationPastTheLimitInTheBaseLibrary(string body) =>
        CrashesContained(Accepted(Source("        " + body)), 0, "array length limit", TightArrays);

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
}

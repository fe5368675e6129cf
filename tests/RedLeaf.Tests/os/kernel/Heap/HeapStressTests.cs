// tests/os/kernel/Heap: the shared heap under a storm (issue 17, class 2): four domains with four threads each
// allocate, write, read, drop, move, lend and batch RRefs among themselves for 10 s, with a share of hostile
// accesses (copies kept after a drop or a move, writes to lent objects, handles another thread is dropping
// or moving right now). The engine is the bench's (benchmarks/RedLeaf.Benchmarks/Suites/HeapStressSuite.cs, also
// `redleaf bench heap-stress`): every hostile access refused (its domain faulted and restarted), no value
// ever read from another domain's object, the process alive, the heap at its baseline at the end.
using RedLeaf.Benchmarks.Suites;
using Xunit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
[Collection("heap races")]
public class HeapStressTests
{
    [Fact]
    public void FourDomainsOfFourThreadsRacingAndAttackingTheHeapForTenSeconds()
    {
        var o = HeapStressSuite.Stress(TimeSpan.FromSeconds(10));
        string said = $"{o.Ops} legal ops in {o.Seconds:F1} s, {o.HostileRefused} hostile refused, {o.ForeignReads} foreign reads, " +
                      $"{o.NotRefused} not refused, {o.Restarts} restarts; other crashes: {string.Join(" | ", o.OtherCrashes.Take(5))}";
        Assert.True(o.Seconds >= 10, said);
        Assert.True(o.ForeignReads == 0, $"foreign reads: {said}");
        Assert.True(o.NotRefused == 0, $"hostile accesses not refused: {said}");
        Assert.Empty(o.OtherCrashes); // foreign reads are listed here too, with what was read
        Assert.True(o.HostileRefused >= 10, $"too few hostile accesses were made to mean anything: {said}");
        Assert.Equal(o.HostileRefused, o.Restarts);
        Assert.True(o.Ops > 10_000, $"the domains did almost no legal work: {said}");
        Assert.Equal(o.LiveBefore, o.LiveAfter);
    }
}

// tests/benchmarks/RedLeaf.Benchmarks/Gc: the runtime's GC events as GcPauseListener reads them: a full collection
// asked for in this process shows up as an induced gen2 pause with a duration, and is counted.
using RedLeaf.Benchmarks.Gc;
using Xunit;

namespace RedLeaf.Tests.Bench;

[Trait("suite", "bench")]
public class GcPauseListenerTests
{
    [Fact]
    public void AnInducedFullCollectionIsSeenAsAPauseOfGenerationTwo()
    {
        using var listener = new GcPauseListener();
        Assert.True(listener.Enabled, "the runtime's event source was found and enabled");
        var from = DateTime.UtcNow.AddSeconds(-1);
        long ended = listener.Ended;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        Assert.True(listener.WaitFor(ended + 1, TimeSpan.FromSeconds(10)), "the collection's events arrived");
        var pauses = listener.PausesBetween(from, DateTime.UtcNow.AddSeconds(1));
        var full = pauses.Where(p => p.ForGc && p.Generation == 2 && p.Induced).ToArray();
        Assert.True(full.Length >= 1, $"an induced gen2 pause among: {string.Join("; ", pauses.Select(p => $"{p.Kind} {p.Microseconds:F0} us"))}");
        Assert.All(full, p => Assert.InRange(p.Microseconds, 0.001, 10e6));
        Assert.Contains("gen2", full[0].Kind);
        Assert.True(listener.Collections[2] >= 1);
    }
}

// tests/os/kernel/Domains: the private-allocation limit (DomainLimits.PrivateBytesPerSecond, measured by
// AllocationMeter from the runtime's per-thread allocation counter at the instrumentation's checks,
// when its clock asks every 10 ms):
// settable per domain instance, a domain under its limit is untouched and its bytes are counted, and
// the crash reason names the limit and the amount. The meter's clock bit is process-wide (the first check
// on any thread takes it), so these run apart from the parallel suites, as the notebooks do.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using Xunit;

namespace RedLeaf.Tests.Kernel;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeterCollection
{
    public const string Name = "allocation meter (one at a time)";
}

[Trait("suite", "kernel")]
[Collection(AllocationMeterCollection.Name)]
public class PrivateAllocationTests
{
    /// <summary>Run(n) allocates n MiB of garbage in 4 KiB arrays (256 per MiB, each behind a loop check).</summary>
    private static DomainImage Allocator => TrustedCompiler.Default.CompileText("allocator", """
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;
        public static class Entry { [DomainEntry] public static IHostile Start() { return new Allocator(); } }
        sealed class Allocator : IHostile
        {
            private byte[] _last = new byte[1];
            public RpcResult<long> Run(long mebibytes)
            {
                long sum = 0;
                for (long i = 0; i < mebibytes * 256; i++) { _last = new byte[4096]; sum += _last.Length; }
                return sum;
            }
        }
        """, "allocator.cs");

    private const long MiB = 1 << 20;

    [Fact]
    public void TheLimitIsSetPerDomainAndTheReasonNamesItAndTheAmount()
    {
        using var k = TestDomains.Boot();
        var tight = k.Load(Allocator);
        var roomy = k.Load(Allocator);
        var limit = new DomainLimits { PrivateBytesPerSecond = 32 * MiB };
        k.SetLimits(tight, limit);
        Assert.Equal(32 * MiB, tight.Limits.PrivateBytesPerSecond);
        Assert.Equal(DomainLimits.Default.PrivateBytesPerSecond, roomy.Limits.PrivateBytesPerSecond);

        // The tight one is asked for 1 GiB of garbage: the meter stops it once it has charged 32 MiB.
        var crashed = tight.Get<IHostile>().Run(1024);
        Assert.Equal(RpcErrorKind.CalleeCrashed, crashed.Error.Kind);
        var reason = tight.LastCrash!.Reason;
        Assert.Contains("private allocation limit", reason);
        Assert.Contains($"its limit is {32 * MiB:N0} bytes per second", reason);
        Assert.Matches(@"allocated [\d,]+ bytes in \d+ ms", reason);
        long charged = long.Parse(System.Text.RegularExpressions.Regex.Match(reason, @"allocated ([\d,]+) bytes").Groups[1].Value.Replace(",", ""));
        Assert.InRange(charged, 32 * MiB + 1, 1024 * MiB);

        // The same 256 MiB is well under the default of 2 GiB a second.
        var fine = roomy.Get<IHostile>().Run(256);
        Assert.Equal(256 * MiB, fine.Value);
        Assert.Equal(DomainStatus.Running, roomy.Status);
        Assert.Null(roomy.LastCrash);
    }

    [Fact]
    public void ADomainUnderItsLimitIsUntouchedAndItsAllocationIsCounted()
    {
        using var k = TestDomains.Boot();
        var d = k.Load(Allocator);
        k.SetLimits(d, new DomainLimits { PrivateBytesPerSecond = 64 * MiB });
        var proxy = d.Get<IHostile>();
        for (int i = 0; i < 10; i++) // 40 MiB over a second: under the limit in any window
        {
            Assert.Equal(4 * MiB, proxy.Run(4).Value);
            Thread.Sleep(100);
        }
        Assert.Equal(DomainStatus.Running, d.Status);
        Assert.Null(d.LastCrash);
        // Counted: a later check on this thread, after a clock tick, charges what the calls before allocated
        // (a tick can go to a stray thread of another test's kernel, so give it a few ticks, bounded).
        for (int i = 0; i < 100 && d.PrivateBytesAllocated < 40 * MiB; i++)
        {
            Thread.Sleep(15);
            Assert.Equal(0, proxy.Run(0).Value);
        }
        Assert.InRange(d.PrivateBytesAllocated, 40 * MiB, 48 * MiB);
        Assert.InRange(d.PeakPrivateBytesPerSecond, 1, 64 * MiB);
    }

    [Fact]
    public void TheLimitIsKeptAcrossARestartAndTheNewInstanceStartsAfresh()
    {
        using var k = TestDomains.Boot();
        var d = k.Load(Allocator);
        k.SetLimits(d, new DomainLimits { PrivateBytesPerSecond = 16 * MiB });
        Assert.Equal(RpcErrorKind.CalleeCrashed, d.Get<IHostile>().Run(1024).Error.Kind);
        k.Restart(d);
        Assert.InRange(d.PrivateBytesAllocated, 0, 16 * MiB); // at most its start (the old instance was charged past 16 MiB)
        Assert.Equal(4 * MiB, d.Get<IHostile>().Run(4).Value);
        Assert.Equal(RpcErrorKind.CalleeCrashed, d.Get<IHostile>().Run(1024).Error.Kind);
        Assert.Contains($"its limit is {16 * MiB:N0} bytes per second", d.LastCrash!.Reason);
    }
}

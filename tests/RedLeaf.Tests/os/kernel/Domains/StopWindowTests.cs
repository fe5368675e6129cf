// tests/os/kernel/Domains: the stop checks' slow path after a crash. Every check in every domain asks whether its
// own domain was stopped while any stopped domain's code may still run (Guard.StopsPending). With
// collection confirmed, the count drops when the context is collected; with it off (benchmarks), after
// KernelOptions.UnconfirmedStopWindow. Before, it never dropped in that mode, and every check of every
// domain stayed on its slow path for the rest of the process (a third of benchfs's reads under crashes).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using Xunit;

namespace RedLeaf.Tests.Kernel;

[Trait("suite", "kernel")]
[Collection(AllocationMeterCollection.Name)] // the count is process-wide: no other suite's crashes meanwhile
public class StopWindowTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AfterACrashTheChecksLeaveTheirSlowPath(bool confirm)
    {
        using var k = TestDomains.Boot(new KernelOptions { ConfirmCollection = confirm, UnconfirmedStopWindow = TimeSpan.FromMilliseconds(20) });
        var b = k.Load(TestDomains.DomB);
        int before = Microkernel.PendingStops;
        Assert.Equal(RpcErrorKind.CalleeCrashed, b.Get<IDomB>().Crash().Error.Kind);
        Assert.True(Microkernel.PendingStops > before || confirm, "a crash in the unconfirmed mode did not open the stop window");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Microkernel.PendingStops > before && DateTime.UtcNow < deadline) await Task.Delay(5);
        Assert.True(Microkernel.PendingStops <= before, $"{Microkernel.PendingStops} stops still pending 10 s after the crash (before it: {before})");
    }
}

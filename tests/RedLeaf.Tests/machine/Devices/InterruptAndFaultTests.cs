// tests/machine/Devices: the interrupt controller (one handler per vector, masking, latching, a throwing
// handler does not take the machine down) and the fault injector's rules.
using RedLeaf.Hardware;
using RedLeaf.Hardware.Devices;
using Xunit;

using EmulatedMachine = RedLeaf.Hardware.Machine;

namespace RedLeaf.Tests.Devices;

[Trait("suite", "devices")]
public class InterruptAndFaultTests
{
    [Fact]
    public void DevicesGetDistinctVectorsAndEachVectorOneHandler()
    {
        using var m = new EmulatedMachine(new MachineConfig { Cpus = 1, MemoryBytes = 1 << 20 });
        var a = m.Attach(new TimerDevice("t0"));
        var b = m.Attach(new Uart("u0"));
        Assert.NotEqual(a.Vector, b.Vector);
        Assert.Same(b, m["u0"]);
        m.Interrupts.Connect(a.Vector, _ => { });
        var e = Assert.Throws<InvalidOperationException>(() => m.Interrupts.Connect(a.Vector, _ => { }));
        Assert.Contains($"vector {a.Vector} already has a handler", e.Message);
        Assert.Throws<InvalidOperationException>(() => m.Attach(new TimerDevice("t0")));
    }

    [Fact]
    public void ARaiseDuringItsOwnHandlerIsDeliveredAfterItAndAThrowingHandlerIsCounted()
    {
        var ic = new InterruptController();
        int calls = 0;
        ic.Connect(40, v =>
        {
            calls++;
            if (calls == 1) ic.Raise(40); // nested: latched, delivered when this handler returns
            if (calls == 2) throw new InvalidOperationException("driver bug");
        });
        ic.Raise(40);
        Assert.Equal(2, calls);
        Assert.Equal(2, ic.Delivered(40));
        Assert.Equal(1, ic.HandlerFaults(40));
        Assert.Equal(0, ic.Pending(40));
        ic.Raise(40);
        Assert.Equal(3, calls); // still works after a handler threw
    }

    [Fact]
    public void RaisesWithoutAHandlerWaitUntilOneConnects()
    {
        var ic = new InterruptController();
        ic.Raise(33);
        ic.Raise(33);
        int seen = 0;
        ic.Connect(33, _ => seen++);
        Assert.Equal(1, seen); // coalesced, as a latched line is
        Assert.Equal(2, ic.Raised(33));
    }

    [Fact]
    public void FaultRulesHitExactlyTheOperationsTheyName()
    {
        var f = new FaultInjector();
        Assert.Equal(DeviceFault.None, f.Check());
        f.Every(DeviceFault.IoError, every: 3, count: 2);
        var seen = Enumerable.Range(0, 10).Select(_ => f.Check()).ToArray();
        Assert.Equal(new[] { 2, 5 }, seen.Select((k, i) => (k, i)).Where(x => x.k == DeviceFault.IoError).Select(x => x.i));
        Assert.False(f.Armed);
        Assert.Equal(2, f.Injected(DeviceFault.IoError));

        var r1 = new FaultInjector();
        var r2 = new FaultInjector();
        r1.Randomly(DeviceFault.LostCompletion, 0.25, seed: 42);
        r2.Randomly(DeviceFault.LostCompletion, 0.25, seed: 42);
        var s1 = Enumerable.Range(0, 400).Select(_ => r1.Check()).ToArray();
        var s2 = Enumerable.Range(0, 400).Select(_ => r2.Check()).ToArray();
        Assert.Equal(s1, s2); // the same seed replays the same faults
        Assert.InRange(s1.Count(k => k == DeviceFault.LostCompletion), 60, 140);
    }
}

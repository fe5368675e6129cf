// tests/os/kernel/Domains: Kill and Restart (Microkernel.Kill/Restart/Dispose): a killed domain refuses calls
// and loses what it owned; a restarted one serves through the same export proxy with fresh state and
// a new id (grantees follow it); a kill during a call reports CalleeKilled; disposing the kernel
// kills every domain.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using Xunit;

namespace RedLeaf.Tests.Kernel;

[Trait("suite", "kernel")]
public class RestartKillTests
{
    private sealed class HostCounter(Action<long> onNext) : ICounter
    {
        private long _value;
        public RpcResult<long> Next()
        {
            onNext(++_value);
            return _value;
        }
    }

    [Fact]
    public void ARestartedDomainServesThroughTheSameExportWithFreshStateAndANewId()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            var export = b.Export;
            int oldId = b.Id;
            domB.Null();
            domB.Add(1, 1);
            Assert.Equal(3, domB.Calls().Value);

            Assert.Same(b, k.Restart(b));

            Assert.Equal(DomainStatus.Running, b.Status);
            Assert.True(b.Id > oldId, $"new id {b.Id} is not past the old one {oldId}");
            Assert.Equal(1, b.Restarts);
            Assert.Same(export, b.Export);
            Assert.Equal(b.Id, export!.CalleeId);
            Assert.Equal(1, domB.Calls().Value); // state started over
            Assert.Equal(42, domB.Add(20, 22).Value);
            Assert.Equal(CrashKind.Kill, b.LastCrash!.Kind); // the running instance was killed first
            Assert.Equal("restarted on request", b.LastCrash.Reason);
            Assert.Equal(oldId, b.LastCrash.InstanceId);
            Assert.Contains(k.Log.Entries, e => e.Message.Contains($"dom_b restarted as instance {b.Id}"));
        }
    }

    [Fact]
    public void ACrashedDomainRestartsAndItsGranteesReachTheNewInstance()
    {
        var (k, a, b) = TestDomains.WithDomAandB();
        using (k)
        {
            var domA = a.Get<IDomA>();
            Assert.Equal(RpcErrorKind.CalleeCrashed, b.Get<IDomB>().Crash().Error.Kind);
            Assert.Equal(RpcErrorKind.NotRunning, domA.Run(2).Error.Kind);

            k.Restart(b);
            Assert.Equal(DomainStatus.Running, b.Status);
            Assert.Equal(Enumerable.Range(0, 10).Sum(i => (long)i + 1), domA.Run(10).Value); // dom_a's grant follows
            Assert.Equal(21, b.Get<IDomB>().Calls().Value);
            Assert.Single(b.Crashes); // restarting a crashed domain adds no crash of its own
        }
    }

    [Fact]
    public void KillMakesCallsReturnNotRunning()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            int id = b.Id;
            k.Kill(b, "test says so");

            Assert.Equal(DomainStatus.Killed, b.Status);
            var crash = Assert.Single(b.Crashes);
            Assert.Equal((CrashKind.Kill, "test says so"), (crash.Kind, crash.Reason));
            Assert.False(b.Export!.IsBound);
            var r = domB.Add(1, 2);
            Assert.Equal(RpcErrorKind.NotRunning, r.Error.Kind);
            Assert.Equal(id, r.Error.DomainId);
            Assert.Equal(RpcErrorKind.NotRunning, domB.Produce(1, 2).Error.Kind);
        }
    }

    [Fact]
    public void KillFreesEverythingTheDomainOwned()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var mine = RRef<Payload>.New(new Payload(1, 1));
            var before = (k.Heap.LiveObjects, k.Heap.LiveBytes);
            for (int i = 0; i < 3; i++) domB.Keep(RRef<Payload>.New(new Payload(i, i)));
            domB.KeepPair(HeapProbe.NewPair(1, 2));
            Assert.Equal((6, 3 * 16L + 24 + 32), k.Heap.OwnedBy(b.Id));

            k.Kill(b);
            Assert.Equal(before, (k.Heap.LiveObjects, k.Heap.LiveBytes));
            Assert.Equal((6, 3 * 16L + 24 + 32), (b.LastCrash!.FreedObjects, b.LastCrash.FreedBytes));
            Assert.Equal(1, mine.Value.A);
        }
    }

    [Fact]
    public void AKilledDomainCanBeRestartedAndKillIsIdempotent()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            int first = b.Id;
            k.Kill(b);
            k.Kill(b); // nothing left to kill
            Assert.Single(b.Crashes);

            k.Restart(b);
            int second = b.Id;
            Assert.NotEqual(first, second);
            Assert.Equal(DomainStatus.Running, b.Status);
            Assert.Equal(7, domB.Add(3, 4).Value);

            k.Kill(b);
            k.Restart(b);
            Assert.True(b.Id > second);
            Assert.Equal(2, b.Restarts);
            Assert.Equal(1, domB.Calls().Value);
            Assert.Equal(new[] { first, second }, b.Crashes.Select(c => c.InstanceId));
        }
    }

    [Fact]
    public void InstanceIdsAreNeverReused()
    {
        using var k = TestDomains.Boot();
        var b1 = k.Load(TestDomains.DomB);
        var b2 = k.Load(TestDomains.DomB);
        var ids = new List<int> { b1.Id, b2.Id };
        for (int i = 0; i < 3; i++)
        {
            k.Restart(b1);
            ids.Add(b1.Id);
            k.Restart(b2);
            ids.Add(b2.Id);
        }
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.DoesNotContain(Microkernel.KernelId, ids);
    }

    [Fact]
    public void AKillDuringACallReportsCalleeKilled()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            // dom_b calls back into the host, and the host kills dom_b before answering.
            var host = new HostCounter(n => { if (n == 2) k.Kill(b, "killed mid-call"); });
            var r = domB.Drive(host, 4);

            Assert.Equal(RpcErrorKind.CalleeKilled, r.Error.Kind);
            Assert.Equal(b.Id, r.Error.DomainId);
            Assert.Equal(DomainStatus.Killed, b.Status);
            Assert.Equal("killed mid-call", Assert.Single(b.Crashes).Reason);
            Assert.Equal(RpcErrorKind.NotRunning, domB.Null().Error.Kind);
        }
    }

    [Fact]
    public async Task AKilledDomainsLoadContextIsCollected()
    {
        var (k, b, _) = TestDomains.WithDomB();
        using (k)
        {
            k.Kill(b);
            var collected = await HeapProbe.CollectedWithin(b.LastCrash!, TimeSpan.FromSeconds(5));
            Assert.True(collected.Collected);
        }
    }

    [Fact]
    public void DisposingTheKernelKillsEveryDomain()
    {
        var (k, a, b) = TestDomains.WithDomAandB();
        var domA = a.Get<IDomA>();
        var domB = b.Get<IDomB>();
        using (k.Enter()) domB.Keep(RRef<Payload>.New(new Payload(1, 2)));
        domB.Crash(); // already crashed: not killed again
        k.Restart(b);
        using (k.Enter()) domB.KeepPair(HeapProbe.NewPair(1, 2));

        k.Dispose();

        Assert.Equal(DomainStatus.Killed, a.Status);
        Assert.Equal(DomainStatus.Killed, b.Status);
        Assert.Equal(("kernel shut down", 0), (a.LastCrash!.Reason, a.LastCrash.FreedObjects));
        Assert.Equal(("kernel shut down", 3), (b.LastCrash!.Reason, b.LastCrash.FreedObjects));
        Assert.Equal(2, b.Crashes.Count);
        Assert.Equal(RpcErrorKind.NotRunning, domA.Run(1).Error.Kind);
        Assert.Equal(RpcErrorKind.NotRunning, domB.Null().Error.Kind);
        Assert.Equal(0, k.Heap.LiveObjects);
        k.Dispose();
    }

    [Fact]
    public void RestartOnADisposedKernelIsRefused()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        k.Dispose();
        Assert.Throws<ObjectDisposedException>(() => k.Restart(b));
        Assert.NotEqual(DomainStatus.Running, b.Status);
        Assert.Equal(RpcErrorKind.NotRunning, domB.Null().Error.Kind);
    }
}

// tests/os/kernel/Kernel: several kernels in one process (a notebook, the test run itself): each kernel acts
// only on its own domains and heap. A kernel must not kill another kernel's domain, a grant must not
// bridge two kernels, and a call made from inside one kernel's scope must not carry that kernel's
// RRefs into another's domain. (Handles from another kernel and two kernels on one machine are in
// RRefTests and SharedHeapTests.)
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using Xunit;

namespace RedLeaf.Tests.Kernel;

[Trait("suite", "kernel")]
public class MultiKernelTests
{
    [Fact]
    public void TwoKernelsRunSideBySideIndependently()
    {
        using var k1 = TestDomains.Boot();
        using var k2 = TestDomains.Boot();
        var b1 = k1.Load(TestDomains.DomB);
        var b2 = k2.Load(TestDomains.DomB);
        Assert.Equal(b1.Id, b2.Id); // ids are per kernel

        using (k1.Enter()) b1.Get<IDomB>().Keep(RRef<Payload>.New(new Payload(1, 1)));
        b2.Get<IDomB>().Crash();
        Assert.Equal(DomainStatus.Running, b1.Status);
        Assert.Equal((1, 0), (k1.Heap.LiveObjects, k2.Heap.LiveObjects));
        Assert.Equal(2, b1.Get<IDomB>().Calls().Value);
    }

    [Fact]
    public void AKernelCannotKillAnotherKernelsDomain()
    {
        using var k1 = TestDomains.Boot();
        using var k2 = TestDomains.Boot();
        var b = k1.Load(TestDomains.DomB);     // instance 2 of k1
        var hog = k2.Load(TestDomains.Hog);     // instance 2 of k2: the same id
        using (k1.Enter()) b.Get<IDomB>().Keep(RRef<Payload>.New(new Payload(1, 2)));

        var e = Record.Exception(() => k1.Kill(hog));

        // k1's cleanup must not run over k1's own objects that happen to carry the same id.
        Assert.True(k1.Heap.LiveObjects == 1, $"k1.Kill(k2's domain #{hog.Id}) freed k1's own objects owned by k1's domain #{b.Id}");
        Assert.Equal(DomainStatus.Running, b.Status);
        if (e is null) // acceptable only if handed to the kernel the domain belongs to
            Assert.Contains(k2.Log.Entries, x => x.Message.Contains($"hog#{hog.Id}"));
        else
        {
            Assert.True(e is ArgumentException or InvalidOperationException, $"refused with {e.GetType().Name}");
            Assert.Equal(DomainStatus.Running, hog.Status);
        }
    }

    [Fact]
    public void AKernelCannotRestartAnotherKernelsDomain()
    {
        using var k1 = TestDomains.Boot();
        using var k2 = TestDomains.Boot();
        var b2 = k2.Load(TestDomains.DomB);
        int id = b2.Id;

        var e = Record.Exception(() => k1.Restart(b2));
        if (e is null)
        {
            // Acceptable only if the new instance runs on k2, the domain's own kernel.
            Assert.True(b2.Get<IDomB>().Produce(1, 2).IsOk);
            Assert.True((k1.Heap.LiveObjects, k2.Heap.LiveObjects) == (0, 1),
                $"k1.Restart(k2's dom_b) started it on k1's heap (k1 holds {k1.Heap.LiveObjects} objects, k2 {k2.Heap.LiveObjects})");
        }
        else
        {
            Assert.True(e is ArgumentException or InvalidOperationException, $"refused with {e.GetType().Name}");
            Assert.Equal(id, b2.Id);
            Assert.Empty(b2.Crashes);
        }
    }

    [Fact]
    public void AGrantCannotBridgeTwoKernels()
    {
        using var k1 = TestDomains.Boot();
        using var k2 = TestDomains.Boot();
        var b = k2.Load(TestDomains.DomB);

        // dom_a in k1 calling dom_b in k2 would move k2's RRefs under k1's ids.
        var e = Record.Exception(() => k1.Load(TestDomains.DomA, b.Export!));
        Assert.True(e is DomainException, $"granting k2's dom_b to a domain of k1 should be refused; got {(e is null ? "a loaded domain" : e.GetType().Name)}");
        Assert.Contains("dom_a", e!.Message);
        Assert.Contains("kernel", e.Message);
        Assert.Equal(0, k2.Heap.LiveObjects);
    }

    [Fact]
    public void ACallFromInsideAnotherKernelsScopeDoesNotCarryItsRRefsAcross()
    {
        using var k1 = TestDomains.Boot();
        using var k2 = TestDomains.Boot();
        var b = k1.Load(TestDomains.DomB);
        using var scope = k2.Enter();
        var p = RRef<Payload>.New(new Payload(1, 2)); // on k2's heap

        RpcResult<long> result = default;
        var thrown = Record.Exception(() => result = b.Get<IDomB>().Keep(p));

        // The mistake is the caller's: dom_b (k1) is not crashed, and p stays k2's kernel's.
        Assert.True(b.Status == DomainStatus.Running, $"k1's dom_b was crashed by k2's handle: {b.LastCrash?.Reason}");
        Assert.Equal(Microkernel.KernelId, k2.Heap.OwnerOf(p));
        Assert.Equal(2, p.Value.B);
        Assert.True(thrown is not null || !result.IsOk, "the call went through as if nothing was wrong");
    }
}

// tests/domains/shadow: shadow domains (domains/shadow). A driver crashed in the middle of a batch, or
// between calls, is restarted by its shadow (the kernel re-initialises the device through the new
// instance) and the call replayed: the client sees no error, every request completes exactly once
// to the client with the right data. Requests the device had already executed when the driver died
// are executed again by the replay (block reads and writes are idempotent); the tests count them.
using RedLeaf.Abi;
using RedLeaf.Hardware.Devices;
using RedLeaf.Interfaces.Block;
using RedLeaf.Interfaces.Net;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Tests.Kernel;
using Xunit;

namespace RedLeaf.Tests.Devices;

[Trait("suite", "devices")]
public class ShadowTests
{
    private static (Microkernel K, NvmeDevice Dev, Domain Driver, RestartCapability Right, IBlockDevice Shadow) Stack(int queue = 16)
    {
        var k = DriverKit.Boot();
        var dev = k.Machine.Attach(new NvmeDevice("nvme0", new MemoryBlockStore(4096, 256), queue));
        var driver = k.Load(DriverKit.Blk, dev);
        var right = k.GrantRestart(driver);
        var shadow = k.Load(DriverKit.BlkShadow, driver.Export!, right);
        return (k, dev, driver, right, shadow.Get<IBlockDevice>());
    }

    private static RRefArray<byte> Pattern(long block)
    {
        var b = RRefArray<byte>.New(4096);
        var bytes = new byte[4096];
        new Random((int)block).NextBytes(bytes);
        b.CopyFrom(bytes);
        return b;
    }

    private static bool HasPattern(RRefArray<byte> b, long block)
    {
        var want = new byte[4096];
        new Random((int)block).NextBytes(want);
        var got = new byte[4096];
        b.CopyTo(got);
        return want.AsSpan().SequenceEqual(got);
    }

    [Fact]
    public void ACrashInTheMiddleOfAReadBatchLosesNoRequestAndCompletesNoneTwice()
    {
        var (k, dev, driver, right, blk) = Stack(queue: 16);
        using (k)
        {
            using var _ = k.Enter();
            for (int i = 0; i < 32; i++)
            {
                var data = Pattern(100 + i);
                Assert.Equal(0, blk.Write(100 + i, in data).Value);
            }

            int executed = 0;
            dev.OnCommand = (op, block, n) => { if (++executed == 10) k.InjectFault(driver, "crashed by the test mid-batch"); };
            var q = RRefDeque<BlockRequest>.New(32);
            for (int i = 0; i < 32; i++) q.TryPushBack(new BlockRequest { Block = 100 + i, Blocks = 1, Tag = 1000 + i, Data = RRefArray<byte>.New(4096) });
            var r = blk.SubmitAndPoll(q, write: false);

            Assert.True(r.IsOk, r.ToString()); // the client saw no error
            var done = r.Value;
            Assert.Equal(32, done.Count);
            var tags = new HashSet<long>();
            for (int i = 0; i < 32; i++)
            {
                var c = done[i];
                Assert.True(tags.Add(c.Tag), $"tag {c.Tag} completed twice");
                Assert.Equal(0, c.Status);
                Assert.True(HasPattern(c.Data, c.Block), $"block {c.Block} read wrong data");
            }
            Assert.Equal(Enumerable.Range(1000, 32).Select(t => (long)t).ToHashSet(), tags); // none lost
            Assert.Equal(1, right.Restarts);
            Assert.Equal(1, driver.Restarts);
            Assert.Contains("crashed by the test mid-batch", driver.LastCrash!.Reason);
            Assert.Equal(15 + 32, dev.Reads); // 15 reached the device before the crash (one queue's worth); all 32 replayed
            Assert.Single(right.LatenciesMicroseconds());
        }
    }

    [Fact]
    public void ACrashInTheMiddleOfAWriteBatchReplaysTheLentDataAsItIs()
    {
        var (k, dev, driver, right, blk) = Stack(queue: 16);
        using (k)
        {
            using var _ = k.Enter();
            var perBlock = new int[256];
            int executed = 0;
            dev.OnCommand = (op, block, n) =>
            {
                perBlock[block]++;
                if (++executed == 5) k.InjectFault(driver, "crashed by the test mid-batch");
            };
            var q = RRefDeque<BlockRequest>.New(32);
            for (int i = 0; i < 32; i++) q.TryPushBack(new BlockRequest { Block = i, Blocks = 1, Tag = i, Data = Pattern(i) });
            var r = blk.SubmitAndPoll(q, write: true);
            Assert.True(r.IsOk, r.ToString());
            Assert.Equal(32, r.Value.Count);
            Assert.Equal(1, right.Restarts);
            Assert.All(Enumerable.Range(0, 32), b => Assert.InRange(perBlock[b], 1, 2)); // each written, at most replayed once
            Assert.Equal(15, perBlock.Count(c => c == 2)); // exactly the queue's worth that reached the device before the crash

            dev.OnCommand = null;
            for (int i = 0; i < 32; i++) Assert.True(HasPattern(blk.Read(i, RRefArray<byte>.New(4096)).Value, i));
        }
    }

    [Fact]
    public void SingleCallsSurviveCrashesBetweenAndDuringCalls()
    {
        var (k, dev, driver, right, blk) = Stack();
        using (k)
        {
            using var _ = k.Enter();
            var seven = Pattern(7);
            Assert.Equal(0, blk.Write(7, in seven).Value);

            k.InjectFault(driver, "crashed between calls");           // refused before entering: replayed as is
            Assert.True(HasPattern(blk.Read(7, RRefArray<byte>.New(4096)).Value, 7));

            dev.OnCommand = (op, block, n) => { k.InjectFault(driver, "crashed during the read"); dev.OnCommand = null; };
            var read = blk.Read(7, RRefArray<byte>.New(4096));          // the buffer died in the driver: a new one
            dev.OnCommand = null;
            Assert.True(read.IsOk);
            Assert.True(HasPattern(read.Value, 7));

            dev.OnCommand = (op, block, n) => { k.InjectFault(driver, "crashed during the write"); dev.OnCommand = null; };
            var data = Pattern(8);
            Assert.Equal(0, blk.Write(8, in data).Value);             // lent: replayed as it is
            dev.OnCommand = null;
            Assert.Equal(Microkernel.KernelId, k.Heap.OwnerOf(data));
            Assert.True(HasPattern(blk.Read(8, RRefArray<byte>.New(4096)).Value, 8));

            Assert.Equal(3, right.Restarts);
            Assert.Equal(3, right.LatenciesMicroseconds().Length);
            Assert.All(right.LatenciesMicroseconds(), us => Assert.InRange(us, 1, 1_000_000));
        }
    }

    [Fact]
    public void TheNetShadowHandsBackFreshBuffersForPacketsThatDiedInTheDriver()
    {
        using var k = DriverKit.Boot();
        var driver = k.Load(DriverKit.NullNet);
        var right = k.GrantRestart(driver);
        var net = k.Load(Shadows.Net, driver.Export!, right).Get<INet>();
        using var _ = k.Enter();
        var q = RRefDeque<Packet>.New(8);
        for (int i = 0; i < 8; i++) q.TryPushBack(new Packet { Buffer = RRefArray<byte>.New(2048) });
        q = net.SubmitAndPoll(q, true).Value;
        k.Kill(driver, "killed by the test");
        var r = net.SubmitAndPoll(q, true);
        Assert.True(r.IsOk);
        Assert.Equal(8, r.Value.Count);
        Assert.Equal(2048, r.Value[0].Buffer.Length);
        Assert.Equal(1, right.Restarts);
    }
}

internal static class Shadows
{
    public static RedLeaf.Os.Domains.DomainImage Net => RedLeaf.Os.Compiler.TrustedCompiler.Default.CompileFolder(RedLeaf.Os.Compiler.DomainTree.Folder("shadow/net"));
}

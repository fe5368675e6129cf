// tests/domains/drivers: the driver domains (domains/drivers) on their devices, through their proxies, with
// buffers on the shared heap that move (never copy): nullnet, the NIC forwarding generated frames to
// its sink, the block driver's single and batched calls, injected device faults, interrupts delivered
// to the driver registered for the vector, and what the kernel does with a device when its driver dies.
using RedLeaf.Abi;
using RedLeaf.Hardware.Devices;
using RedLeaf.Interfaces.Block;
using RedLeaf.Interfaces.Net;
using RedLeaf.Interfaces.Timer;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Tests.Kernel;
using Xunit;

namespace RedLeaf.Tests.Devices;

[Trait("suite", "devices")]
public class DriverTests
{
    private static RRefDeque<Packet> Buffers(int count, int capacity, int bytes = 2048)
    {
        var q = RRefDeque<Packet>.New(capacity);
        for (int i = 0; i < count; i++) q.TryPushBack(new Packet { Buffer = RRefArray<byte>.New(bytes) });
        return q;
    }

    [Fact]
    public void NullnetCompletesEveryPacketAndMovesTheBatchBothWays()
    {
        using var k = DriverKit.Boot();
        var d = k.Load(DriverKit.NullNet);
        var net = d.Get<INet>();
        using var _ = k.Enter();
        var q = Buffers(32, 32);
        var first = q[0].Buffer;
        var r = net.SubmitAndPoll(q, transmit: true);
        Assert.True(r.IsOk, r.ToString());
        var back = r.Value;
        Assert.Equal(32, back.Count);
        Assert.Equal(first, back[0].Buffer); // the same buffer came back: moved, not copied
        Assert.Equal(Microkernel.KernelId, k.Heap.OwnerOf(first));
        Assert.Throws<OwnershipViolationException>(() => q.Count); // the deque given away is not ours any more
        Assert.Equal(32, net.Counters().Value.Transmitted);
    }

    [Fact]
    public void TheNicDriverForwardsGeneratedFramesToACleanSink()
    {
        var wire = new TrafficGenerator(packetBytes: 64, flows: 8, lineRate: false);
        var (k, dev, d) = DriverKit.WithNic(wire);
        using (k)
        {
            var nic = d.Get<INet>();
            using var _ = k.Enter();
            var q = Buffers(32, 32);
            long forwarded = 0;
            while (forwarded < 5000)
            {
                q = nic.SubmitAndPoll(q, transmit: false).Value;          // give empty buffers, get frames
                int got = q.Count;
                for (int i = 0; i < got; i++) Assert.Equal(64, q[i].Length);
                forwarded += got;
                q = nic.SubmitAndPoll(q, transmit: true).Value;           // send them, get sent buffers back
            }
            var drain = RRefDeque<Packet>.New(64);
            for (int i = 0; i < 10; i++) drain = nic.SubmitAndPoll(drain, transmit: true).Value; // nothing new: collect what the tx ring finished
            Assert.True(dev.Sink.Clean, dev.Sink.ToString());
            Assert.InRange(dev.Sink.Received, forwarded - 64, forwarded);
            var c = nic.Counters().Value;
            Assert.Equal(dev.PacketsReceived, c.Received);
            Assert.Equal(0, c.Dropped);
        }
    }

    [Fact]
    public void NicFaultsAreCountedAsDroppedAndTheSinkSeesExactlyThoseLosses()
    {
        var wire = new TrafficGenerator(packetBytes: 64, lineRate: false);
        var (k, dev, d) = DriverKit.WithNic(wire, entries: 16);
        using (k)
        {
            var nic = d.Get<INet>();
            using var _ = k.Enter();
            var q = Buffers(8, 8);
            dev.Faults.Every(DeviceFault.IoError, every: 10, count: 3);
            for (int round = 0; round < 50; round++)
            {
                q = nic.SubmitAndPoll(q, transmit: false).Value;
                q = nic.SubmitAndPoll(q, transmit: true).Value;
            }
            Assert.Equal(3, nic.Counters().Value.Dropped);
            Assert.Equal(3, dev.Sink.Lost); // the three frames that failed on receive never reached the wire
            Assert.Equal(0, dev.Sink.Duplicated + dev.Sink.Corrupted);
        }
    }

    [Fact]
    public void TheBlockDriverWritesLentBuffersAndReadsIntoMovedOnes()
    {
        var (k, dev, d) = DriverKit.WithBlk();
        using (k)
        {
            var blk = d.Get<IBlockDevice>();
            using var _ = k.Enter();
            Assert.Equal(4096, blk.BlockSize().Value);
            Assert.Equal(256, blk.BlockCount().Value);
            var data = RRefArray<byte>.New(4096);
            var bytes = new byte[4096];
            new Random(7).NextBytes(bytes);
            data.CopyFrom(bytes);
            Assert.Equal(0, blk.Write(17, in data).Value);
            Assert.Equal(Microkernel.KernelId, k.Heap.OwnerOf(data)); // lent, still ours
            var read = blk.Read(17, RRefArray<byte>.New(4096)).Value;
            var got = new byte[4096];
            read.CopyTo(got);
            Assert.Equal(bytes, got);
        }
    }

    [Fact]
    public void BatchesOf32CompleteEveryRequestOnceWithItsOwnData()
    {
        var (k, dev, d) = DriverKit.WithBlk(blockSize: 1024, blocks: 128);
        using (k)
        {
            var blk = d.Get<IBlockDevice>();
            using var _ = k.Enter();
            var q = RRefDeque<BlockRequest>.New(32);
            for (int i = 0; i < 32; i++)
            {
                var b = RRefArray<byte>.New(1024);
                b[0] = (byte)i;
                b[1023] = (byte)(i * 3);
                q.TryPushBack(new BlockRequest { Block = 40 + i, Blocks = 1, Tag = i, Data = b });
            }
            q = blk.SubmitAndPoll(q, write: true).Value;
            Assert.Equal(32, q.Count);
            Assert.Equal(32, dev.Writes);
            for (int i = 0; i < 32; i++)
            {
                Assert.True(q.TryPopFront(out var r));
                Assert.Equal(0, r.Status);
                r.Data[0] = 0;
                r.Data[1023] = 0;
                q.TryPushBack(r);
            }
            q = blk.SubmitAndPoll(q, write: false).Value;
            var tags = new HashSet<long>();
            for (int i = 0; i < 32; i++)
            {
                var r = q[i];
                Assert.True(tags.Add(r.Tag));
                Assert.Equal((byte)r.Tag, r.Data[0]);
                Assert.Equal((byte)(r.Tag * 3), r.Data[1023]);
            }
            Assert.Equal(32, blk.WriteBatch(in q).Value);
            Assert.Equal(64, dev.Writes);
        }
    }

    [Fact]
    public void BlockFaultsAreRetriedReportedOrTimedOut()
    {
        var (k, dev, d) = DriverKit.WithBlk();
        using (k)
        {
            var blk = d.Get<IBlockDevice>();
            using var _ = k.Enter();
            dev.Faults.Next(DeviceFault.IoError);
            Assert.True(blk.Read(1, RRefArray<byte>.New(4096)).IsOk); // one media error, retried

            var q = RRefDeque<BlockRequest>.New(4);
            for (int i = 0; i < 4; i++) q.TryPushBack(new BlockRequest { Block = i, Blocks = 1, Tag = i, Data = RRefArray<byte>.New(4096) });
            dev.Faults.Next(DeviceFault.CorruptDescriptor);
            q = blk.SubmitAndPoll(q, write: false).Value;
            Assert.Equal(new[] { 1, 0, 0, 0 }, Enumerable.Range(0, 4).Select(i => q[i].Status)); // invalid opcode, refused

            dev.Faults.Next(DeviceFault.LostCompletion);
            q = blk.SubmitAndPoll(q, write: false).Value;
            Assert.Equal(4, q.Count); // every buffer came back...
            var statuses = Enumerable.Range(0, 4).Select(i => q[i].Status).OrderBy(s => s).ToArray();
            Assert.Equal(new[] { 0, 0, 0, 0x7FFF }, statuses); // ...the lost one reported as timed out after a controller reset
            Assert.True(blk.Read(2, RRefArray<byte>.New(4096)).IsOk); // and the device works again

            dev.Faults.Next(DeviceFault.IoError, count: 3);
            var e = blk.Read(3, RRefArray<byte>.New(4096));
            Assert.Equal(RpcErrorKind.CalleeCrashed, e.Error.Kind); // three failures: the driver gives up loudly
            Assert.Contains("block 3 unreadable", d.LastCrash!.Reason);
        }
    }

    [Fact]
    public void InterruptsReachTheDriverRegisteredForTheVector()
    {
        using var k = DriverKit.Boot();
        var timer = k.Machine.Attach(new TimerDevice());
        var d = k.Load(DriverKit.Timer, timer);
        var ticker = d.Get<ITicker>();
        Assert.True(k.Machine.Interrupts.IsConnected(timer.Vector));
        Assert.True(ticker.Start(200).IsOk);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (ticker.Poll().Value < 3 && sw.ElapsedMilliseconds < 5000) { }
        Assert.True(ticker.Ticks().Value >= 3, $"{ticker.Ticks().Value} ticks");
        Assert.Equal(ticker.Ticks().Value, k.Machine.Interrupts.Delivered(timer.Vector));

        k.Kill(d);
        Assert.False(k.Machine.Interrupts.IsConnected(timer.Vector)); // the dead driver's line is disconnected
        k.Restart(d);
        Assert.True(k.Machine.Interrupts.IsConnected(timer.Vector)); // the new instance registered again
    }

    [Fact]
    public void WhenADriverDiesTheKernelResetsItsDeviceAndReclaimsTheBuffersInItsRings()
    {
        var wire = new TrafficGenerator(lineRate: false);
        var (k, dev, d) = DriverKit.WithNic(wire, entries: 32);
        using (k)
        {
            var nic = d.Get<INet>();
            using var _ = k.Enter();
            Assert.Equal(2, k.Heap.LiveObjects); // the driver's spare and backlog deques
            var q = nic.SubmitAndPoll(Buffers(16, 16), transmit: false).Value; // 16 posted, 16 received
            wire.Paused = true;
            q = nic.SubmitAndPoll(q, transmit: false).Value;                    // posted again, nothing arrives
            Assert.Equal(0, q.Count);
            Assert.True(k.InjectFault(d, "test crash"));
            var r = nic.SubmitAndPoll(q, transmit: false);
            Assert.Equal(RpcErrorKind.NotRunning, r.Error.Kind); // refused before entering: q is still ours
            Assert.Equal(Microkernel.KernelId, k.Heap.OwnerOf(q));
            q.Drop();
            var crash = d.LastCrash!;
            Assert.Contains("test crash", crash.Reason);
            Assert.Equal(1, crash.DevicesReset);
            Assert.True(crash.DeviceBuffersReclaimed > 0, crash.ToString());
            Assert.Equal(2, dev.Resets); // once by the driver at start, once by the kernel
            Assert.Equal(0, k.Heap.LiveObjects); // the buffers in the ring, the driver's own deques: all gone, none leaked

            k.Restart(d);
            wire.Paused = false;
            q = nic.SubmitAndPoll(Buffers(16, 16), transmit: false).Value;
            Assert.True(q.Count > 0);
        }
    }

    [Fact]
    public void ADeviceHasOneDriver()
    {
        var (k, dev, _) = DriverKit.WithBlk();
        using (k)
        {
            var e = Assert.Throws<DomainException>(() => k.Load("blk2", DriverKit.Blk, dev));
            Assert.Contains("device nvme0 is already granted to domain 'blk'", e.Message);
            var e2 = Assert.Throws<DomainException>(() => k.Load("blk3", DriverKit.Blk));
            Assert.Contains("needs a device ('nvme') at its entry point", e2.Message);
        }
    }
}

// tests/benchmarks/RedLeaf.Benchmarks/Apps: the key-value store as a domain over the NIC model, in each of the driver
// stacks' configurations and both mixes: the sink checks every reply against the host's model (a GET returns the
// last value SET, NOT_FOUND for a key never set), nothing is lost or duplicated, the store's loop allocates nothing
// per request, and the check can fail: a reply with one value byte changed, and a store emptied under the clients
// (its GETs of keys the model holds come back NOT_FOUND), are counted as wrong replies. The clients' keys follow
// Zipf's law: the most popular key is asked for about as often as the CDF says. Under crashes of the NIC driver (through
// the net shadow, injected inside its receive call at a chosen request): the requests lost are exactly those in the
// driver and its receive ring when it died, none repeated, the store serves on, and a wrong reply is still caught; the
// clients send each lost request again and every one is answered once (without sending again, each stays unanswered).
using Domains.Workloads.Kv;
using RedLeaf.Benchmarks.Apps;
using RedLeaf.Hardware.Devices;
using Xunit;

namespace RedLeaf.Tests.Apps;

[Trait("suite", "apps")]
public class KvRunTests
{
    [Theory]
    [InlineData("driver", 32, 0.95)]
    [InlineData("domain", 1, 0.50)]
    [InlineData("domain", 32, 0.95)]
    [InlineData("shadow", 32, 0.50)]
    public void EveryReplyIsTheModelsAnswer(string config, int batch, double getShare)
    {
        using var run = new KvRun(config, batch, getShare);
        long served = run.Serve(200_000);
        var sink = run.Device.Sink;
        var model = run.Model;
        Assert.True(sink.Clean, $"{sink}; {model}");
        Assert.True(sink.Received >= served, $"{served} served, the sink received {sink.Received}");
        Assert.Equal(sink.Received, model.Gets + model.Sets); // every reply went through the model
        Assert.True(model.Hits > 0 && model.Misses > 0 && model.Uncertain == 0 && model.LostSets == 0, model.ToString());
        Assert.InRange((double)model.Gets / sink.Received, getShare - 0.02, getShare + 0.02);
        Assert.Equal(model.Stored, run.Stored);
    }

    [Fact]
    public void OneWrongValueByteIsCaught()
    {
        using var run = new KvRun("domain", 32, 0.95);
        var flip = new FlippingChecker(run.Model);
        run.Device.Sink.ExpectReplies(flip);
        run.Serve(50_000);
        var sink = run.Device.Sink;
        Assert.True(flip.Flipped > 0);
        Assert.Equal(flip.Flipped, sink.WrongReplies);
        Assert.False(sink.Clean);
        Assert.True(sink.Lost == 0 && sink.Corrupted == 0, sink.ToString());
    }

    [Fact]
    public void AStoreEmptiedUnderItsClientsIsCaught()
    {
        using var run = new KvRun("domain", 32, 0.95);
        run.Serve(50_000);
        Assert.True(run.Device.Sink.Clean, run.Device.Sink.ToString());
        run.Setup(32); // the store starts over empty; the model still holds every key's last value
        run.Serve(50_000);
        var sink = run.Device.Sink;
        Assert.True(sink.WrongReplies > 100, sink.ToString());
        Assert.True(sink.Lost == 0 && sink.Corrupted == 0 && sink.Misrouted == 0, sink.ToString());
    }

    [Fact]
    public void TheDomainPathAllocatesNothingPerRequest()
    {
        using var run = new KvRun("domain", 32, 0.95);
        // As the kernel, so the calls run on this thread (as the benchmarks' do) and what is counted is the path's
        // own allocation, not a plain host thread's hand-off to a host-call worker (about 280 B a call, and more
        // when a loaded machine makes the wait poll).
        using var _ = run.Kernel.Enter();
        run.Serve(100_000); // the JIT done
        long before = GC.GetAllocatedBytesForCurrentThread();
        long served = run.Serve(200_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(served >= 200_000);
        Assert.True(allocated < served / 100, $"{allocated} bytes allocated serving {served} requests");
    }

    [Fact]
    public void KeysFollowZipfAndOpsTheMix()
    {
        var w = new KvWorkload(KvRun.Keys, 0.5);
        int top = 0, gets = 0;
        const int n = 1 << KvWorkload.CycleBits;
        for (ulong s = 0; s < n; s++)
        {
            if (w.RankOf(s) == 0) top++;
            if (w.OpOf(s) == KvFrame.Get) gets++;
        }
        Assert.InRange((double)top / n, w.Cdf[0] * 0.95, w.Cdf[0] * 1.05);
        Assert.InRange((double)gets / n, 0.49, 0.51);
        Assert.Equal(w.RankOf(12345), w.RankOf(n + 12345)); // the cycle repeats: request n is a function of n alone
    }

    [Fact]
    public void ACrashInAReceiveLosesExactlyTheRequestsInTheRingAndTheStoreServesOn()
    {
        using var run = new KvRun("shadow", 32, 0.95);
        run.Serve(50_000);
        var driver = run.Driver!;
        var trigger = CrashingRequests.Install(run, driver, after: 20_000, every: 0);
        run.Serve(100_000);
        var sink = run.Device.Sink;
        Assert.Equal(1, trigger.Injected);
        Assert.Single(driver.Crashes);
        // Every request numbered from the sink's next expected one at the crash to the first frame the reset NIC received:
        // in the driver or its receive ring when it died.
        long expectedLost = (long)trigger.FirstAfterReset - trigger.ExpectedAtCrash;
        Assert.True(expectedLost > 0, $"{expectedLost}");
        Assert.Equal(expectedLost, sink.Lost);
        Assert.Equal(0, sink.Duplicated);
        Assert.Equal(0, sink.WrongReplies);
        Assert.True(sink.Corrupted == 0 && sink.Malformed == 0 && sink.Misrouted == 0, sink.ToString());
        Assert.True(sink.Expected > (long)trigger.FirstAfterReset + 50_000, sink.ToString()); // served on after the restart
        // The clients sent each of them again, once, and each was answered once, checked where it came.
        Assert.Equal(expectedLost, run.Workload.Retransmits!.Sent);
        Assert.Equal(expectedLost, run.Model.Resent);
        Assert.Equal(0, run.Model.Unanswered);
        Assert.Equal(0, run.Model.AnsweredTwice);
    }

    [Fact]
    public void UnderRepeatedCrashesTheClientsGetEveryRequestAnsweredOnceAndRight()
    {
        using var run = new KvRun("shadow", 32, 0.50);
        run.Serve(20_000);
        var driver = run.Driver!;
        var trigger = CrashingRequests.Install(run, driver, after: 5_000, every: 15_000);
        run.Serve(150_000);
        trigger.Stop();
        run.Serve(30_000); // the copies sent after the last crash come back
        var sink = run.Device.Sink;
        var model = run.Model;
        Assert.True(trigger.Injected >= 5 && driver.Crashes.Count == trigger.Injected, $"{trigger.Injected} injected, {driver.Crashes.Count} crashes");
        Assert.True(sink.Lost > 0 && model.LostSets > 0, $"{sink}; {model}");
        Assert.Equal(0, sink.WrongReplies);
        Assert.Equal(0, model.Unanswered);
        Assert.Equal(0, model.AnsweredTwice);
        Assert.Equal(sink.Lost, run.Workload.Retransmits!.Sent); // each skipped frame's request sent again, once
        Assert.InRange(model.Resent, 1, run.Workload.Retransmits.Sent); // a copy is answered or lost again (and sent again)
        Assert.Equal(model.Gets + model.Sets, sink.Received - sink.Duplicated); // every reply but the wire's repeats checked once
    }

    [Fact]
    public void ClientsThatNeverSendAgainLeaveEveryLostRequestUnanswered()
    {
        using var run = new KvRun("shadow", 32, 0.95, retransmit: false);
        run.Serve(50_000);
        var driver = run.Driver!;
        var trigger = CrashingRequests.Install(run, driver, after: 20_000, every: 0);
        run.Serve(100_000);
        var sink = run.Device.Sink;
        Assert.Single(driver.Crashes);
        Assert.True(sink.Lost > 0, sink.ToString());
        Assert.Equal(sink.Lost, run.Model.Unanswered);
        Assert.Equal(sink.Lost, run.Model.Abandoned);
        Assert.Equal(0, run.Model.Resent);
        Assert.Equal(0, sink.WrongReplies);
    }

    [Fact]
    public void AWrongReplyIsCaughtWhileTheDriverCrashes()
    {
        using var run = new KvRun("shadow", 32, 0.95);
        var driver = run.Driver!;
        var trigger = CrashingRequests.Install(run, driver, after: 10_000, every: 30_000);
        var flip = new FlippingChecker(run.Model);
        run.Device.Sink.ExpectReplies(flip);
        run.Serve(200_000);
        var sink = run.Device.Sink;
        Assert.True(trigger.Injected >= 3 && driver.Crashes.Count == trigger.Injected, $"{trigger.Injected} injected, {driver.Crashes.Count} crashes");
        Assert.True(sink.Lost > 0 && run.Model.LostSets > 0 && run.Model.Uncertain > 0, $"{sink}; {run.Model}");
        Assert.True(flip.Flipped > 0);
        Assert.Equal(flip.Flipped, sink.WrongReplies); // every flipped value, and nothing else
    }

    /// <summary>The clients, crashing the NIC driver when the NIC receives request <c>first</c> (and every <c>every</c>
    /// after it, 0: once): the fault is injected inside the driver's receive call (the NIC writes requests when the
    /// driver rings its doorbell or reads its head), so the driver dies there with the ring's requests.</summary>
    private sealed class CrashingRequests(KvRun run, RedLeaf.Os.Domains.Domain driver, ulong first, ulong every) : IRequestSource
    {
        private ulong _next = first;
        private long _resetsAtCrash = -1;
        public long Injected { get; private set; }
        public long ExpectedAtCrash { get; private set; }
        public ulong FirstAfterReset { get; private set; }

        /// <summary>Puts clients on <paramref name="run"/>'s generator that crash the driver <paramref name="after"/> more
        /// frames (and every <paramref name="every"/> after that; 0: once).</summary>
        public static CrashingRequests Install(KvRun run, RedLeaf.Os.Domains.Domain driver, ulong after, ulong every)
        {
            var trigger = new CrashingRequests(run, driver, (ulong)run.Device.Generator.Generated + after, every);
            run.Device.Generator.Requests = trigger;
            return trigger;
        }

        /// <summary>No more crashes.</summary>
        public void Stop() => _next = ulong.MaxValue;

        public void Write(Span<byte> frame, ulong seq)
        {
            run.Workload.Write(frame, seq);
            if (_resetsAtCrash >= 0 && run.Device.Resets > _resetsAtCrash && FirstAfterReset == 0) FirstAfterReset = seq;
            if (seq != _next) return;
            ExpectedAtCrash = run.Device.Sink.Expected;
            _resetsAtCrash = run.Device.Resets;
            if (run.Kernel.InjectFault(driver, "crash injected by the test")) Injected++;
            _next = every == 0 ? ulong.MaxValue : _next + every;
        }
    }

    /// <summary>Changes one byte of every 97th GET hit's value on its way to the model.</summary>
    private sealed class FlippingChecker(KvModel inner) : IReplyChecker
    {
        private readonly byte[] _copy = new byte[KvFrame.FrameBytes];
        public long Flipped { get; private set; }

        public bool Check(ReadOnlySpan<byte> frame, ulong seq)
        {
            if (seq % 97 != 0 || frame[KvFrame.OpOffset] != (KvFrame.Get | KvFrame.ReplyBit) || frame[KvFrame.StatusOffset] != KvFrame.Ok)
                return inner.Check(frame, seq);
            frame.CopyTo(_copy);
            _copy[KvFrame.ValueOffset] ^= 0x01;
            Flipped++;
            return inner.Check(_copy, seq);
        }
    }
}

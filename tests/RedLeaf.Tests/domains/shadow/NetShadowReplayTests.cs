// tests/domains/shadow: the net shadow replays transmits. A driver that dies inside a transmit call before its doorbell
// takes the frames with it (attached to descriptors the reset clears); the shadow's own copies of the frames not yet
// reported sent go out through the restarted driver, so the far end receives every one, once and in order. The crash
// is at a known point: the batch's last packet has no buffer, which the driver fails on when it attaches it, after
// attaching the frames before it and before writing the tail. The plain net shadow (domains/shadow/net, no replay)
// loses the batch: the sink receives nothing.
using RedLeaf.Abi;
using RedLeaf.Hardware.Devices;
using RedLeaf.Interfaces.Net;
using RedLeaf.Systems.Drivers;
using Xunit;

namespace RedLeaf.Tests.Devices;

[Trait("suite", "apps")]
public class NetShadowReplayTests
{
    [Fact]
    public void FramesThatDiedInsideATransmitAreReplayed() => Run("shadow/net_replay", replayed: true);

    [Fact]
    public void WithoutTheReplayTheyAreLost() => Run("shadow/net", replayed: false);

    private static void Run(string shadowFolder, bool replayed)
    {
        var k = DriverStacks.Boot();
        try
        {
            var dev = k.Machine.Attach(new IxgbeDevice("nic0", new TrafficGenerator(64, 4, lineRate: false), 64));
            var driver = k.Load(DriverStacks.Image("drivers/nic"), dev);
            var right = k.GrantRestart(driver);
            var net = k.Load(DriverStacks.Image(shadowFolder), driver.Export!, right).Get<INet>();
            using var _ = k.Enter();
            var q = RRefDeque<Packet>.New(33);
            for (int i = 0; i < 32; i++) q.TryPushBack(new Packet { Buffer = RRefArray<byte>.New(2048) });
            var rx = net.SubmitAndPoll(q, false).Value; // 32 frames from the generator (0..31)
            Assert.Equal(32, rx.Count);
            Assert.All(Enumerable.Range(0, 32), i => Assert.Equal(64, rx[i].Length));
            rx.TryPushBack(new Packet { Length = 64 }); // no buffer: the driver fails on it, after attaching the 32 before it
            var tx = net.SubmitAndPoll(rx, true);

            Assert.True(tx.IsOk, tx.IsOk ? "" : tx.Error.ToString()); // the shadow hid the crash
            Assert.Single(driver.Crashes);
            Assert.Equal(1, right.Restarts);
            var sink = dev.Sink;
            Assert.True(tx.Value.Count >= 33, $"{tx.Value.Count} buffers handed back for 33 submitted");
            if (!replayed)
            {
                Assert.Equal(0, sink.Received); // the 32 frames died with the driver
                return;
            }
            Assert.Equal(32, sink.Received); // the replayed copies: every frame, once, in order
            Assert.Equal(32, sink.Expected);
            Assert.True(sink.Clean, sink.ToString());

            // And the stream goes on through the restarted driver: the next frames come after the replayed ones.
            var rx2 = net.SubmitAndPoll(tx.Value, false).Value;
            Assert.True(rx2.Count > 0);
            var tx2 = net.SubmitAndPoll(rx2, true).Value;
            Assert.True(sink.Clean && sink.Received > 32, sink.ToString());
            Assert.True(tx2.Count > 0);
        }
        finally
        {
            DriverStacks.ShutDown(k);
        }
    }
}

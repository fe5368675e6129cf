// tests/benchmarks/RedLeaf.Benchmarks/Native: the C key-value store behind `bench apps`' kv-c rows (kv.c) does the work
// its rows claim, on the same device model as the domain rows: every reply reaches the sink right (checked against
// the host's model, so the C code's hash, table, swap and reply format must agree with the domain's byte for byte),
// nothing is lost or duplicated, the C store holds the keys the model does, and the check can fail on it too.
using Domains.Workloads.Kv;
using RedLeaf.Benchmarks.Apps;
using RedLeaf.Benchmarks.Native;
using RedLeaf.Hardware.Devices;
using Xunit;

namespace RedLeaf.Tests.Apps;

[Trait("suite", "apps")]
public class NativeKvTests
{
    [Theory]
    [InlineData(1, 0.95)]
    [InlineData(32, 0.50)]
    public void EveryReplyIsTheModelsAnswer(int batch, double getShare)
    {
        using var c = new NativeKv(batch, getShare);
        long served = c.Serve(200_000);
        var sink = c.Device.Sink;
        Assert.True(served >= 200_000);
        Assert.True(sink.Clean, $"{sink}; {c.Model}");
        Assert.True(sink.Received >= served, $"{served} served, the sink received {sink.Received}");
        Assert.Equal(sink.Received, c.Model.Gets + c.Model.Sets);
        Assert.True(c.Model.Hits > 0 && c.Model.Misses > 0, c.Model.ToString());
        Assert.Equal(c.Model.Stored, c.Stored);
    }

    [Fact]
    public void AWrongReplyFromCIsCaught()
    {
        using var c = new NativeKv(32, 0.95);
        var flip = new FlipEveryFiftiethHit(c.Model);
        c.Device.Sink.ExpectReplies(flip);
        c.Serve(50_000);
        Assert.True(flip.Flipped > 0);
        Assert.Equal(flip.Flipped, c.Device.Sink.WrongReplies);
    }

    [Fact]
    public void AnEmptyBatchIsRefusedAndADisposedStoreSaysSo()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NativeKv(0, 0.95));
        var c = new NativeKv(4, 0.95);
        c.Dispose();
        Assert.Throws<ObjectDisposedException>(() => c.Serve(1));
    }

    private sealed class FlipEveryFiftiethHit(KvModel inner) : IReplyChecker
    {
        private readonly byte[] _copy = new byte[KvFrame.FrameBytes];
        public long Flipped { get; private set; }

        public bool Check(ReadOnlySpan<byte> frame, ulong seq)
        {
            if (seq % 50 != 0 || frame[KvFrame.OpOffset] != (KvFrame.Get | KvFrame.ReplyBit) || frame[KvFrame.StatusOffset] != KvFrame.Ok)
                return inner.Check(frame, seq);
            frame.CopyTo(_copy);
            _copy[KvFrame.ValueOffset + 63 - (int)(seq % 7)] ^= 0x80; // a byte near the end: past the value's length it must be 0
            Flipped++;
            return inner.Check(_copy, seq);
        }
    }
}

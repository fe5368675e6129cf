// tests/domains/workloads/kv: the key-value store's table (partitioned open addressing) agrees with a dictionary
// under a mixed load of Zipf-distributed keys (overwrites of hot keys, values of every length, keys never set),
// refuses a new key when its partition is full while still overwriting the keys it holds, keeps partitions apart,
// and allocates nothing per GET or SET. The wire format's address swap leaves the IPv4 checksum valid.
using Domains.Workloads.Kv;
using RedLeaf.Benchmarks.Apps;
using RedLeaf.Hardware.Devices;
using Xunit;

namespace RedLeaf.Tests.Apps;

[Trait("suite", "apps")]
public class KvTableTests
{
    [Fact]
    public void AMixedZipfLoadAgreesWithADictionary()
    {
        const int keys = 4096;
        var table = new KvTable(4, 4096);
        var model = new Dictionary<ulong, byte[]>();
        var cdf = KvWorkload.ZipfCdf(keys, 0.99);
        var random = new Random(7);
        var got = new byte[KvFrame.MaxValueBytes];
        int overwrites = 0, neverSet = 0, hits = 0;
        for (int i = 0; i < 200_000; i++)
        {
            ulong key = KvWorkload.KeyOf(KvWorkload.RankAt(cdf, random.NextDouble()));
            if (random.NextDouble() < 0.3)
            {
                var value = new byte[random.Next(0, KvFrame.MaxValueBytes + 1)];
                random.NextBytes(value);
                if (model.ContainsKey(key)) overwrites++;
                Assert.True(table.Set(key, value));
                model[key] = value;
            }
            else
            {
                Array.Fill(got, (byte)0xEE);
                int length = table.Get(key, got);
                if (!model.TryGetValue(key, out var want)) { Assert.Equal(-1, length); neverSet++; continue; }
                hits++;
                Assert.Equal(want.Length, length);
                Assert.Equal(want, got[..length]);
                Assert.All(got[length..], b => Assert.Equal(0, b)); // zero past the value, not what was there before
            }
        }
        Assert.Equal(model.Count, table.Count);
        Assert.True(overwrites > 10_000 && neverSet > 100 && hits > 10_000, $"{overwrites} overwrites, {neverSet} GETs of keys never set, {hits} hits");
        Assert.Equal(-1, table.Get(KvWorkload.KeyOf(keys + 1), got)); // a key no request ever named
        foreach (var (key, want) in model)
        {
            Assert.Equal(want.Length, table.Get(key, got));
            Assert.Equal(want, got[..want.Length]);
        }
    }

    [Fact]
    public void AFullPartitionRefusesANewKeyButKeepsItsOwn()
    {
        var table = new KvTable(1, 8);
        var keys = Enumerable.Range(0, 8).Select(r => KvWorkload.KeyOf(r)).ToArray();
        foreach (var k in keys) Assert.True(table.Set(k, new byte[] { (byte)k }));
        Assert.False(table.Set(KvWorkload.KeyOf(8), new byte[] { 1 })); // new key, no slot left
        Assert.Equal(8, table.Count);
        Assert.True(table.Set(keys[3], new byte[] { 9, 9 })); // an overwrite needs no new slot
        var got = new byte[KvFrame.MaxValueBytes];
        Assert.Equal(2, table.Get(keys[3], got));
        Assert.Equal(new byte[] { 9, 9 }, got[..2]);
        Assert.Equal(-1, table.Get(KvWorkload.KeyOf(8), got));
    }

    [Fact]
    public void PartitionsFillIndependently()
    {
        // Two partitions of 4 slots: filling one (keys whose hash's top bit is 0) leaves the other taking keys.
        var table = new KvTable(2, 4);
        var low = Enumerable.Range(0, 1000).Select(KvWorkload.KeyOf).Where(k => KvFrame.Hash(k) >> 63 == 0).Take(5).ToArray();
        var high = Enumerable.Range(0, 1000).Select(KvWorkload.KeyOf).Where(k => KvFrame.Hash(k) >> 63 == 1).Take(4).ToArray();
        for (int i = 0; i < 4; i++) Assert.True(table.Set(low[i], new byte[] { 1 }));
        Assert.False(table.Set(low[4], new byte[] { 1 }));
        foreach (var k in high) Assert.True(table.Set(k, new byte[] { 2 }));
        Assert.Equal(8, table.Count);
    }

    [Fact]
    public void GetsAndSetsAllocateNothing()
    {
        var table = new KvTable(8, 1024);
        var value = new byte[KvFrame.MaxValueBytes];
        var got = new byte[KvFrame.MaxValueBytes];
        for (int r = 0; r < 4096; r++) table.Set(KvWorkload.KeyOf(r), value.AsSpan(0, r % 65));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            ulong k = KvWorkload.KeyOf(i & 8191);
            if ((i & 3) == 0) table.Set(k, value.AsSpan(0, i % 65));
            else table.Get(k, got);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TheReplysHeaderIsTheRequestsSwappedWithAValidChecksum()
    {
        var request = PacketFormat.Header(5, KvFrame.FrameBytes);
        var reply = (byte[])request.Clone();
        KvFrame.SwapAddresses(reply);
        Assert.Equal(request[0..6], reply[6..12]);
        Assert.Equal(request[26..30], reply[30..34]);
        Assert.Equal(request[34..36], reply[36..38]);
        uint sum = 0;
        for (int i = 14; i < 34; i += 2) sum += (uint)(reply[i] << 8 | reply[i + 1]);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        Assert.Equal(0xFFFFu, sum);
    }
}

// tests/benchmarks/RedLeaf.Benchmarks/Apps: the store's model when requests go missing (a driver crash under the store).
// A lost SET may or may not have been applied: a GET of its key answering the value before it, or its own value, is
// right, and settles the key (a later GET answering the other one is wrong); a GET answering any other value (a stale
// one from an earlier SET) is wrong even while the key is uncertain. The replies come from a host-side store (the
// store's own KvTable) fed the same requests, so the test knows which outcome it produced.
using Domains.Workloads.Kv;
using RedLeaf.Benchmarks.Apps;
using Xunit;

namespace RedLeaf.Tests.Apps;

[Trait("suite", "apps")]
public class KvModelTests
{
    private const int Keys = 16;
    private readonly KvWorkload _w = new(Keys, 0.5);

    /// <summary>A SET s0 of a key whose next requests are SET s1, SET s2, GET g, GET h.</summary>
    private (ulong S0, ulong S1, ulong S2, ulong G, ulong H) FindSets()
    {
        for (ulong s0 = 0; s0 < 10_000; s0++)
        {
            if (_w.OpOf(s0) != KvFrame.Set) continue;
            int rank = _w.RankOf(s0);
            ulong[] found = new ulong[4];
            int n = 0;
            for (ulong s = s0 + 1; s < s0 + 10_000 && n < 4; s++)
                if (_w.RankOf(s) == rank) found[n++] = s; // the key's next four requests
            if (n == 4 && _w.OpOf(found[0]) == KvFrame.Set && _w.OpOf(found[1]) == KvFrame.Set && _w.OpOf(found[2]) == KvFrame.Get && _w.OpOf(found[3]) == KvFrame.Get)
                return (s0, found[0], found[1], found[2], found[3]);
        }
        throw new InvalidOperationException("no key with three SETs and two GETs after them in the first 10,000 requests");
    }

    /// <summary>Runs requests 0..<paramref name="last"/> through a host-side store and the model; <paramref name="lost"/> never
    /// reaches the model (applied to the store or not, as <paramref name="applied"/> says); <paramref name="answer"/> may
    /// replace a GET's reply with another SET's value. Returns the numbers the model refused.</summary>
    private List<ulong> Run(ulong last, ulong lost, bool applied, Func<ulong, ulong?>? answer = null)
    {
        var model = new KvModel(_w);
        var table = new KvTable(1, 64);
        var frame = new byte[KvFrame.FrameBytes];
        var refused = new List<ulong>();
        for (ulong s = 0; s <= last; s++)
        {
            Array.Clear(frame);
            _w.Write(frame, s);
            bool serve = s != lost || applied;
            if (serve) Answer(table, frame);
            if (answer?.Invoke(s) is { } set)
            {
                var value = frame.AsSpan(KvFrame.ValueOffset, KvFrame.MaxValueBytes);
                KvWorkload.ValueOf(set, value);
                frame[KvFrame.StatusOffset] = KvFrame.Ok;
                frame[KvFrame.LengthOffset] = (byte)KvWorkload.LengthOf(set);
            }
            if (s == lost) continue;
            if (!model.Check(frame, s)) refused.Add(s);
        }
        Assert.Equal(1, model.LostSets);
        return refused;
    }

    private static void Answer(KvTable table, byte[] f)
    {
        ulong key = KvFrame.ReadU64(f, KvFrame.KeyOffset);
        var value = f.AsSpan(KvFrame.ValueOffset, KvFrame.MaxValueBytes);
        byte op = f[KvFrame.OpOffset];
        f[KvFrame.OpOffset] = (byte)(op | KvFrame.ReplyBit);
        if (op == KvFrame.Set) { table.Set(key, value[..f[KvFrame.LengthOffset]]); return; }
        int found = table.Get(key, value);
        f[KvFrame.StatusOffset] = found < 0 ? KvFrame.NotFound : KvFrame.Ok;
        f[KvFrame.LengthOffset] = (byte)Math.Max(found, 0);
        if (found < 0) value.Clear();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ALostSetMayOrMayNotHaveBeenApplied(bool applied)
    {
        var (_, _, s2, _, h) = FindSets();
        Assert.Empty(Run(h + 100, s2, applied));
    }

    [Fact]
    public void AStaleValueIsWrongEvenWhileTheKeyIsUncertain()
    {
        var (s0, _, s2, g, h) = FindSets();
        Assert.Equal(new[] { g }, Run(h - 1, s2, applied: false, s => s == g ? s0 : null));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheFirstAnswerSettlesTheKey(bool applied)
    {
        var (_, s1, s2, _, h) = FindSets();
        // h answers the outcome the store did not produce: wrong, since g already settled the key
        Assert.Equal(new[] { h }, Run(h, s2, applied, s => s == h ? (applied ? s1 : s2) : null));
    }
}

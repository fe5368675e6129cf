// tests/benchmarks/RedLeaf.Benchmarks/Apps: the store's model when requests go missing (a driver crash under the store).
// A lost SET may or may not have been applied: a GET of its key answering the value before it, or its own value, is
// right, and settles the key (a later GET answering the other one is wrong); a GET answering any other value (a stale
// one from an earlier SET) is wrong even while the key is uncertain. The replies come from a host-side store (the
// store's own KvTable) fed the same requests, so the test knows which outcome it produced. When the clients send lost
// requests again (RetransmitQueue), the request comes back in its client's next frame and is applied where it comes:
// the key then holds its value (whatever happened to its first copy), a store still answering the older value after it
// is wrong, every request is answered once in the end, and a request sent again although it had been answered is
// counted as answered twice.
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

    /// <summary>Frames 0..<paramref name="last"/> through a host-side store and the model, the clients (<paramref name="clients"/>
    /// of them) sending lost requests again; frame <paramref name="lost"/>'s reply never reaches the model (its request applied
    /// to the store or not, as <paramref name="applied"/> says); <paramref name="answer"/> may replace frame f's reply with
    /// another SET's value. Returns the frames the model refused, the model and the clients.</summary>
    private (List<ulong> Refused, KvModel Model, KvWorkload Clients) RunResending(ulong last, ulong lost, bool applied, int clients = 4,
        Func<ulong, ulong?>? answer = null)
    {
        var w = new KvWorkload(Keys, 0.5) { Retransmits = new RetransmitQueue(clients) };
        var model = new KvModel(w);
        var table = new KvTable(1, 64);
        var frame = new byte[KvFrame.FrameBytes];
        var refused = new List<ulong>();
        for (ulong f = 0; f <= last; f++)
        {
            Array.Clear(frame);
            w.Write(frame, f);
            if (f != lost || applied) Answer(table, frame);
            if (answer?.Invoke(f) is { } set) SetValue(frame, set);
            if (f == lost) continue;
            if (!model.Check(frame, f)) refused.Add(f);
        }
        return (refused, model, w);
    }

    private static void SetValue(byte[] frame, ulong set)
    {
        KvWorkload.ValueOf(set, frame.AsSpan(KvFrame.ValueOffset, KvFrame.MaxValueBytes));
        frame[KvFrame.StatusOffset] = KvFrame.Ok;
        frame[KvFrame.LengthOffset] = (byte)KvWorkload.LengthOf(set);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ALostSetSentAgainIsAppliedWhereItComesAndAnsweredOnce(bool applied)
    {
        var (_, _, s2, _, h) = FindSets();
        var (refused, model, clients) = RunResending(h + 100, s2, applied);
        Assert.Empty(refused);
        Assert.Equal(1, model.LostSets);
        Assert.Equal(1, clients.Retransmits!.Sent);
        Assert.Equal(1, model.Resent);
        Assert.Equal(0, model.Unanswered);
        Assert.Equal(0, model.AnsweredTwice);
        Assert.Equal(h + 101 - 1, (ulong)(model.Gets + model.Sets)); // every frame's reply checked but the lost one's
    }

    [Fact]
    public void ALostRequestIsSentAgainByItsOwnClientInItsNextFrame()
    {
        var (_, _, s2, _, _) = FindSets();
        var w = new KvWorkload(Keys, 0.5) { Retransmits = new RetransmitQueue(4) };
        var frame = new byte[KvFrame.FrameBytes];
        for (ulong f = 0; f <= s2 + 8; f++)
        {
            w.Write(frame, f);
            if (f == s2 + 1) w.Lost(w.RequestIn(s2)); // the checker found s2 skipped when s2 + 1 came back
        }
        // frames s2 + 2 and s2 + 3 belong to other clients; s2's client sends again in frame s2 + 4
        for (ulong f = s2 + 2; f <= s2 + 8; f++)
            Assert.Equal(f == s2 + 4 ? s2 : f, w.RequestIn(f));
        Assert.Equal(1, w.Retransmits!.Sent);
        Assert.Equal(0, w.Retransmits.Unanswered);
    }

    [Fact]
    public void AStoreStillAnsweringTheOlderValueAfterTheSetCameAgainIsWrong()
    {
        var (_, s1, s2, _, _) = FindSets();
        // Two clients: s2, lost before the store applied it, is found skipped when s2 + 1 comes back and sent again in
        // its client's next frame, s2 + 2, where the store applies it. A later GET of the key answering s1's value is wrong.
        ulong later = FirstRequestOfTheKeyAfter(s2 + 2, s2);
        Assert.True(_w.OpOf(later) == KvFrame.Get, $"request {later}, the next of request {s2}'s key after its copy, is a SET");
        var (refused, model, _) = RunResending(later + 50, s2, applied: false, clients: 2, answer: f => f == later ? s1 : null);
        Assert.Equal(new[] { later }, refused);
        Assert.Equal(1, model.Resent);
        var (right, _, _) = RunResending(later + 50, s2, applied: false, clients: 2);
        Assert.Empty(right);
    }

    [Fact]
    public void ARequestSentAgainAfterItsAnswerCameIsCountedAnsweredTwice()
    {
        var w = new KvWorkload(Keys, 0.5) { Retransmits = new RetransmitQueue(4) };
        var model = new KvModel(w);
        var table = new KvTable(1, 64);
        var frame = new byte[KvFrame.FrameBytes];
        for (ulong f = 0; f < 200; f++)
        {
            Array.Clear(frame);
            w.Write(frame, f);
            Answer(table, frame);
            model.Check(frame, f);
            if (f == 100) w.Lost(100); // a client that sends an answered request again
        }
        Assert.Equal(1, model.Resent);
        Assert.Equal(1, model.AnsweredTwice);
    }

    [Fact]
    public void WithoutRetransmitsALostRequestStaysUnanswered()
    {
        var (_, _, s2, _, h) = FindSets();
        var model = new KvModel(_w);
        var table = new KvTable(1, 64);
        var frame = new byte[KvFrame.FrameBytes];
        for (ulong f = 0; f <= h; f++)
        {
            Array.Clear(frame);
            _w.Write(frame, f);
            Answer(table, frame);
            if (f != s2) model.Check(frame, f);
        }
        Assert.Equal(1, model.Abandoned);
        Assert.Equal(1, model.Unanswered);
        Assert.Equal(0, model.Resent);
    }

    /// <summary>The first request after frame <paramref name="from"/> of request <paramref name="request"/>'s key.</summary>
    private ulong FirstRequestOfTheKeyAfter(ulong from, ulong request)
    {
        for (ulong f = from + 1; f < from + 100_000; f++)
            if (_w.RankOf(f) == _w.RankOf(request)) return f;
        throw new InvalidOperationException($"no request of request {request}'s key after {from}");
    }
}

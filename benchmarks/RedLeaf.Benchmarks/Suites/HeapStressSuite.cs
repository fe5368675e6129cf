// benchmarks/RedLeaf.Benchmarks/Suites: `redleaf bench heap-stress`, the shared heap under a storm of races (issue 17, class 2).
// Four domains (one image, compiled here by the trusted compiler) in a chain: each but the first has the
// previous one as its peer (IDomB). Each instance runs four kernel threads (DomainThreads) that allocate,
// write, read, drop, move to the peer (Keep), lend to the peer (Inspect), take from the peer (Produce)
// and send batches in a deque and take them back (Bump), on objects each thread owns alone, tagged in A
// with the owning instance's tag; every read checks the tag (a value tagged by another domain is a
// foreign read: the domain throws "FOREIGN READ", which the engine counts). A share of operations are
// hostile: use of a copy kept after a drop, after a move to the peer, a write by the peer to an object
// lent to it, and reads and writes of handles other threads of the domain are dropping or moving right
// now (taken from a shared graveyard: those may legally land just before the drop or move, and then must
// see the domain's own tag). A hostile access that must fail and does not makes the domain throw
// "HOSTILE NOT REFUSED". Every refused one faults its domain; the engine restarts it (its export proxy
// serves its peer again) and starts its threads anew. At the end the domains are killed and the heap
// must be back at its baseline. Legal operations are counted by the host: each worker thread calls a host
// counter (ICounter, granted to every instance) once per 1,024 of them, so an instance's work is counted
// even when it faults a few milliseconds after it started (a count it kept itself died with it; up to
// 1,023 operations per thread since its last report are not counted).
// Row heap-stress: ops_per_s (legal operations), hostile_refused,
// foreign_reads (must be 0), not_refused (must be 0), restarts, other_crashes, heap_live_after - before.
// The hostile suite's HeapStressTests runs the same engine for 10 s and asserts all of it.
using RedLeaf.Hardware;
using RedLeaf.Interfaces.Test;
using RedLeaf.Measure;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;

namespace RedLeaf.Benchmarks.Suites;

public static class HeapStressSuite
{
    public const string Name = "heap-stress";

    /// <summary>What one run saw.</summary>
    public sealed record Outcome(double Seconds, long Ops, long HostileRefused, long ForeignReads, long NotRefused,
        int Restarts, IReadOnlyList<string> OtherCrashes, long LiveBefore, long LiveAfter, int Domains, int ThreadsPerDomain)
    {
        public double OpsPerSecond => Ops / Seconds;
    }

    public static SuiteResult Run(bool quick, Action<string>? progress = null, double? seconds = null)
    {
        progress ??= _ => { };
        var length = TimeSpan.FromSeconds(seconds ?? (quick ? 3 : 10));
        progress($"heap-stress: 4 domains x 4 threads for {length.TotalSeconds:F0} s ...");
        var o = Stress(length, progress: progress);
        var row = new BenchRow(Name)
            .Set("ops_per_s", BenchRow.Round(o.OpsPerSecond))
            .Set("hostile_refused", o.HostileRefused)
            .Set("foreign_reads", o.ForeignReads)
            .Set("not_refused", o.NotRefused)
            .Set("restarts", o.Restarts)
            .Set("other_crashes", o.OtherCrashes.Count - o.ForeignReads)
            .Set("ops", o.Ops)
            .Set("seconds", BenchRow.Round(o.Seconds))
            .Set("heap_leftover", o.LiveAfter - o.LiveBefore);
        progress($"heap-stress: {o.OpsPerSecond:F0} legal ops/s, {o.HostileRefused} hostile accesses refused, {o.ForeignReads} foreign reads, {o.Restarts} restarts");
        foreach (var c in o.OtherCrashes.Take(5)) progress($"heap-stress: crash not from a refused hostile access: {c}");
        return new SuiteResult(Name, quick, [row]) { Details = new() { ["domains"] = o.Domains, ["threads_per_domain"] = o.ThreadsPerDomain } };
    }

    /// <summary>Runs the storm for <paramref name="length"/>. <paramref name="hostileEvery"/>: one operation in that
    /// many (per thread, at random) is hostile.</summary>
    public static Outcome Stress(TimeSpan length, int domains = 4, int threads = 4, long hostileEvery = 40_000, Action<string>? progress = null)
    {
        progress ??= _ => { };
        using var k = Microkernel.Boot(new MachineConfig { Cpus = 4, MemoryBytes = 256L << 20 });
        var first = TrustedCompiler.Default.CompileText("heap_stress_first", Source(peer: false, threads));
        var chained = TrustedCompiler.Default.CompileText("heap_stress", Source(peer: true, threads));
        long liveBefore = k.Heap.LiveObjects;

        var tally = new Tally();
        var ds = new Domain[domains];
        for (int i = 0; i < domains; i++)
            ds[i] = i == 0 ? k.Load($"stress{i}", first, tally) : k.Load($"stress{i}", chained, tally, ds[i - 1].Export!);
        var instances = new int[domains];
        long refused = 0, foreign = 0, notRefused = 0;
        int restarts = 0;
        var other = new List<string>();

        void Start(int i)
        {
            instances[i]++;
            long tag = 0x7A6L << 40 | (long)(i + 1) << 24 | (uint)instances[i];
            ds[i].Get<IDomB>().Add(tag, hostileEvery);
        }

        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < domains; i++) Start(i);
        while (sw.Elapsed < length)
        {
            Thread.Sleep(10);
            for (int i = 0; i < domains; i++)
            {
                var d = ds[i];
                if (d.Status == DomainStatus.Running) continue;
                k.Restart(d); // a faulted instance is cleaned up (and its crash recorded) first
                restarts++;
                string reason = d.LastCrash?.Reason ?? "(no crash record)";
                if (reason.Contains("FOREIGN READ", StringComparison.Ordinal)) { foreign++; other.Add(reason); }
                else if (reason.Contains("HOSTILE NOT REFUSED", StringComparison.Ordinal)) notRefused++;
                else if (reason.Contains("RRef", StringComparison.Ordinal)) refused++;
                else other.Add(reason);
                Start(i);
            }
        }
        for (int i = 0; i < domains; i++)
        {
            var d = ds[i];
            if (d.Status == DomainStatus.Running) d.Get<IDomB>().Add(-1, 0); // stop the workers, then take everything the instance holds
        }
        double seconds = sw.Elapsed.TotalSeconds;
        long ops = Interlocked.Read(ref tally.Reports) * Tally.Batch;
        foreach (var d in ds)
        {
            if (d.Status == DomainStatus.Running) k.Kill(d, "end of the heap stress");
            else if (d.Status == DomainStatus.Faulted) k.Restart(d); // cleaned up, then killed below
            if (d.Status == DomainStatus.Running) k.Kill(d, "end of the heap stress");
        }
        foreach (var t in k.Threads) t.Join(TimeSpan.FromSeconds(5));
        long liveAfter = k.Heap.LiveObjects;
        return new Outcome(seconds, ops, refused, foreign, notRefused, restarts, other, liveBefore, liveAfter, domains, threads);
    }

    /// <summary>The host's count of the domains' legal operations: one call per <see cref="Batch"/> of them.</summary>
    private sealed class Tally : ICounter
    {
        public const int Batch = 1024;
        public long Reports;
        public RedLeaf.Abi.RpcResult<long> Next() => Interlocked.Increment(ref Reports);
    }

    private static string Source(bool peer, int threads) => $$"""
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;

        public static class Entry
        {
            [DomainEntry]
            public static IDomB Start(ICounter tally{{(peer ? ", IDomB peer" : "")}}) { return new Stress(tally, {{(peer ? "peer" : "null")}}); }
        }

        static class Tags
        {
            // A tag is 0x7A6 << 40 | (domain index + 1) << 24 | instance (HeapStressSuite.Stress's Start).
            public static string Name(long t) => (t >> 40) == 0x7A6 ? "stress" + (((t >> 24) & 0xFFFF) - 1) + " instance " + (t & 0xFFFFFF) : "no tag (" + t + ")";
        }

        sealed class Shared
        {
            public long Tag;
            public long HostileEvery;
            public volatile bool Stop;
            public IDomB? Peer;
            public ICounter Tally = null!;
            public readonly long[] Ops = new long[8 * {{threads}}];
            public readonly RRef<Payload>[] Graveyard = new RRef<Payload>[64];
        }

        sealed class Worker : IThreadBody
        {
            private const long LentAway = -77;
            private readonly Shared S;
            private readonly int W;
            private ulong _rng;
            private readonly RRef<Payload>[] _pool = new RRef<Payload>[32];
            private int _n;

            public Worker(Shared s, int w, ulong seed) { S = s; W = w; _rng = seed | 1; }

            private ulong Next() { _rng ^= _rng << 13; _rng ^= _rng >> 7; _rng ^= _rng << 17; return _rng; }

            private void Mine(long a)
            {
                if (a != S.Tag) throw new InvalidOperationException("FOREIGN READ: an object of " + Tags.Name(S.Tag) + " held the tag of " + Tags.Name(a));
            }

            private RRef<Payload> Take()
            {
                int i = (int)(Next() % (ulong)_n);
                var p = _pool[i];
                _n--;
                _pool[i] = _pool[_n];
                _pool[_n] = default;
                return p;
            }

            private void Bury(RRef<Payload> p) { S.Graveyard[(int)(Next() % 64)] = p; }

            public RpcResult Run()
            {
                long ops = 0;
                var peer = S.Peer;
                while (!S.Stop)
                {
                    ulong r = Next();
                    if (r % (ulong)S.HostileEvery == 0) { Hostile(); continue; }
                    int at = _n == 0 ? 0 : (int)((r >> 20) % (ulong)_n);
                    switch ((int)((r >> 8) % 10))
                    {
                        case 0:
                        case 1:
                            if (_n == 32) Take().Drop();
                            _pool[_n++] = RRef<Payload>.New(new Payload(S.Tag, (long)(r >> 1)));
                            break;
                        case 2:
                            if (_n > 0) _pool[at].Value = new Payload(S.Tag, (long)(r >> 1));
                            break;
                        case 3:
                        case 4:
                            if (_n > 0) Mine(_pool[at].Value.A);
                            break;
                        case 5:
                            if (_n > 0) { var p = Take(); Bury(p); p.Drop(); }
                            break;
                        case 6:
                            if (_n > 0 && peer != null)
                            {
                                var p = Take();
                                Bury(p);
                                var kept = peer.Keep(p);
                                if (!kept.IsOk && kept.Error.Kind == RpcErrorKind.NotRunning) p.Drop(); // never moved: still ours
                            }
                            break;
                        case 7:
                            if (_n > 0 && peer != null)
                            {
                                var seen = peer.Inspect(in _pool[at]);
                                if (seen.IsOk && seen.Value != S.Tag) throw new InvalidOperationException("FOREIGN READ: the peer read the tag of " + Tags.Name(seen.Value) + " in an object of " + Tags.Name(S.Tag));
                            }
                            break;
                        case 8:
                            if (_n < 32 && peer != null)
                            {
                                var got = peer.Produce(0, (long)(r >> 1));
                                if (got.IsOk) { var p = got.Value; p.Value = new Payload(S.Tag, 0); _pool[_n++] = p; }
                            }
                            break;
                        default:
                            if (_n >= 4 && peer != null)
                            {
                                var batch = RRefDeque<RRef<Payload>>.New(4);
                                for (int i = 0; i < 4; i++) batch.TryPushBack(Take());
                                var back = peer.Bump(batch);
                                if (!back.IsOk && back.Error.Kind == RpcErrorKind.NotRunning) batch.Drop(); // never moved: still ours, leaves and all
                                if (back.IsOk)
                                {
                                    var q = back.Value;
                                    while (_n < 32 && q.TryPopFront(out var p)) { Mine(p.Value.A); _pool[_n++] = p; }
                                    q.Drop();
                                }
                            }
                            break;
                    }
                    ops++;
                    S.Ops[W * 8] = ops;
                    if ((ops & 1023) == 0) S.Tally.Next(); // the host counts what this instance did, even if it faults soon
                }
                return RpcResult.Ok;
            }

            private static void NotRefused(string what) => throw new InvalidOperationException("HOSTILE NOT REFUSED: " + what);

            private void Hostile()
            {
                var peer = S.Peer;
                switch ((int)(Next() % 5))
                {
                    case 0:
                    {
                        var p = RRef<Payload>.New(new Payload(S.Tag, 0));
                        var copy = p;
                        p.Drop();
                        long a = copy.Value.A;
                        NotRefused("read after drop gave " + a);
                        break;
                    }
                    case 1:
                    {
                        if (peer == null) break;
                        var p = RRef<Payload>.New(new Payload(S.Tag, 0));
                        var copy = p;
                        var kept = peer.Keep(p);
                        if (!kept.IsOk && kept.Error.Kind == RpcErrorKind.NotRunning) { p.Drop(); break; } // never moved
                        copy.Value = new Payload(S.Tag, 1);
                        NotRefused("write after the move to the peer");
                        break;
                    }
                    case 2:
                    {
                        if (peer == null) break;
                        var p = RRef<Payload>.New(new Payload(S.Tag, LentAway)); // the peer writes what it was lent
                        peer.Inspect(in p);
                        p.Drop();
                        break;
                    }
                    case 3:
                    {
                        var g = S.Graveyard[(int)(Next() % 64)];
                        if (!g.IsNull) Mine(g.Value.A); // just before its drop or move, or refused
                        break;
                    }
                    default:
                    {
                        var g = S.Graveyard[(int)(Next() % 64)];
                        if (!g.IsNull) g.Value = new Payload(S.Tag, -1);
                        break;
                    }
                }
            }
        }

        sealed class Stress : IDomB
        {
            private const long LentAway = -77;
            private readonly Shared S = new Shared();

            public Stress(ICounter tally, IDomB? peer) { S.Tally = tally; S.Peer = peer; }

            public RpcResult<long> Add(long a, long b)
            {
                if (a == -1) { S.Stop = true; return 0; }
                S.Tag = a;
                S.HostileEvery = b < 1 ? long.MaxValue : b;
                for (int i = 0; i < {{threads}}; i++)
                    DomainThreads.Spawn("stress" + i, new Worker(S, i, (ulong)(a * 31 + i * 7919 + 1)));
                return 0;
            }

            public RpcResult<long> Calls()
            {
                long n = 0;
                for (int i = 0; i < {{threads}}; i++) n += S.Ops[i * 8];
                return n;
            }

            public RpcResult<long> Keep(RRef<Payload> p)
            {
                // The tag read once: a restarted instance serves its peer's calls before the host's Add has set its tag,
                // and Add may set it between the write and the read back (red team, 2026-12-07: the storm's one
                // FOREIGN READ was that, not a heap write after the move).
                long tag = S.Tag;
                var v = p.Value;                              // the sender's tag: given to us
                p.Value = new Payload(tag, v.B);
                var back = p.Value;
                if (back.A != tag)
                    throw new InvalidOperationException("FOREIGN READ: a write landed after the move (" + p + ": the sender's tag " + Tags.Name(v.A)
                        + ", ours " + Tags.Name(tag) + ", read back " + Tags.Name(back.A) + " with B " + back.B + "; a sender's hostile write has B -1)");
                p.Drop();
                return v.B;
            }

            public RpcResult<RRef<Payload>> Produce(long a, long b) => RRef<Payload>.New(new Payload(S.Tag, b));

            public RpcResult<long> Inspect(in RRef<Payload> p)
            {
                var v = p.Value;
                if (v.B == LentAway)
                {
                    p.Value = new Payload(S.Tag, 0);
                    throw new InvalidOperationException("HOSTILE NOT REFUSED: a write to a lent object");
                }
                return v.A;
            }

            public RpcResult<RRefDeque<RRef<Payload>>> Bump(RRefDeque<RRef<Payload>> batch)
            {
                int n = batch.Count;
                for (int i = 0; i < n; i++)
                {
                    batch.TryPopFront(out var p);
                    var v = p.Value;
                    p.Value = new Payload(v.A, v.B + 1);
                    batch.TryPushBack(p);
                }
                return batch;
            }

            public RpcResult Null() => RpcResult.Ok;
            public RpcResult WriteBorrowed(in RRef<Payload> p) => RpcResult.Ok;
            public RpcResult<long> KeepPair(RRef<Pair> pair) { pair.Drop(); return 0; }
            public RpcResult<long> DropKept() => 0;
            public RpcResult<long> KeepBatch(RRefDeque<RRef<Payload>> batch) { batch.Drop(); return 0; }
            public RpcResult<RRefDeque<RRef<Pair>>> SwapPairs(RRefDeque<RRef<Pair>> batch) => batch;
            public RpcResult Crash() => RpcResult.Ok;
            public RpcResult CrashHolding(RRef<Pair> pair) { pair.Drop(); return RpcResult.Ok; }
            public RpcResult<ICounter> NewCounter(long start) => throw new NotSupportedException("no counters here");
            public RpcResult<long> Drive(ICounter counter, long n) => 0;
        }
        """;
}

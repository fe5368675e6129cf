// tests/domains/rv6/fs: crash consistency of the rv6 fs domain. A mixed workload (create, write, append, unlink,
// mkdir, rmdir, link) runs through the domain while the test crashes it at random points: at the Nth
// command the disk executes (a block read, or a block write: inside the log's commit, at the single
// block granularity: log copies, the header write that commits, the installs, the header that empties
// the log). Two times in three by faulting the fs domain, else by faulting the block driver (no shadow),
// which the fs domain turns into a panic. After each crash the disk as it lies must be fsck-clean and
// hold every operation that returned before the crash (a host-side model), with the interrupted one
// either absent or present (a write: any prefix of its transactions); then the driver and the fs domain
// are restarted (mount recovers the log) and the workload goes on; now and then that mount is crashed
// too, inside its recovery, and the next one must redo it. The seed is printed and in every
// failure message; REDLEAF_CRASH_SEED replays a run, REDLEAF_CRASHES changes how many crashes.
using System.Diagnostics;
using Domains.Rv6.Fs.Disk;
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Xv6;
using Xunit;
using Xunit.Abstractions;

namespace RedLeaf.Tests.Rv6;

[Trait("suite", "rv6")]
public class FsCrashTests
{
    private readonly ITestOutputHelper _out;
    public FsCrashTests(ITestOutputHelper output) => _out = output;

    private const int Chunk = ((Layout.MAXOPBLOCKS - 1 - 1 - 2) / 2) * Layout.BSIZE; // filewrite's transaction
    private const int MaxSize = 24_000;   // files stay small: the disk (1000 blocks) never fills

    /// <summary>What the disk must hold: file paths naming nodes (links share one), node contents, directories.</summary>
    private sealed class Model
    {
        public Dictionary<string, int> Names = new();
        public Dictionary<int, byte[]> Data = new();
        public SortedSet<string> Dirs = new();
        public int NextId = 1;

        public Model Clone() => new()
        {
            Names = new(Names),
            Data = Data.ToDictionary(kv => kv.Key, kv => kv.Value),
            Dirs = new(Dirs),
            NextId = NextId,
        };

        public void Unlink(string path)
        {
            int id = Names[path];
            Names.Remove(path);
            if (!Names.ContainsValue(id)) Data.Remove(id);
        }
    }

    private sealed class Crashes
    {
        public long Commands;     // commands the disk has executed
        public long CrashAt = -1; // the command after which to crash (-1: disarmed)
        public Domain? Target;
        public string? Phase;     // where the crash landed
        public int HeaderN;       // the log header's n at the crash
        public bool Recovering;   // the crash is armed inside a mount's recovery
        public readonly Dictionary<string, int> ByPhase = new();
    }

    [Fact]
    public void EveryCompletedOperationSurvivesCrashesAtRandomBlockWrites()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("REDLEAF_CRASH_SEED"), out var s) ? s : Random.Shared.Next();
        int target = int.TryParse(Environment.GetEnvironmentVariable("REDLEAF_CRASHES"), out var c) ? c : 1000;
        string replay = $"seed {seed} (replay: REDLEAF_CRASH_SEED={seed})";
        _out.WriteLine($"crash test: {replay}");
        Console.WriteLine($"FsCrashTests: {replay}");
        var rng = new Random(seed);

        using var h = FsHarness.Boot(Mkfs.Build(Array.Empty<MkfsNode>(), new MkfsOptions(Size: 1000)), confirmCollection: false);
        var sb = FsImage.Load(h.DiskBytes(), "empty").Sb;
        var cr = new Crashes();
        var header = new byte[Layout.BSIZE];
        h.Device.OnCommand = (op, block, blocks) =>
        {
            cr.Commands++;
            if (cr.Commands != cr.CrashAt) return;
            cr.CrashAt = -1;
            h.Device.Store.Read(sb.logstart, header);
            cr.HeaderN = (int)LittleEndian.U32(header, 0);
            cr.Phase = op != 0x01 ? "a block read"
                : block == sb.logstart ? (cr.HeaderN > 0 ? "commit: the header write (commit point)" : "commit: the header write emptying the log")
                : block > sb.logstart && block < sb.logstart + sb.nlog ? "commit: a block copied into the log"
                : "commit: a block installed home";
            if (cr.Recovering) cr.Phase = "recovery at mount: " + cr.Phase.Replace("commit: ", "");
            h.Kernel.InjectFault(cr.Target!, "crash test");
        };

        var model = new Model();
        int crashes = 0, ops = 0, sampled = 0, driverCrashes = 0, recoveryCrashes = 0;
        var clock = Stopwatch.StartNew();
        var checking = new Stopwatch();
        var restarting = new Stopwatch();
        TimeSpan firstT = default, crashT = default;
        bool fresh = true;
        using var scope = h.Kernel.Enter();
        int root = h.Fs.Root().Value;
        Arm();

        while (crashes < target)
        {
            ops++;
            var sw = Stopwatch.StartNew();
            var (what, done, candidates) = Step(h, root, model, rng, replay);
            sw.Stop();
            if (fresh) { firstT += sw.Elapsed; fresh = false; } // a new instance compiles its code on first use
            if (!done) crashT += sw.Elapsed;                     // includes the kernel's cleanup of the crash
            if (done) continue;
            fresh = true;

            // The fs domain crashed during `what`.
            crashes++;
            cr.ByPhase[cr.Phase!] = cr.ByPhase.GetValueOrDefault(cr.Phase!) + 1;
            string where = $"crash {crashes} ({cr.Phase}, {(cr.Target == h.Driver ? "driver" : "fs domain")} faulted) during {what}; {replay}";
            Assert.NotEqual(DomainStatus.Running, h.FsDomain.Status);
            checking.Start();
            var bytes = h.DiskBytes();
            var report = Fsck.Check(bytes, "crashed");
            Assert.True(report.Clean, $"{where}: fsck found\n" + string.Join("\n", report.Problems));
            var disk = FsImage.Load(bytes, "crashed");
            model = candidates.FirstOrDefault(m => Matches(disk, m) is null)
                ?? throw new Xunit.Sdk.XunitException($"{where}: the disk matches no allowed state:\n" + string.Join("\n", candidates.Select(m => "  " + Matches(disk, m))));

            checking.Stop();
            restarting.Start();
            if (cr.Target == h.Driver) { driverCrashes++; h.Kernel.Restart(h.Driver); }
            if (cr.HeaderN > 0 && rng.Next(4) == 0)
            {
                // Crash the mount itself, inside its recovery (header read, then per logged block a read
                // of the copy, a read and a write of its home, then the header write): the next mount
                // must redo it, and meanwhile the disk still reads as the same state.
                cr.Target = h.FsDomain;
                cr.Recovering = true;
                cr.CrashAt = cr.Commands + rng.Next(1, 3 * cr.HeaderN + 3);
                var e = Record.Exception(() => h.Kernel.Restart(h.FsDomain));
                cr.CrashAt = -1;
                cr.Recovering = false;
                if (e != null)
                {
                    Assert.True(e is DomainException, $"{where}: a crash in recovery came back as {e}");
                    recoveryCrashes++;
                    cr.ByPhase[cr.Phase!] = cr.ByPhase.GetValueOrDefault(cr.Phase!) + 1;
                    var again = h.DiskBytes();
                    var r2 = Fsck.Check(again, "crashed in recovery");
                    Assert.True(r2.Clean, $"{where}, then again in recovery ({cr.Phase}): fsck found\n" + string.Join("\n", r2.Problems));
                    var diff = Matches(FsImage.Load(again, "crashed in recovery"), model);
                    Assert.True(diff is null, $"{where}, then again in recovery ({cr.Phase}): {diff}");
                }
            }
            h.Device.Store.Read(sb.logstart, header);
            int pending = (int)LittleEndian.U32(header, 0); // a committed transaction the next mount must install
            if (h.FsDomain.Status != DomainStatus.Running) h.Kernel.Restart(h.FsDomain);
            restarting.Stop();
            root = h.Fs.Root().Value;
            var st = h.Fs.Statistics().Value;
            Assert.True(st.Recovered == (pending > 0 ? 1 : 0), $"{where}: the log header held {pending} blocks, but mount recovered {st.Recovered} transactions");
            if (crashes % 50 == 1)
            {
                // A sample also read back through the restarted domain, and fsck after recovery.
                sampled++;
                foreach (var (path, id) in model.Names)
                    Assert.True(model.Data[id].AsSpan().SequenceEqual(h.ReadFile(root, path)), $"{where}: {path} read through the restarted fs domain differs");
                var after = Fsck.Check(h.DiskBytes(), "recovered");
                Assert.True(after.Clean, $"{where}: after recovery fsck found\n" + string.Join("\n", after.Problems));
                Assert.Contains("log: empty", after.Notes);
            }
            Arm();
        }
        clock.Stop();

        string summary = $"{crashes} crashes ({crashes - driverCrashes} of the fs domain, {driverCrashes} of the driver) in {ops} operations, and {recoveryCrashes} more inside the next mount's recovery, {clock.Elapsed.TotalSeconds:F1} s (restarts {restarting.Elapsed.TotalSeconds:F1} s, " +
            $"checking the crashed disks {checking.Elapsed.TotalSeconds:F1} s, first operations after a restart {firstT.TotalSeconds:F1} s, operations that crashed {crashT.TotalSeconds:F1} s, {sampled} read back through the domain); " +
            string.Join(", ", cr.ByPhase.OrderBy(kv => kv.Key).Select(kv => $"{kv.Value} at {kv.Key}")) +
            $"; {cr.ByPhase.Where(kv => kv.Key.StartsWith("commit")).Sum(kv => kv.Value)} at a block write inside a commit; {replay}";
        _out.WriteLine(summary);
        Console.WriteLine("FsCrashTests: " + summary);
        Assert.True(cr.ByPhase.GetValueOrDefault("commit: the header write (commit point)") > 0, "no crash landed at a commit point: " + summary);
        Assert.True(cr.ByPhase.GetValueOrDefault("commit: a block installed home") > 0, "no crash landed during install: " + summary);
        Assert.True(cr.ByPhase.GetValueOrDefault("commit: a block copied into the log") > 0, "no crash landed while writing the log: " + summary);
        Assert.True(recoveryCrashes > 0, "no crash landed inside a mount's recovery: " + summary);

        void Arm()
        {
            cr.Target = rng.Next(3) == 0 ? h.Driver : h.FsDomain; // a driver crash costs two restarts
            cr.CrashAt = cr.Commands + rng.Next(1, 40);
        }
    }

    // One operation of the workload. Returns what it was, whether it completed (its result checked
    // against the model, which it updates), and if the fs domain crashed, the states the disk may hold.
    private static (string What, bool Done, List<Model> Candidates) Step(FsHarness h, int root, Model m, Random rng, string replay)
    {
        var fs = h.Fs;
        var dirs = new List<string> { "" };
        dirs.AddRange(m.Dirs);
        string FilePath() => Join(dirs[rng.Next(dirs.Count)], $"f{rng.Next(6)}");
        string? ExistingFile() => m.Names.Count == 0 ? null : m.Names.Keys.ElementAt(rng.Next(m.Names.Count));

        var after = m.Clone();
        int r = rng.Next(100);
        if (r < 20) // create (or truncate)
        {
            string p = FilePath();
            if (m.Names.TryGetValue(p, out int id)) after.Data[id] = Array.Empty<byte>();
            else { after.Names[p] = after.NextId; after.Data[after.NextId++] = Array.Empty<byte>(); }
            var res = FsHarness.WithPath(p, a => fs.Open(root, in a, OpenMode.Create | OpenMode.Truncate | OpenMode.ReadWrite));
            if (!res.IsOk) return ($"create {p}", false, new() { m, after });
            Check(res.Value >= 0, $"create {p} returned {res.Value}");
            if (!fs.Close(res.Value).IsOk) return ($"close after create {p}", false, new() { after });
            Commit(m, after);
            return ($"create {p}", true, new());
        }
        if (r < 65) // write somewhere inside, or append
        {
            string? p = ExistingFile();
            if (p == null) return ("nothing to write", true, new());
            int id = m.Names[p];
            var old = m.Data[id];
            int off = r < 45 ? rng.Next(old.Length + 1) : old.Length;
            int n = rng.Next(1, Math.Max(2, Math.Min(8000, MaxSize - off)));
            var data = new byte[n];
            rng.NextBytes(data);
            var variants = new List<Model> { m };
            for (int done = 0; done < n;)
            {
                done = Math.Min(n, done + Chunk);
                var v = m.Clone();
                v.Data[id] = Apply(old, off, data.AsSpan(0, done));
                variants.Add(v);
            }
            string what = $"write {n} bytes at {off} of {p} (size {old.Length})";
            var open = FsHarness.WithPath(p, a => fs.Open(root, in a, OpenMode.ReadWrite));
            if (!open.IsOk) return (what, false, new() { m });
            Check(open.Value >= 0, $"{what}: open returned {open.Value}");
            var buf = RRefArray<byte>.From(data);
            var w = fs.Write(open.Value, off, in buf, n);
            buf.Drop();
            if (!w.IsOk) return (what, false, variants);
            Check(w.Value == n, $"{what}: wrote {w.Value}");
            if (!fs.Close(open.Value).IsOk) return (what, false, new() { variants[^1] });
            Commit(m, variants[^1]);
            return (what, true, new());
        }
        if (r < 77) // unlink a file (sometimes one that is not there)
        {
            string p = rng.Next(8) == 0 ? FilePath() : ExistingFile() ?? FilePath();
            bool exists = m.Names.ContainsKey(p);
            if (exists) after.Unlink(p);
            return Simple($"unlink {p}", FsHarness.WithPath(p, a => fs.Unlink(root, in a)), exists ? 0 : -1);
        }
        if (r < 85) // mkdir
        {
            string p = $"d{rng.Next(3)}";
            bool exists = m.Dirs.Contains(p);
            if (!exists) after.Dirs.Add(p);
            return Simple($"mkdir {p}", FsHarness.WithPath(p, a => fs.Mkdir(root, in a)), exists ? -1 : 0);
        }
        if (r < 90) // remove a directory: refused unless empty
        {
            string p = $"d{rng.Next(3)}";
            bool ok = m.Dirs.Contains(p) && !m.Names.Keys.Any(k => k.StartsWith(p + "/"));
            if (ok) after.Dirs.Remove(p);
            return Simple($"unlink dir {p}", FsHarness.WithPath(p, a => fs.Unlink(root, in a)), ok ? 0 : -1);
        }
        // link
        {
            string? o = ExistingFile();
            if (o == null) return ("nothing to link", true, new());
            string p = FilePath();
            bool ok = !m.Names.ContainsKey(p);
            if (ok) after.Names[p] = m.Names[o];
            return Simple($"link {o} {p}", FsHarness.WithPath(o, a => FsHarness.WithPath(p, b => fs.Link(root, in a, in b))), ok ? 0 : -1);
        }

        (string, bool, List<Model>) Simple(string what, RpcResult<int> res, int expect)
        {
            if (!res.IsOk) return (what, false, new() { m, after });
            Check(res.Value == expect, $"{what} returned {res.Value}, expected {expect}");
            Commit(m, after);
            return (what, true, new());
        }

        void Check(bool ok, string message)
        {
            if (!ok) throw new Xunit.Sdk.XunitException($"{message}; {replay}");
        }
    }

    private static void Commit(Model m, Model after)
    {
        m.Names = after.Names;
        m.Data = after.Data;
        m.Dirs = after.Dirs;
        m.NextId = after.NextId;
    }

    private static string Join(string dir, string name) => dir.Length == 0 ? name : dir + "/" + name;

    private static byte[] Apply(byte[] old, int off, ReadOnlySpan<byte> data)
    {
        var b = new byte[Math.Max(old.Length, off + data.Length)];
        old.CopyTo(b, 0);
        data.CopyTo(b.AsSpan(off));
        return b;
    }

    // Null if the disk holds exactly the model's tree, else the first difference.
    private static string? Matches(FsImage disk, Model m)
    {
        var files = new Dictionary<string, uint>();
        var dirs = new SortedSet<string>();
        void Walk(uint dir, string prefix)
        {
            foreach (var de in disk.ReadDir(dir))
            {
                string name = de.NameString();
                if (name is "." or "..") continue;
                string path = Join(prefix, name);
                if (disk.Inode(de.inum).type == InodeType.T_DIR) { dirs.Add(path); Walk(de.inum, path); }
                else files[path] = de.inum;
            }
        }
        Walk(Layout.ROOTINO, "");
        if (!dirs.SetEquals(m.Dirs)) return $"directories [{string.Join(" ", dirs)}], model [{string.Join(" ", m.Dirs)}]";
        var names = files.Keys.Order().ToList();
        if (!names.SequenceEqual(m.Names.Keys.Order())) return $"files [{string.Join(" ", names)}], model [{string.Join(" ", m.Names.Keys.Order())}]";
        var inumOf = new Dictionary<int, uint>();
        foreach (var (path, id) in m.Names)
        {
            uint inum = files[path];
            if (inumOf.TryGetValue(id, out var linked) && linked != inum) return $"{path} should be a link to inode {linked}, is inode {inum}";
            inumOf[id] = inum;
            var data = disk.ReadFile(inum);
            if (!data.AsSpan().SequenceEqual(m.Data[id])) return $"{path}: {data.Length} bytes on disk, model {m.Data[id].Length}";
        }
        if (inumOf.Values.Distinct().Count() != inumOf.Count) return "two different model files share an inode";
        return null;
    }
}

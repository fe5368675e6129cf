// tests/kernel-ext/RedLeaf.Notebook: the notebook surface in plain C# (no .NET Interactive): a cell defined twice replaces
// the earlier domain (killed) and the name then means the new one; restart grants; a crash watched
// from a cell reports what cleanup freed; a domain's view carries the private bytes the kernel charged it.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Lab;
using RedLeaf.Interfaces.Test;
using RedLeaf.Notebook.Session;
using RedLeaf.Os.Domains;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
[Collection(NotebookCollection.Name)]
public class NotebookKernelTests
{
    private static string Keeper(string addBody) => $$"""
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Lab;
        using RedLeaf.Interfaces.Test;
        public sealed class K : IKeeper
        {
            private readonly List<RRef<Payload>> _kept = new();
            public RpcResult<long> Add(long a, long b) { {{addBody}} }
            public RpcResult<long> Keep(RRef<Payload> p) { _kept.Add(p); return _kept.Count; }
            public RpcResult<long> Count() => _kept.Count;
            public RpcResult Crash() => throw new InvalidOperationException("asked");
        }
        public static class Entry { [DomainEntry] public static IKeeper Start() => new K(); }
        """;

    [Fact]
    public void DefiningANameAgainReplacesTheEarlierDomain()
    {
        using var kernel = Lab.Boot();
        kernel.Define("k", Keeper("return a + b;"));
        var first = kernel.Use<IKeeper>("k");
        Assert.Equal(5, first.Add(2, 3).Value);

        var second = kernel.Define("k", Keeper("return a * b;"));
        Assert.Equal(6, kernel.Use<IKeeper>("k").Add(2, 3).Value);
        Assert.Equal(DomainStatus.Running, kernel["k"].Status);
        Assert.Equal(second.Name, kernel["k"].Name);
        Assert.False(first.Add(2, 3).IsOk); // the earlier definition was killed
        Assert.Contains(kernel.Domains.Rows, d => d.Name == "k" && d.Status == DomainStatus.Killed);
        Lab.Shutdown();
    }

    /// <summary>A domain that crashes partway through a measurement: the samples say so beside the numbers.</summary>
    [Fact]
    public void MeasureWarnsWhenTheDomainCrashedWhileMeasuring()
    {
        using var kernel = Lab.Boot();
        kernel.Define("k", Keeper("if (a > 100) throw new InvalidOperationException(\"boom\"); return a + b;"));
        var k = kernel.Use<IKeeper>("k");
        var clean = kernel.Measure("clean", () => k.Add(1, 2), samples: 200);
        Assert.Null(clean.Warning);
        long n = 0;
        var broken = kernel.Measure("broken", () => k.Add(++n, 2), samples: 200);
        Assert.NotNull(broken.Warning);
        Assert.Contains("k (1x", broken.Warning);
        Assert.Contains("warning:", broken.ToString());
        Lab.Shutdown();
    }

    [Fact]
    public void BootingRv6SaysItReplacedTheKernelBootedBefore()
    {
        Lab.Boot();
        var rv6 = Lab.BootRv6();
        Assert.Contains(rv6.Kernel.Core.Log.Entries, e => e.Message.Contains("booted earlier in this notebook was shut down", StringComparison.Ordinal));
        Lab.Shutdown();
    }

    private const string Probe = """
        using RedLeaf.Abi;
        namespace Probes;
        [DomainInterface] public interface IProbe { RpcResult<long> Poke(long x); }
        """;

    private static string Prober(long factor) => $$"""
        using RedLeaf.Abi;
        using Probes;
        sealed class P : IProbe { public RpcResult<long> Poke(long x) => x * {{factor}}; }
        public static class Entry { [DomainEntry] public static IProbe Start() => new P(); }
        """;

    [Fact]
    public void AnInterfaceCellRunAgainOrEditedReplacesItsEarlierSet()
    {
        using var kernel = Lab.Boot();
        var first = kernel.DefineInterfaces(Probe);
        var again = kernel.DefineInterfaces(Probe); // the same cell run twice: the same set, no clash
        Assert.Equal(first.Name, again.Name);
        Assert.Empty(again.Replaced);
        kernel.Define("p1", Prober(2));
        var edited = kernel.DefineInterfaces(Probe.Replace("Poke(long x);", "Poke(long x);\n    RpcResult<long> Twice(long x);"));
        Assert.NotEqual(first.Name, edited.Name);
        Assert.Equal(new[] { first.Name }, edited.Replaced);
        Assert.Single(kernel.InterfaceSets);
        kernel.Define("p2", Prober(3).Replace("public RpcResult<long> Poke", "public RpcResult<long> Twice(long x) => 2 * x; public RpcResult<long> Poke"));
        Assert.Equal(RedLeaf.Os.Domains.DomainStatus.Running, kernel["p1"].Status); // built against the first set, still running
        Assert.Equal(RedLeaf.Os.Domains.DomainStatus.Running, kernel["p2"].Status); // built against the edited set
        Lab.Shutdown();
    }

    /// <summary>A domain's view carries what the kernel's allocation meter charged it (homework 6 grades by it):
    /// one that allocated 4 MiB in 4 KiB arrays shows 4 MiB or a little more (what host code allocated on the
    /// same thread between calls is charged to the next domain sampled there), once a sample has charged them.</summary>
    [Fact]
    public void ADomainsViewCarriesThePrivateBytesTheKernelChargedIt()
    {
        using var kernel = Lab.Boot();
        kernel.Define("allocator", """
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            public sealed class A : IHostile
            {
                private byte[] _last = new byte[1];
                public RpcResult<long> Run(long mebibytes) { long sum = 0; for (long i = 0; i < mebibytes * 256; i++) { _last = new byte[4096]; sum += _last.Length; } return sum; }
            }
            public static class Entry { [DomainEntry] public static IHostile Start() => new A(); }
            """);
        var allocator = kernel.Use<IHostile>("allocator");
        // What the domain was charged before the calls (its start, and what the loading thread allocated since its last
        // sample: the meter charges a thread's allocations to the next domain sampled on it; seen as 41,519 B in CI).
        const long MiB = 1 << 20;
        long before;
        using (kernel.Enter()) // the calls run on this thread, so its samples charge them
        {
            // A thread's first sample only sets its mark (what it allocated before is nobody's): allocate until one has
            // charged something, so the thread is sampled before the measured call.
            long start = Charged();
            for (int i = 0; i < 600 && Charged() == start; i++)
            {
                Assert.Equal(MiB, allocator.Run(1).Value);
                Thread.Sleep(15);
            }
            Assert.True(Charged() > start, "the meter never charged the domain on this thread");
            before = Charged();
            Assert.Equal(4 * MiB, allocator.Run(4).Value);
            // A sample charges what the calls before allocated, at a check after the meter's clock asks (every 10 ms). The
            // counter is read on another thread: reading the view here is host work on the calls' thread, which the meter
            // would mix into the samples (it allocated on this thread and its forgetting of host allocation dropped the
            // unsampled tail of Run(4): 2.7 of 4 MiB seen once in CI).
            for (int i = 0; i < 600 && Charged() - before < 4 * MiB; i++)
            {
                Thread.Sleep(15);
                Assert.Equal(0, allocator.Run(0).Value);
            }
        }
        Assert.InRange(Charged() - before, 4 * MiB, 6 * MiB); // and up to the last priming call's 1 MiB not yet sampled

        long Charged()
        {
            long v = 0;
            var t = new Thread(() => v = kernel["allocator"].PrivateBytesAllocated);
            t.Start();
            t.Join();
            return v;
        }
        Assert.Contains("private bytes", kernel["allocator"].ToHtml());
        Lab.Shutdown();
    }

    [Fact]
    public void WatchReportsWhatACrashFreedAndRestartGrantsWork()
    {
        using var kernel = Lab.Boot();
        kernel.Define("k", Keeper("return a + b;"));
        var k = kernel.Use<IKeeper>("k");
        using (kernel.Enter())
        {
            k.Keep(RRef<Payload>.New(new Payload(1, 2)));
            k.Keep(RRef<Payload>.New(new Payload(3, 4)));
        }
        var report = kernel.Watch(() => k.Crash());
        Assert.Equal(2, report.FreedObjects);
        Assert.Equal(2, report.Before.Objects);
        Assert.Equal(0, report.After.Objects);
        Assert.True(report.Collection?.Collected);

        // A shadow-like domain granted the right to restart k brings it back.
        kernel.Define("fixer", """
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Lab;
            public sealed class F : IKeeper
            {
                private readonly IKeeper _k; private readonly RestartCapability _r;
                public F(IKeeper k, RestartCapability r) { _k = k; _r = r; }
                public RpcResult<long> Add(long a, long b) { var x = _k.Add(a, b); if (x.IsOk) return x; _r.Restart(); return _k.Add(a, b); }
                public RpcResult<long> Keep(RRef<RedLeaf.Interfaces.Test.Payload> p) => _k.Keep(p);
                public RpcResult<long> Count() => _k.Count();
                public RpcResult Crash() => default;
            }
            public static class Entry { [DomainEntry] public static IKeeper Start(IKeeper k, RestartCapability r) => new F(k, r); }
            """, new[] { "k", "restart:k" });
        Assert.Equal(7, kernel.Use<IKeeper>("fixer").Add(3, 4).Value);
        Assert.Equal(1, kernel["k"].Restarts);
        Lab.Shutdown();
    }
}

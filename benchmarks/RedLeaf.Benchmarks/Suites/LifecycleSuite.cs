// benchmarks/RedLeaf.Benchmarks/Suites: what a domain's life costs: loading and starting a small domain in a process that
// has loaded it before (rv6 starts a domain per program, so this must be cheap), the memory a live
// domain takes, the time from a crash to its load context being confirmed collected, and what a
// notebook cell costs: a domain compiled warm, and an interface set (#!idl) with two domains using it.
using System.Diagnostics;
using RedLeaf.Hardware;
using RedLeaf.Interfaces.Test;
using RedLeaf.Measure;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;

namespace RedLeaf.Benchmarks.Suites;

public static class LifecycleSuite
{
    public const string Name = "lifecycle";

    public static SuiteResult Run(bool quick, Action<string>? progress = null)
    {
        progress ??= _ => { };
        var image = TrustedCompiler.Default.CompileFolder(DomainTree.Folder("test/dom_b"));
        int loads = quick ? 200 : 2000, live = quick ? 200 : 1000, crashes = quick ? 10 : 50;
        var rows = new List<BenchRow> { LoadWarm(image, loads, progress), LiveMemory(image, live, progress), CrashToCollected(image, crashes, progress),
            CellCompileWarm(quick ? 10 : 40, progress), CellInterfacesWarm(quick ? 10 : 40, progress) };
        // Load, memory and cell rows run with collection unconfirmed (each kill would start full collections that the next
        // load's timing would pay); crash-to-collected confirms it on purpose, and says so in its row.
        return new SuiteResult(Name, quick, rows) { Details = new() { ["confirm_collection"] = false } };
    }

    /// <summary>Load + start (entry point run, export bound) of dom_b, after warm-up loads of the same image.</summary>
    private static BenchRow LoadWarm(DomainImage image, int n, Action<string> progress)
    {
        using var kernel = Microkernel.Boot(new MachineConfig { MemoryBytes = 16L << 20 }, new KernelOptions { ConfirmCollection = false });
        for (int i = 0; i < 20; i++) kernel.Kill(kernel.Load(image));
        var us = new double[n];
        long managed = 0;
        for (int i = 0; i < n; i++)
        {
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            long t0 = Stopwatch.GetTimestamp();
            var d = kernel.Load(image);
            long t1 = Stopwatch.GetTimestamp();
            managed += GC.GetAllocatedBytesForCurrentThread() - a0;
            us[i] = (t1 - t0) * 1e6 / Stopwatch.Frequency;
            if (!d.Get<IDomB>().Add(1, 2).IsOk) throw new InvalidOperationException("a freshly loaded domain did not serve a call");
            kernel.Kill(d);
        }
        var s = Stats.Of(us);
        progress($"lifecycle: load-warm median {s.Median:F1} us, {managed / n} managed bytes per load");
        return new BenchRow("load-warm")
            .Set("median_us", BenchRow.Round(s.Median)).Set("p90_us", BenchRow.Round(s.P90)).Set("p99_us", BenchRow.Round(s.P99))
            .Set("min_us", BenchRow.Round(s.Min)).Set("samples", n).Set("managed_bytes_per_load", managed / n);
    }

    /// <summary>Resident memory per live domain: RSS growth while n instances are loaded at once, divided by n.</summary>
    private static BenchRow LiveMemory(DomainImage image, int n, Action<string> progress)
    {
        using var kernel = Microkernel.Boot(new MachineConfig { MemoryBytes = 16L << 20 }, new KernelOptions { ConfirmCollection = false });
        kernel.Kill(kernel.Load(image));
        FullCollect();
        long rss0 = Rss();
        var domains = new List<Domain>(n);
        for (int i = 0; i < n; i++) domains.Add(kernel.Load(image));
        FullCollect();
        long rss1 = Rss();
        long perDomain = Math.Max(0, rss1 - rss0) / n;
        progress($"lifecycle: {n} live domains added {(rss1 - rss0) >> 10} KiB resident, {perDomain} bytes each");
        foreach (var d in domains) kernel.Kill(d);
        return new BenchRow("live-memory").Set("domains", n).Set("rss_bytes_per_domain", perDomain)
            .Set("method", "VmRSS growth with all loaded, after full GCs, divided by count");
    }

    /// <summary>From a crash (an exception escaping dom_b) to its load context confirmed collected.</summary>
    private static BenchRow CrashToCollected(DomainImage image, int n, Action<string> progress)
    {
        using var kernel = Microkernel.Boot(new MachineConfig { MemoryBytes = 16L << 20 });
        var ms = new List<double>();
        int collected = 0;
        for (int i = 0; i < n; i++)
        {
            var d = kernel.Load(image);
            long t0 = Stopwatch.GetTimestamp();
            d.Get<IDomB>().Crash();
            var result = d.LastCrash!.Collection.GetAwaiter().GetResult();
            ms.Add((Stopwatch.GetTimestamp() - t0) * 1e3 / Stopwatch.Frequency);
            if (result.Collected) collected++;
        }
        var s = Stats.Of(ms.ToArray());
        progress($"lifecycle: crash-to-collected median {s.Median:F1} ms, {collected}/{n} collected");
        return new BenchRow("crash-to-collected")
            .Set("median_ms", BenchRow.Round(s.Median)).Set("max_ms", BenchRow.Round(s.Max)).Set("count", n).Set("collected", collected);
    }

    /// <summary>A notebook cell's domain, warm: compile (new source each time, so no cache hit),
    /// instrument, gate, sign, verify, load and make a first call, in a process that has compiled before.</summary>
    private static BenchRow CellCompileWarm(int n, Action<string> progress)
    {
        using var kernel = Microkernel.Boot(new MachineConfig { MemoryBytes = 16L << 20 }, new KernelOptions { ConfirmCollection = false });
        string Source(int i) => $$"""
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            public static class Cell{{i + 1000}} { [DomainEntry] public static IHostile Start() => new Twice(); }
            sealed class Twice : IHostile { public RpcResult<long> Run(long a) { long s = 0; for (long k = 0; k < a; k++) s += 2; return s + {{i}}; } }
            """;
        string run = Guid.NewGuid().ToString("N")[..8];
        for (int i = 0; i < 3; i++) kernel.Load(TrustedCompiler.Default.CompileText($"warm{run}{i}", Source(-1 - i)));
        var ms = new double[n];
        for (int i = 0; i < n; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var d = kernel.Load(TrustedCompiler.Default.CompileText($"cell{run}{i}", Source(i)));
            if (d.Get<IHostile>().Run(10).Value != 20 + i) throw new InvalidOperationException("the cell domain computed the wrong value");
            ms[i] = (Stopwatch.GetTimestamp() - t0) * 1e3 / Stopwatch.Frequency;
        }
        var s = Stats.Of(ms);
        progress($"lifecycle: cell compile+sign+verify+load warm median {s.Median:F1} ms");
        return new BenchRow("cell-compile-warm").Set("median_ms", BenchRow.Round(s.Median)).Set("max_ms", BenchRow.Round(s.Max)).Set("samples", n);
    }

    /// <summary>A notebook's #!idl cell and two #!domain cells, warm: compile a new interface set (checks,
    /// sign), admit it (verify, inspect, load, build its proxies with Roslyn), then compile and load a domain
    /// exporting it and one granted it, and make a first call that crosses both. Each set is new (a new
    /// namespace) and stays loaded, as a notebook's sets do.</summary>
    private static BenchRow CellInterfacesWarm(int n, Action<string> progress)
    {
        using var kernel = Microkernel.Boot(new MachineConfig { MemoryBytes = 16L << 20 }, new KernelOptions { ConfirmCollection = false });
        string run = Guid.NewGuid().ToString("N")[..8];
        string Set(int i) => $"using RedLeaf.Abi;\nnamespace Bench{run}.Set{i + 100};\n[DomainInterface] public interface ITwice {{ RpcResult<long> Twice(long a); }}\n";
        string Impl(int i) => $$"""
            using RedLeaf.Abi;
            using Bench{{run}}.Set{{i + 100}};
            public static class Cell { [DomainEntry] public static ITwice Start() => new T(); }
            sealed class T : ITwice { public RpcResult<long> Twice(long a) => 2 * a; }
            """;
        string User(int i) => $$"""
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            using Bench{{run}}.Set{{i + 100}};
            public static class Cell { [DomainEntry] public static IHostile Start(ITwice t) => new U(t); }
            sealed class U : IHostile { private readonly ITwice _t; public U(ITwice t) { _t = t; } public RpcResult<long> Run(long a) => _t.Twice(a); }
            """;
        (double Set, double All) Once(int i)
        {
            long t0 = Stopwatch.GetTimestamp();
            var set = TrustedCompiler.Default.CompileInterfacesText(Set(i));
            kernel.LoadInterfaces(set, TrustedCompiler.Proxies);
            long t1 = Stopwatch.GetTimestamp();
            var compiler = TrustedCompiler.Default.WithInterfaces(set);
            var impl = kernel.Load(compiler.CompileText($"impl{run}{i}", Impl(i)));
            var user = kernel.Load(compiler.CompileText($"user{run}{i}", User(i)), impl.Export!);
            if (user.Get<IHostile>().Run(21 + i).Value != 42 + 2 * i) throw new InvalidOperationException("the call through the cell's interface computed the wrong value");
            long t2 = Stopwatch.GetTimestamp();
            return ((t1 - t0) * 1e3 / Stopwatch.Frequency, (t2 - t0) * 1e3 / Stopwatch.Frequency);
        }
        for (int i = 0; i < 3; i++) Once(-10 - i);
        var sets = new double[n];
        var all = new double[n];
        for (int i = 0; i < n; i++) (sets[i], all[i]) = Once(i);
        var s = Stats.Of(sets);
        var a = Stats.Of(all);
        progress($"lifecycle: interface set compile+admit+proxies warm median {s.Median:F1} ms; with two domains and a call {a.Median:F1} ms");
        return new BenchRow("cell-interfaces-warm").Set("set_median_ms", BenchRow.Round(s.Median)).Set("median_ms", BenchRow.Round(a.Median))
            .Set("max_ms", BenchRow.Round(a.Max)).Set("samples", n);
    }

    private static void FullCollect()
    {
        for (int i = 0; i < 3; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); }
    }

    private static long Rss()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return Environment.WorkingSet;
    }
}

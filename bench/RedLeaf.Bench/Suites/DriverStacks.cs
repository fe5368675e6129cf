// bench/Suites: how the driver benchmarks assemble what they measure, one configuration each, as in
// the paper's Figures 6-8: "driver" (the driver compiled into the application's domain: no crossing),
// "domain" (the driver in its own domain, reached through its proxy), "shadow" (through a shadow
// domain that would restart it). Every domain goes through the trusted compiler and the loader.
using RedLeaf.Hardware;
using RedLeaf.Hardware.Devices;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;

namespace RedLeaf.Bench.Suites;

public static class DriverStacks
{
    public static readonly string[] Configs = { "driver", "domain", "shadow" };

    public static DomainImage Image(string folder) => TrustedCompiler.Default.CompileFolder(DomainTree.Folder(folder));

    public static Microkernel Boot() => Microkernel.Boot(new MachineConfig { Cpus = 1, MemoryBytes = 256L << 20 });

    /// <summary>Shuts a measurement's kernel down and waits (bounded) until the code of its domains is
    /// confirmed collected: until then every instrumented check in any domain takes its slow path
    /// (a stop is pending), which would slow the next measurement down.</summary>
    public static void ShutDown(Microkernel k)
    {
        k.Dispose();
        var pending = k.Domains.SelectMany(d => d.Crashes).Select(c => (Task)c.Collection).ToArray();
        Task.WaitAll(pending, TimeSpan.FromSeconds(10));
    }

    /// <summary>Loads the application for <paramref name="config"/>: linked with the driver, or granted the
    /// driver's export, or its shadow's. <paramref name="device"/> is null for nullnet.</summary>
    public static Domain Load(Microkernel k, string config, Device? device, string driverFolder, string appFolder, string linkedAppFolder, string shadowFolder)
    {
        object[] deviceGrant = device is null ? Array.Empty<object>() : new object[] { device };
        if (config == "driver") return k.Load(Image(linkedAppFolder), deviceGrant);
        var driver = k.Load(Image(driverFolder), deviceGrant);
        if (config == "domain") return k.Load(Image(appFolder), driver.Export!);
        var shadow = k.Load(Image(shadowFolder), driver.Export!, k.GrantRestart(driver));
        return k.Load(Image(appFolder), shadow.Export!);
    }

    /// <summary>Runs <paramref name="chunk"/> (which returns operations done) for <paramref name="warmup"/>,
    /// then for <paramref name="measure"/>; returns operations per second of each measured chunk and the
    /// bytes this thread allocated per operation while measuring.</summary>
    public static (double[] PerSecond, double AllocPerOp, long Operations) Time(Func<long> chunk, TimeSpan warmup, TimeSpan measure)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < warmup) chunk();
        var rates = new double[4096]; // preallocated: the measuring loop itself allocates nothing
        int count = 0;
        long ops = 0, alloc = 0;
        sw.Restart();
        while (sw.Elapsed < measure && count < rates.Length)
        {
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            ulong t0 = Tsc.Read();
            long n = chunk();
            ulong t1 = Tsc.Read();
            alloc += GC.GetAllocatedBytesForCurrentThread() - a0;
            ops += n;
            rates[count++] = n / Tsc.ToSeconds(t1 - t0);
        }
        Array.Resize(ref rates, count);
        return (rates, ops == 0 ? 0 : (double)alloc / ops, ops);
    }
}

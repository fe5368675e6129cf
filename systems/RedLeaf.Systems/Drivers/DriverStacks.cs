// systems/RedLeaf.Systems/Drivers: how the driver benchmarks assemble what they measure, one configuration each, as in
// the paper's Figures 6-8: "driver" (the driver compiled into the application's domain: no crossing),
// "domain" (the driver in its own domain, reached through its proxy), "shadow" (through a shadow
// domain that would restart it). Every domain goes through the trusted compiler and the loader.
using RedLeaf.Hardware;
using RedLeaf.Hardware.Devices;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;

namespace RedLeaf.Systems.Drivers;

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
}

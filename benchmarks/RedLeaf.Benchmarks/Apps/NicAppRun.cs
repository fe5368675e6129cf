// benchmarks/RedLeaf.Benchmarks/Apps: what the apps suite's two set-ups (KvRun, MaglevRun) share, as NativeNicApp is for
// their C twins: a kernel booted with the driver stacks, an ixgbe-like NIC whose generator runs unpaced (an application
// row measures the software, not the 10 GbE wire), the application loaded in one of the stacks' configurations, and its
// calls' results checked, a failure naming the last crash the kernel recorded.
using RedLeaf.Abi;
using RedLeaf.Hardware.Devices;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Systems.Drivers;

namespace RedLeaf.Benchmarks.Apps;

public abstract class NicAppRun : IDisposable
{
    private readonly string _what;
    private Domain? _app;

    /// <param name="what">The application as a failure names it ("the key-value store").</param>
    protected NicAppRun(string what, int packetBytes, int flows, int ringEntries)
    {
        _what = what;
        Kernel = DriverStacks.Boot();
        try { Device = Kernel.Machine.Attach(new IxgbeDevice("nic0", new TrafficGenerator(packetBytes, flows, lineRate: false), ringEntries)); }
        catch
        {
            DriverStacks.ShutDown(Kernel);
            throw;
        }
    }

    public Microkernel Kernel { get; }
    public IxgbeDevice Device { get; }
    /// <summary>The application's domain (with the NIC driver linked in, for the driver configuration).</summary>
    public Domain App => _app ?? throw new InvalidOperationException($"{_what} is not loaded yet");
    /// <summary>The NIC driver's own domain (domain and shadow configurations); null when it is linked into the application's.</summary>
    public Domain? Driver => Kernel.DriverOf(Device) is { } d && d != App ? d : null;

    /// <summary>Loads the application in <paramref name="config"/> (DriverStacks.Load); a subclass calls it once, from its
    /// constructor, inside <see cref="Build"/>.</summary>
    protected Domain Load(string config, string app, string linked, string shadow) =>
        _app = DriverStacks.Load(Kernel, config, Device, "drivers/nic", app, linked, shadow);

    /// <summary>Runs a subclass's part of the set-up; if it throws, the kernel is shut down before the exception goes on.</summary>
    protected void Build(Action setUp)
    {
        try { setUp(); }
        catch
        {
            Dispose();
            throw;
        }
    }

    public T Check<T>(RpcResult<T> r) =>
        r.IsOk ? r.Value : throw new InvalidOperationException($"{_what} failed: {r.Error} ({LastCrash()})");

    public void Check(RpcResult r)
    {
        if (!r.IsOk) throw new InvalidOperationException($"{_what} failed: {r.Error} ({LastCrash()})");
    }

    private string LastCrash() => Kernel.Domains.Select(d => d.LastCrash).LastOrDefault(c => c is not null)?.ToString() ?? "no crash recorded";

    public void Dispose()
    {
        DriverStacks.ShutDown(Kernel);
        GC.SuppressFinalize(this);
    }
}

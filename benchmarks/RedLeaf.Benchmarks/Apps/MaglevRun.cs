// benchmarks/RedLeaf.Benchmarks/Apps: one Maglev set-up on the ixgbe-like NIC model, as the apps suite and its
// tests use it: a kernel, the NIC with an unpaced generator over 1,048,576 flows (the paper's 1 M), its sink told
// the header each flow must arrive with (MaglevFlows, computed per frame), and the balancer loaded in one of the driver stacks'
// configurations (driver: linked with the NIC driver; domain: through the driver's proxy; shadow: through
// the net shadow).
using RedLeaf.Abi;
using RedLeaf.Hardware.Devices;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Systems.Drivers;

namespace RedLeaf.Benchmarks.Apps;

public sealed class MaglevRun : IDisposable
{
    public const int Flows = 1 << 20, PacketBytes = 64, RingEntries = 512, ReceiveBuffers = 1024;
    public const int DefaultBackends = 100;

    public MaglevRun(string config, int batch, int backends = DefaultBackends)
    {
        Kernel = DriverStacks.Boot();
        try
        {
            Device = Kernel.Machine.Attach(new IxgbeDevice("nic0", new TrafficGenerator(PacketBytes, Flows, lineRate: false), RingEntries));
            Expected = new MaglevFlows(Flows, PacketBytes, backends);
            Device.Sink.ExpectFlowHeaders(Expected);
            App = DriverStacks.Load(Kernel, config, Device, "drivers/nic", "workloads/maglev", "workloads/maglev_nic", "shadow/net");
            Balancer = App.Get<IMaglevBench>();
            Check(Balancer.Setup(batch, ReceiveBuffers, backends));
        }
        catch
        {
            DriverStacks.ShutDown(Kernel);
            throw;
        }
    }

    public Microkernel Kernel { get; }
    public IxgbeDevice Device { get; }
    public MaglevFlows Expected { get; }
    public Domain App { get; }
    public IMaglevBench Balancer { get; }

    /// <summary>Forwards at least <paramref name="packets"/> frames; returns how many.</summary>
    public long Forward(long packets) => Check(Balancer.Forward(packets));

    /// <summary>Takes a backend out in the balancer and in what the sink expects; returns the shares of flows moved
    /// (with the connection table, and by the table alone).</summary>
    public (double Moved, double MovedByTable) RemoveBackend(int backend)
    {
        Check(Balancer.RemoveBackend(backend));
        return Expected.Remove(backend); // the sink asks Expected per frame: it now expects the new backends
    }

    public long Connections => Check(Balancer.Connections());

    public T Check<T>(RpcResult<T> r) =>
        r.IsOk ? r.Value : throw new InvalidOperationException($"the Maglev balancer failed: {r.Error} ({LastCrash()})");

    public void Check(RpcResult r)
    {
        if (!r.IsOk) throw new InvalidOperationException($"the Maglev balancer failed: {r.Error} ({LastCrash()})");
    }

    private string LastCrash() => Kernel.Domains.Select(d => d.LastCrash).LastOrDefault(c => c is not null)?.ToString() ?? "no crash recorded";

    public void Dispose() => DriverStacks.ShutDown(Kernel);
}

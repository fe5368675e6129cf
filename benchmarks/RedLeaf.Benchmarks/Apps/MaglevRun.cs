// benchmarks/RedLeaf.Benchmarks/Apps: one Maglev set-up on the ixgbe-like NIC model, as the apps suite and its
// tests use it: a kernel, the NIC with an unpaced generator over 1,048,576 flows (the paper's 1 M), its sink told
// the header each flow must arrive with (MaglevFlows, computed per frame), and the balancer loaded in one of the driver stacks'
// configurations (driver: linked with the NIC driver; domain: through the driver's proxy; shadow: through
// the net shadow).
using RedLeaf.Hardware.Devices;
using RedLeaf.Interfaces.Workloads;

namespace RedLeaf.Benchmarks.Apps;

public sealed class MaglevRun : NicAppRun
{
    public const int Flows = 1 << 20, PacketBytes = 64, RingEntries = 512, ReceiveBuffers = 1024;
    public const int DefaultBackends = 100;

    public MaglevRun(string config, int batch, int backends = DefaultBackends) : base("the Maglev balancer", PacketBytes, Flows, RingEntries)
    {
        Build(() =>
        {
            Expected = new MaglevFlows(Flows, PacketBytes, backends);
            Device.Sink.ExpectFlowHeaders(Expected);
            Balancer = Load(config, "workloads/maglev", "workloads/maglev_nic", "shadow/net").Get<IMaglevBench>();
            Check(Balancer.Setup(batch, ReceiveBuffers, backends));
        });
    }

    public MaglevFlows Expected { get; private set; } = null!;
    public IMaglevBench Balancer { get; private set; } = null!;

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
}

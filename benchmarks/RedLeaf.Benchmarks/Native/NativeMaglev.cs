// benchmarks/RedLeaf.Benchmarks/Native: the managed door to maglev.c, the C Maglev balancer and NIC driver of `bench
// apps`' rows maglev-c-b1 and maglev-c-b32 (what it does and does not do is in maglev.c's opening comment). On the
// machine and NIC NativeNicApp sets up, with the same unpaced generator as the domain rows (Apps/MaglevRun.cs) and
// the sink told each flow's header (Apps/MaglevFlows.cs); the Maglev table is built on the host and copied in. One
// call into C per chunk of frames.
using RedLeaf.Benchmarks.Apps;
using RedLeaf.Hardware.Devices;

namespace RedLeaf.Benchmarks.Native;

public sealed unsafe class NativeMaglev : NativeNicApp
{
    static readonly delegate* unmanaged<delegate* unmanaged<int, uint, void>, delegate* unmanaged<int, uint>, byte*, byte*, int, byte*, byte*, int, int*, int, IntPtr> s_new =
        (delegate* unmanaged<delegate* unmanaged<int, uint, void>, delegate* unmanaged<int, uint>, byte*, byte*, int, byte*, byte*, int, int*, int, IntPtr>)NativeBenchLibrary.Export("rl_maglev_new");
    static readonly delegate* unmanaged<IntPtr, int, int, int> s_setup = (delegate* unmanaged<IntPtr, int, int, int>)NativeBenchLibrary.Export("rl_maglev_setup");
    static readonly delegate* unmanaged<IntPtr, long, long> s_forward = (delegate* unmanaged<IntPtr, long, long>)NativeBenchLibrary.Export("rl_maglev_forward");
    static readonly delegate* unmanaged<IntPtr, long> s_connections = (delegate* unmanaged<IntPtr, long>)NativeBenchLibrary.Export("rl_maglev_connections");
    static readonly delegate* unmanaged<IntPtr, long> s_transmitted = (delegate* unmanaged<IntPtr, long>)NativeBenchLibrary.Export("rl_maglev_transmitted");
    static readonly delegate* unmanaged<IntPtr, void> s_free = (delegate* unmanaged<IntPtr, void>)NativeBenchLibrary.Export("rl_maglev_free");

    /// <summary>The C balancer over <paramref name="backends"/> backends with batches of <paramref name="batch"/>, on a fresh NIC.</summary>
    public NativeMaglev(int batch, int backends = MaglevRun.DefaultBackends) : base(batch, MaglevRun.ReceiveBuffers, "rl_maglev_new", s_free)
    {
        try
        {
            Attach(new TrafficGenerator(MaglevRun.PacketBytes, MaglevRun.Flows, lineRate: false), MaglevRun.RingEntries);
            Expected = new MaglevFlows(MaglevRun.Flows, MaglevRun.PacketBytes, backends);
            Device.Sink.ExpectFlowHeaders(Expected);
            var table = new int[Expected.Table.Size];
            for (int s = 0; s < table.Length; s++) table[s] = Expected.Table[s];
            using (Driving())
                fixed (int* t = table)
                    Adopt(s_new(WriteRegisterEntry, ReadRegisterEntry, Device.Rings[0].Base, Device.Rings[1].Base, Device.RingEntries,
                        Memory, Memory, Buffers, t, table.Length));
            using (Driving())
                if (s_setup(Live, batch, MaglevRun.ReceiveBuffers) != 0) throw new OutOfMemoryException($"rl_maglev_setup({batch}) failed: out of memory or buffers");
        }
        catch
        {
            Dispose();
            throw;
        }
        Batch = batch;
    }

    public int Batch { get; }
    public MaglevFlows Expected { get; } = null!;

    /// <summary>Forwards batches until at least <paramref name="packets"/> frames went through; returns how many (MaglevApp.Forward).</summary>
    public long Forward(long packets)
    {
        using (Driving()) return s_forward(Live, packets);
    }

    /// <summary>Connections the C connection table tracks.</summary>
    public long Connections => s_connections(Live);

    /// <summary>Frames the C driver counted as transmitted.</summary>
    public long Transmitted => s_transmitted(Live);
}

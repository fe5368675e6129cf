// benchmarks/RedLeaf.Benchmarks/Native: the managed door to maglev.c, the C Maglev balancer and NIC driver of `bench
// apps`' rows maglev-c-b1 and maglev-c-b32 (what it does and does not do is in maglev.c's opening comment). It sets
// up what the C code drives: a machine with no kernel on it, the same ixgbe-like NIC and unpaced generator as the
// domain rows (Apps/MaglevRun.cs), the sink told each flow's header (Apps/MaglevFlows.cs), the buffers in the
// machine's physical memory, and the NIC's registers reached from C through two function pointers back into
// the device. One call into C per chunk of frames.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RedLeaf.Benchmarks.Apps;
using RedLeaf.Hardware;
using RedLeaf.Hardware.Devices;

namespace RedLeaf.Benchmarks.Native;

public sealed unsafe class NativeMaglev : IDisposable
{
    static readonly delegate* unmanaged<delegate* unmanaged<int, uint, void>, delegate* unmanaged<int, uint>, byte*, byte*, int, byte*, byte*, int, int*, int, IntPtr> s_new =
        (delegate* unmanaged<delegate* unmanaged<int, uint, void>, delegate* unmanaged<int, uint>, byte*, byte*, int, byte*, byte*, int, int*, int, IntPtr>)NativeBenchLibrary.Export("rl_maglev_new");
    static readonly delegate* unmanaged<IntPtr, int, int, int> s_setup = (delegate* unmanaged<IntPtr, int, int, int>)NativeBenchLibrary.Export("rl_maglev_setup");
    static readonly delegate* unmanaged<IntPtr, long, long> s_forward = (delegate* unmanaged<IntPtr, long, long>)NativeBenchLibrary.Export("rl_maglev_forward");
    static readonly delegate* unmanaged<IntPtr, long> s_connections = (delegate* unmanaged<IntPtr, long>)NativeBenchLibrary.Export("rl_maglev_connections");
    static readonly delegate* unmanaged<IntPtr, long> s_transmitted = (delegate* unmanaged<IntPtr, long>)NativeBenchLibrary.Export("rl_maglev_transmitted");
    static readonly delegate* unmanaged<IntPtr, void> s_free = (delegate* unmanaged<IntPtr, void>)NativeBenchLibrary.Export("rl_maglev_free");

    [ThreadStatic] static IxgbeDevice? t_device; // the device the C code on this thread is driving

    private readonly Machine _machine;
    private IntPtr _maglev;

    /// <summary>The C balancer over <paramref name="backends"/> backends with batches of <paramref name="batch"/>, on a fresh NIC.</summary>
    public NativeMaglev(int batch, int backends = MaglevRun.DefaultBackends)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "a batch holds at least one frame");
        int buffers = batch + MaglevRun.ReceiveBuffers;
        _machine = new Machine(new MachineConfig { Cpus = 1, MemoryBytes = ((long)buffers * 2048 + (1 << 20)) & ~4095L });
        try
        {
            Device = _machine.Attach(new IxgbeDevice("nic0", new TrafficGenerator(MaglevRun.PacketBytes, MaglevRun.Flows, lineRate: false), MaglevRun.RingEntries));
            Expected = new MaglevFlows(MaglevRun.Flows, MaglevRun.PacketBytes, backends);
            Device.Sink.ExpectFlowHeaders(Expected);
            var table = new int[Expected.Table.Size];
            for (int s = 0; s < table.Length; s++) table[s] = Expected.Table[s];
            byte* memory = _machine.Memory.Base;
            using (Driving())
                fixed (int* t = table)
                    _maglev = s_new(&WriteRegister, &ReadRegister, Device.Rings[0].Base, Device.Rings[1].Base, Device.RingEntries,
                        memory, memory, buffers, t, table.Length);
            if (_maglev == IntPtr.Zero) throw new OutOfMemoryException("rl_maglev_new failed: out of memory");
            using (Driving())
                if (s_setup(_maglev, batch, MaglevRun.ReceiveBuffers) != 0) throw new OutOfMemoryException($"rl_maglev_setup({batch}) failed: out of memory or buffers");
        }
        catch
        {
            Dispose();
            throw;
        }
        Batch = batch;
    }

    public int Batch { get; }
    public IxgbeDevice Device { get; } = null!;
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

    IntPtr Live => _maglev != IntPtr.Zero ? _maglev : throw new ObjectDisposedException(nameof(NativeMaglev));

    private DeviceScope Driving()
    {
        t_device = Device;
        return default;
    }

    private readonly struct DeviceScope : IDisposable
    {
        public void Dispose() => t_device = null;
    }

    [UnmanagedCallersOnly]
    private static void WriteRegister(int offset, uint value) => t_device!.WriteRegister(offset, value);

    [UnmanagedCallersOnly]
    private static uint ReadRegister(int offset) => t_device!.ReadRegister(offset);

    public void Dispose()
    {
        if (_maglev != IntPtr.Zero) s_free(_maglev);
        _maglev = IntPtr.Zero;
        _machine.Dispose();
    }
}

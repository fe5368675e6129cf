// benchmarks/RedLeaf.Benchmarks/Native: the managed door to kv.c, the C key-value store and NIC driver of `bench
// apps`' rows kv-c-<mix>-b1 and -b32 (what it does and does not do is in kv.c's opening comment). It sets up what the
// C code drives as NativeMaglev does: a machine with no kernel on it, the same NIC and unpaced generator as the
// domain rows (Apps/KvRun.cs), the generator writing the same clients' requests (Apps/KvWorkload.cs), the sink told
// each client's reply header and checking every reply against the host's model (Apps/KvModel.cs), the buffers in
// the machine's physical memory, and the registers reached from C through two function pointers. One call into C
// per chunk of requests.
using System.Runtime.InteropServices;
using RedLeaf.Benchmarks.Apps;
using RedLeaf.Hardware;
using RedLeaf.Hardware.Devices;

namespace RedLeaf.Benchmarks.Native;

public sealed unsafe class NativeKv : IDisposable
{
    static readonly delegate* unmanaged<delegate* unmanaged<int, uint, void>, delegate* unmanaged<int, uint>, byte*, byte*, int, byte*, byte*, int, int, int, IntPtr> s_new =
        (delegate* unmanaged<delegate* unmanaged<int, uint, void>, delegate* unmanaged<int, uint>, byte*, byte*, int, byte*, byte*, int, int, int, IntPtr>)NativeBenchLibrary.Export("rl_kv_new");
    static readonly delegate* unmanaged<IntPtr, int, int, int> s_setup = (delegate* unmanaged<IntPtr, int, int, int>)NativeBenchLibrary.Export("rl_kv_setup");
    static readonly delegate* unmanaged<IntPtr, long, long> s_serve = (delegate* unmanaged<IntPtr, long, long>)NativeBenchLibrary.Export("rl_kv_serve");
    static readonly delegate* unmanaged<IntPtr, long> s_stored = (delegate* unmanaged<IntPtr, long>)NativeBenchLibrary.Export("rl_kv_stored");
    static readonly delegate* unmanaged<IntPtr, void> s_free = (delegate* unmanaged<IntPtr, void>)NativeBenchLibrary.Export("rl_kv_free");

    [ThreadStatic] static IxgbeDevice? t_device; // the device the C code on this thread is driving

    private readonly Machine _machine;
    private IntPtr _kv;

    /// <summary>The C store with batches of <paramref name="batch"/>, its clients sending <paramref name="getShare"/> GETs, on a fresh NIC.</summary>
    public NativeKv(int batch, double getShare)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "a batch holds at least one frame");
        int buffers = batch + KvRun.ReceiveBuffers;
        _machine = new Machine(new MachineConfig { Cpus = 1, MemoryBytes = ((long)buffers * 2048 + (1 << 20)) & ~4095L });
        try
        {
            Device = _machine.Attach(new IxgbeDevice("nic0", new TrafficGenerator(KvRun.PacketBytes, KvRun.Clients, lineRate: false), KvRun.RingEntries));
            Workload = new KvWorkload(KvRun.Keys, getShare);
            Model = new KvModel(Workload);
            Device.Generator.Requests = Workload;
            Device.Sink.ExpectHeaders(KvRun.ReplyHeaders());
            Device.Sink.ExpectReplies(Model);
            byte* memory = _machine.Memory.Base;
            using (Driving())
                _kv = s_new(&WriteRegister, &ReadRegister, Device.Rings[0].Base, Device.Rings[1].Base, Device.RingEntries,
                    memory, memory, buffers, KvRun.Partitions, KvRun.SlotsPerPartition);
            if (_kv == IntPtr.Zero) throw new OutOfMemoryException("rl_kv_new failed: out of memory");
            using (Driving())
                if (s_setup(_kv, batch, KvRun.ReceiveBuffers) != 0) throw new OutOfMemoryException($"rl_kv_setup({batch}) failed: out of memory or buffers");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IxgbeDevice Device { get; } = null!;
    public KvWorkload Workload { get; } = null!;
    public KvModel Model { get; } = null!;

    /// <summary>Serves batches until at least <paramref name="requests"/> requests went through; returns how many (KvApp.Serve).</summary>
    public long Serve(long requests)
    {
        using (Driving()) return s_serve(Live, requests);
    }

    /// <summary>Keys the C store holds.</summary>
    public long Stored => s_stored(Live);

    IntPtr Live => _kv != IntPtr.Zero ? _kv : throw new ObjectDisposedException(nameof(NativeKv));

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
        if (_kv != IntPtr.Zero) s_free(_kv);
        _kv = IntPtr.Zero;
        _machine.Dispose();
    }
}

// benchmarks/RedLeaf.Benchmarks/Native: the managed door to kv.c, the C key-value store and NIC driver of `bench
// apps`' rows kv-c-<mix>-b1 and -b32 (what it does and does not do is in kv.c's opening comment). On the machine
// and NIC NativeNicApp sets up, with the same unpaced generator as the domain rows (Apps/KvRun.cs), the generator
// writing the same clients' requests (Apps/KvWorkload.cs), the sink told each client's reply header and checking
// every reply against the host's model (Apps/KvModel.cs). One call into C per chunk of requests.
using RedLeaf.Benchmarks.Apps;
using RedLeaf.Hardware.Devices;

namespace RedLeaf.Benchmarks.Native;

public sealed unsafe class NativeKv : NativeNicApp
{
    static readonly delegate* unmanaged<delegate* unmanaged<int, uint, void>, delegate* unmanaged<int, uint>, byte*, byte*, int, byte*, byte*, int, int, int, IntPtr> s_new =
        (delegate* unmanaged<delegate* unmanaged<int, uint, void>, delegate* unmanaged<int, uint>, byte*, byte*, int, byte*, byte*, int, int, int, IntPtr>)NativeBenchLibrary.Export("rl_kv_new");
    static readonly delegate* unmanaged<IntPtr, int, int, int> s_setup = (delegate* unmanaged<IntPtr, int, int, int>)NativeBenchLibrary.Export("rl_kv_setup");
    static readonly delegate* unmanaged<IntPtr, long, long> s_serve = (delegate* unmanaged<IntPtr, long, long>)NativeBenchLibrary.Export("rl_kv_serve");
    static readonly delegate* unmanaged<IntPtr, long> s_stored = (delegate* unmanaged<IntPtr, long>)NativeBenchLibrary.Export("rl_kv_stored");
    static readonly delegate* unmanaged<IntPtr, void> s_free = (delegate* unmanaged<IntPtr, void>)NativeBenchLibrary.Export("rl_kv_free");

    /// <summary>The C store with batches of <paramref name="batch"/>, its clients sending <paramref name="getShare"/> GETs, on a fresh NIC.</summary>
    public NativeKv(int batch, double getShare) : base(batch, KvRun.ReceiveBuffers, "rl_kv_new", s_free)
    {
        try
        {
            Attach(new TrafficGenerator(KvRun.PacketBytes, KvRun.Clients, lineRate: false), KvRun.RingEntries);
            Workload = new KvWorkload(KvRun.Keys, getShare);
            Model = new KvModel(Workload);
            Device.Generator.Requests = Workload;
            Device.Sink.ExpectHeaders(KvRun.ReplyHeaders());
            Device.Sink.ExpectReplies(Model);
            using (Driving())
                Adopt(s_new(WriteRegisterEntry, ReadRegisterEntry, Device.Rings[0].Base, Device.Rings[1].Base, Device.RingEntries,
                    Memory, Memory, Buffers, KvRun.Partitions, KvRun.SlotsPerPartition));
            using (Driving())
                if (s_setup(Live, batch, KvRun.ReceiveBuffers) != 0) throw new OutOfMemoryException($"rl_kv_setup({batch}) failed: out of memory or buffers");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public KvWorkload Workload { get; } = null!;
    public KvModel Model { get; } = null!;

    /// <summary>Serves batches until at least <paramref name="requests"/> requests went through; returns how many (KvApp.Serve).</summary>
    public long Serve(long requests)
    {
        using (Driving()) return s_serve(Live, requests);
    }

    /// <summary>Keys the C store holds.</summary>
    public long Stored => s_stored(Live);
}

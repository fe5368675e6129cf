// benchmarks/RedLeaf.Benchmarks/Native: the managed door to nullnet.c, the C nullnet transmit loop of `bench net`'s rows
// nullnet-c-b1 and nullnet-c-b32 (what it does and does not do is in nullnet.c's opening comment). One call into C
// per chunk of millions of packets, so the managed-to-native crossing is no part of the per-packet cost.
namespace RedLeaf.Benchmarks.Native;

public sealed unsafe class NativeNullNet : IDisposable
{
    static readonly delegate* unmanaged<int, IntPtr> s_new = (delegate* unmanaged<int, IntPtr>)NativeBenchLibrary.Export("rl_nullnet_new");
    static readonly delegate* unmanaged<IntPtr, long, long> s_transmit = (delegate* unmanaged<IntPtr, long, long>)NativeBenchLibrary.Export("rl_nullnet_transmit");
    static readonly delegate* unmanaged<IntPtr, long> s_transmitted = (delegate* unmanaged<IntPtr, long>)NativeBenchLibrary.Export("rl_nullnet_transmitted");
    static readonly delegate* unmanaged<IntPtr, int> s_batchCount = (delegate* unmanaged<IntPtr, int>)NativeBenchLibrary.Export("rl_nullnet_batch_count");
    static readonly delegate* unmanaged<IntPtr, void> s_free = (delegate* unmanaged<IntPtr, void>)NativeBenchLibrary.Export("rl_nullnet_free");

    IntPtr _net;

    /// <summary>The application's batch of <paramref name="batch"/> 64-byte packets and a nullnet driver, in C.</summary>
    public NativeNullNet(int batch)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "a batch holds at least one packet");
        _net = s_new(batch);
        if (_net == IntPtr.Zero) throw new OutOfMemoryException($"rl_nullnet_new({batch}) failed: out of memory");
        Batch = batch;
    }

    public int Batch { get; }

    /// <summary>Submits batches until at least <paramref name="packets"/> went out; returns how many did (NetApp.Transmit).</summary>
    public long Transmit(long packets) => s_transmit(Live, packets);

    /// <summary>Packets the C driver counted as transmitted so far.</summary>
    public long Transmitted => s_transmitted(Live);

    /// <summary>Packets in the application's batch between calls (always the whole batch: nullnet completes every packet).</summary>
    public int BatchCount => s_batchCount(Live);

    IntPtr Live => _net != IntPtr.Zero ? _net : throw new ObjectDisposedException(nameof(NativeNullNet));

    public void Dispose()
    {
        if (_net != IntPtr.Zero) s_free(_net);
        _net = IntPtr.Zero;
    }
}

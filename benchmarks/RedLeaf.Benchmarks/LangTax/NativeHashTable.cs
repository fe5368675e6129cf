// benchmarks/RedLeaf.Benchmarks/LangTax: Figure 5's hash table in C (Native/langtax.c, gcc at build time), behind the suite's
// interface. Each timed pass is one call into C; the loop and its rdtsc reads are in C, so the
// managed-to-native crossing is outside the timed region.
using RedLeaf.Benchmarks.Native;

namespace RedLeaf.Benchmarks.LangTax;

public sealed unsafe class NativeHashTable : IHashTableBench
{
    static readonly delegate* unmanaged<int, IntPtr> s_new = (delegate* unmanaged<int, IntPtr>)NativeBenchLibrary.Export("rl_ht_new");
    static readonly delegate* unmanaged<IntPtr, void> s_free = (delegate* unmanaged<IntPtr, void>)NativeBenchLibrary.Export("rl_ht_free");
    static readonly delegate* unmanaged<IntPtr, ulong> s_count = (delegate* unmanaged<IntPtr, ulong>)NativeBenchLibrary.Export("rl_ht_count");
    static readonly delegate* unmanaged<IntPtr, ulong*, long, ulong, long*, ulong> s_timeSet =
        (delegate* unmanaged<IntPtr, ulong*, long, ulong, long*, ulong>)NativeBenchLibrary.Export("rl_ht_time_set");
    static readonly delegate* unmanaged<IntPtr, ulong*, long, ulong*, long*, ulong> s_timeGet =
        (delegate* unmanaged<IntPtr, ulong*, long, ulong*, long*, ulong>)NativeBenchLibrary.Export("rl_ht_time_get");

    IntPtr _table;

    public NativeHashTable(int log2Slots)
    {
        _table = s_new(log2Slots);
        if (_table == IntPtr.Zero) throw new OutOfMemoryException($"rl_ht_new({log2Slots}) failed: out of memory or size out of range");
    }

    public string Kind => "c";
    public long Count => (long)s_count(Live);

    IntPtr Live => _table != IntPtr.Zero ? _table : throw new ObjectDisposedException(nameof(NativeHashTable));

    public ulong TimeSets(ulong[] keys, ulong salt, out long failures)
    {
        long bad;
        ulong ticks;
        fixed (ulong* k = keys) ticks = s_timeSet(Live, k, keys.Length, salt, &bad);
        failures = bad;
        return ticks;
    }

    public ulong TimeGets(ulong[] keys, out ulong sum, out long misses)
    {
        ulong total;
        long missed;
        ulong ticks;
        fixed (ulong* k = keys) ticks = s_timeGet(Live, k, keys.Length, &total, &missed);
        sum = total;
        misses = missed;
        return ticks;
    }

    public void Dispose()
    {
        if (_table != IntPtr.Zero) s_free(_table);
        _table = IntPtr.Zero;
    }
}

// domains/workloads/kv: the store's table, MICA-like: partitioned (MICA gives each core a partition; here one
// core serves them all, the partition picked by the key hash's top bits, the slot by its low bits) and open
// addressing (linear probing inside the partition, so one partition filling up never spills into another).
// Keys, value lengths and 64-byte value slots sit in three arrays allocated once: a GET or SET allocates
// nothing. Keys are never deleted (no DELETE op), so probing needs no tombstones. Shared with the host's tests.
namespace Domains.Workloads.Kv;

public sealed class KvTable
{
    private readonly ulong[] _keys;
    private readonly byte[] _lengths; // 0: empty; else the value's length + 1
    private readonly byte[] _values;  // slot s at [s * 64, s * 64 + 64), zero past the value's length
    private readonly int _partitionShift, _slotMask;

    /// <summary>A table of <paramref name="partitions"/> partitions of <paramref name="slotsPerPartition"/> slots (both powers of two).</summary>
    public KvTable(int partitions, int slotsPerPartition)
    {
        if (partitions < 1 || (partitions & (partitions - 1)) != 0 || partitions > 1024)
            throw new ArgumentOutOfRangeException(nameof(partitions), partitions, "partitions: a power of two, 1..1024");
        if (slotsPerPartition < 2 || (slotsPerPartition & (slotsPerPartition - 1)) != 0 || (long)partitions * slotsPerPartition > 1 << 22)
            throw new ArgumentOutOfRangeException(nameof(slotsPerPartition), slotsPerPartition, $"slots per partition: a power of two, at least 2, at most {(1 << 22) / partitions} with {partitions} partitions");
        Partitions = partitions;
        SlotsPerPartition = slotsPerPartition;
        int bits = 0;
        while (1 << bits < partitions) bits++;
        _partitionShift = 64 - bits;
        _slotMask = slotsPerPartition - 1;
        _keys = new ulong[partitions * slotsPerPartition];
        _lengths = new byte[partitions * slotsPerPartition];
        _values = new byte[partitions * slotsPerPartition * KvFrame.MaxValueBytes];
    }

    public int Partitions { get; }
    public int SlotsPerPartition { get; }
    /// <summary>Keys stored.</summary>
    public long Count { get; private set; }

    /// <summary>Stores <paramref name="value"/> (at most 64 bytes) under <paramref name="key"/>, over any value it had. False if the
    /// key is new and its partition is full (nothing stored).</summary>
    public bool Set(ulong key, ReadOnlySpan<byte> value)
    {
        if (value.Length > KvFrame.MaxValueBytes) throw new ArgumentOutOfRangeException(nameof(value), value.Length, $"a value is at most {KvFrame.MaxValueBytes} bytes");
        int slot = Find(key, out bool found);
        if (slot < 0) return false;
        if (!found) { _keys[slot] = key; Count++; }
        _lengths[slot] = (byte)(value.Length + 1);
        var v = _values.AsSpan(slot * KvFrame.MaxValueBytes, KvFrame.MaxValueBytes);
        value.CopyTo(v);
        v[value.Length..].Clear();
        return true;
    }

    /// <summary>Copies <paramref name="key"/>'s value into <paramref name="value"/> (64 bytes, zero past the value's length);
    /// returns its length, or -1 if the key was never set (<paramref name="value"/> untouched).</summary>
    public int Get(ulong key, Span<byte> value)
    {
        int slot = Find(key, out bool found);
        if (!found) return -1;
        _values.AsSpan(slot * KvFrame.MaxValueBytes, KvFrame.MaxValueBytes).CopyTo(value);
        return _lengths[slot] - 1;
    }

    /// <summary>The key's slot (found), or the empty slot it would take (not found), or -1: not found and its partition full.</summary>
    private int Find(ulong key, out bool found)
    {
        ulong h = KvFrame.Hash(key);
        int start = _partitionShift == 64 ? 0 : (int)(h >> _partitionShift) * SlotsPerPartition;
        int i = (int)h & _slotMask;
        for (int probe = 0; probe <= _slotMask; probe++)
        {
            int slot = start + i;
            if (_lengths[slot] == 0) { found = false; return slot; }
            if (_keys[slot] == key) { found = true; return slot; }
            i = (i + 1) & _slotMask;
        }
        found = false;
        return -1;
    }
}

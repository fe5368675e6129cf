// benchmarks/RedLeaf.Benchmarks/LangTax: Figure 5's hash table in C-style C#: one flat array of 16-byte structs, key 0 for an
// empty slot, FNV-1a written out over the key's 8 bytes, linear probing with a power-of-two mask, no
// allocation after construction, no interfaces or delegates on the hot path. It is the same
// algorithm, line for line, as Native/langtax.c; the only thing C does not do is the array bounds
// check on slot access. TSlots says how a slot is reached: BoundsCheckedSlots (the `cstyle` rows: the
// check stays, no unsafe code, the language tax as a careful C# programmer would pay it) or
// UncheckedSlots (the `unchecked` rows: the same code without the check, so the pair measures the bounds
// check on its own).
// Layout matters as much as code here. A new Slot[] has its data 8 bytes off a 16-byte boundary
// (array header), so one slot in four straddles two cache lines and a probe there misses twice;
// malloc in C returns 16-byte-aligned memory and never does. So the slots live in a ulong[] on the
// pinned-object heap (it never moves), viewed as Slot from the first 64-byte-aligned element on.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RedLeaf.Hardware;

namespace RedLeaf.Benchmarks.LangTax;

public sealed class CStyleHashTable<TSlots> : IHashTableBench
    where TSlots : struct, ISlotIndexer
{
    struct Slot
    {
        public ulong Key;
        public ulong Value;
    }

    const int CacheLine = 64;

    readonly ulong[] _cells; // pinned; 2 per slot, plus room to align the first slot
    readonly int _first;     // index in _cells of slot 0's key, 64-byte aligned
    readonly int _slotCount;
    readonly ulong _mask;
    long _count;

    public CStyleHashTable(int log2Slots)
    {
        _slotCount = 1 << log2Slots;
        _cells = GC.AllocateArray<ulong>(2 * _slotCount + CacheLine / sizeof(ulong), pinned: true);
        _first = AlignedIndex(_cells);
        _mask = (ulong)_slotCount - 1;
    }

    /// <summary>Byte offset of slot 0 from a cache-line boundary (0 once aligned).</summary>
    public int SlotMisalignment => (int)(AddressOf(_cells, _first) % CacheLine);

    Span<Slot> Slots => MemoryMarshal.Cast<ulong, Slot>(_cells.AsSpan(_first, 2 * _slotCount));

    static int AlignedIndex(ulong[] pinned)
    {
        nuint start = AddressOf(pinned, 0);
        int skip = (int)((CacheLine - start % CacheLine) % CacheLine);
        return skip / sizeof(ulong);
    }

    static unsafe nuint AddressOf(ulong[] pinned, int index)
    {
        fixed (ulong* p = &pinned[index]) return (nuint)p;
    }

    public string Kind => TSlots.Kind;
    public long Count => _count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ulong Fnv1a(ulong key)
    {
        const ulong prime = 0x100000001b3;
        ulong h = 0xcbf29ce484222325;
        h = (h ^ (key & 0xff)) * prime;
        h = (h ^ ((key >> 8) & 0xff)) * prime;
        h = (h ^ ((key >> 16) & 0xff)) * prime;
        h = (h ^ ((key >> 24) & 0xff)) * prime;
        h = (h ^ ((key >> 32) & 0xff)) * prime;
        h = (h ^ ((key >> 40) & 0xff)) * prime;
        h = (h ^ ((key >> 48) & 0xff)) * prime;
        h = (h ^ (key >> 56)) * prime;
        return h;
    }

    /// <summary>Inserts or updates: 1 if the key was new, 0 if updated, -1 if key is 0 or the table is full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Set(ulong key, ulong value) => Set(Slots, _mask, key, value, ref _count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int Set(Span<Slot> slots, ulong mask, ulong key, ulong value, ref long count)
    {
        if (key == 0) return -1;
        ulong i = Fnv1a(key) & mask;
        for (ulong n = 0; n <= mask; n++, i = (i + 1) & mask)
        {
            ref Slot s = ref TSlots.At(slots, i);
            if (s.Key == key) { s.Value = value; return 0; }
            if (s.Key == 0) { s.Key = key; s.Value = value; count++; return 1; }
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(ulong key, out ulong value) => TryGet(Slots, _mask, key, out value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool TryGet(Span<Slot> slots, ulong mask, ulong key, out ulong value)
    {
        ulong i = Fnv1a(key) & mask;
        for (ulong n = 0; n <= mask; n++, i = (i + 1) & mask)
        {
            ref Slot s = ref TSlots.At(slots, i);
            if (s.Key == key) { value = s.Value; return true; }
            if (s.Key == 0) break;
        }
        value = 0;
        return false;
    }

    public ulong TimeSets(ulong[] keys, ulong salt, out long failures)
    {
        long bad = 0;
        Span<Slot> slots = Slots;
        ulong mask = _mask;
        ulong t0 = Tsc.ReadFenced();
        for (int i = 0; i < keys.Length; i++)
            if (Set(slots, mask, keys[i], keys[i] ^ salt, ref _count) < 0) bad++;
        ulong t1 = Tsc.ReadFenced();
        failures = bad;
        return t1 - t0;
    }

    public ulong TimeGets(ulong[] keys, out ulong sum, out long misses)
    {
        ulong total = 0;
        long missed = 0;
        Span<Slot> slots = Slots;
        ulong mask = _mask;
        ulong t0 = Tsc.ReadFenced();
        for (int i = 0; i < keys.Length; i++)
        {
            if (TryGet(slots, mask, keys[i], out ulong v)) total += v;
            else missed++;
        }
        ulong t1 = Tsc.ReadFenced();
        sum = total;
        misses = missed;
        return t1 - t0;
    }

    public void Dispose() { }
}

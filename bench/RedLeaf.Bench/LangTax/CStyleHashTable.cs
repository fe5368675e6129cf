// bench/LangTax: Figure 5's hash table in C-style C#: one flat array of 16-byte structs, key 0 for an
// empty slot, FNV-1a written out over the key's 8 bytes, linear probing with a power-of-two mask, no
// allocation after construction, no interfaces or delegates on the hot path. It is the same
// algorithm, line for line, as Native/langtax.c; the only thing C does not do is the array bounds
// check on slot access, which stays (no unsafe code here): the language tax as a careful C#
// programmer would pay it.
using System.Runtime.CompilerServices;
using RedLeaf.Hardware;

namespace RedLeaf.Bench.LangTax;

public sealed class CStyleHashTable : IHashTableBench
{
    struct Slot
    {
        public ulong Key;
        public ulong Value;
    }

    readonly Slot[] _slots;
    readonly ulong _mask;
    long _count;

    public CStyleHashTable(int log2Slots)
    {
        _slots = new Slot[1 << log2Slots];
        _mask = (ulong)_slots.Length - 1;
    }

    public string Kind => "cstyle";
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
    public int Set(ulong key, ulong value)
    {
        if (key == 0) return -1;
        Slot[] slots = _slots;
        ulong mask = _mask;
        ulong i = Fnv1a(key) & mask;
        for (ulong n = 0; n <= mask; n++, i = (i + 1) & mask)
        {
            ref Slot s = ref slots[(int)i];
            if (s.Key == key) { s.Value = value; return 0; }
            if (s.Key == 0) { s.Key = key; s.Value = value; _count++; return 1; }
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(ulong key, out ulong value)
    {
        Slot[] slots = _slots;
        ulong mask = _mask;
        ulong i = Fnv1a(key) & mask;
        for (ulong n = 0; n <= mask; n++, i = (i + 1) & mask)
        {
            ref Slot s = ref slots[(int)i];
            if (s.Key == key) { value = s.Value; return true; }
            if (s.Key == 0) break;
        }
        value = 0;
        return false;
    }

    public ulong TimeSets(ulong[] keys, ulong salt, out long failures)
    {
        long bad = 0;
        ulong t0 = Tsc.ReadFenced();
        for (int i = 0; i < keys.Length; i++)
            if (Set(keys[i], keys[i] ^ salt) < 0) bad++;
        ulong t1 = Tsc.ReadFenced();
        failures = bad;
        return t1 - t0;
    }

    public ulong TimeGets(ulong[] keys, out ulong sum, out long misses)
    {
        ulong total = 0;
        long missed = 0;
        ulong t0 = Tsc.ReadFenced();
        for (int i = 0; i < keys.Length; i++)
        {
            if (TryGet(keys[i], out ulong v)) total += v;
            else missed++;
        }
        ulong t1 = Tsc.ReadFenced();
        sum = total;
        misses = missed;
        return t1 - t0;
    }

    public void Dispose() { }
}

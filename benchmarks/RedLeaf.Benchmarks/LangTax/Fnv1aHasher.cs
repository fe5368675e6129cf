// benchmarks/RedLeaf.Benchmarks/LangTax: FNV-1a over a 64-bit key's 8 bytes, little-endian, the hash of Figure 5,
// as IdiomaticHashTable's hasher. Written as the readable loop over the key's bytes (the C baseline's
// loop, too), with no byte array: BitConverter.GetBytes would allocate 8 bytes per hash. Marked
// AggressiveInlining as .NET's own libraries mark their small hot helpers: the JIT does not inline a
// method containing a loop on its own (checked in the disassembly: without it, a call per hash).
using System.Runtime.CompilerServices;

namespace RedLeaf.Benchmarks.LangTax;

public readonly struct Fnv1aHasher : IKeyHasher<ulong>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Hash(ulong key) => Fnv1a(key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Fnv1a(ulong key)
    {
        ulong hash = 0xcbf29ce484222325;
        for (int shift = 0; shift < 64; shift += 8)
        {
            hash ^= (key >> shift) & 0xff;
            hash *= 0x100000001b3;
        }
        return hash;
    }
}

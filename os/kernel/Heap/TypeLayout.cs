// os/kernel/Heap: where the RRefs (children) sit inside an exchangeable type, by type id, found once
// per type (os/abi/Runtime/ChildOffsets reads the runtime's real layout). Moves, drops, borrows and
// snapshots walk these offsets, so an object holding no RRefs costs nothing extra.
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Os.Heap;

internal sealed class TypeLayout
{
    private static readonly ConcurrentDictionary<int, TypeLayout> Cache = new();

    private TypeLayout(Type type, int[] childOffsets)
    {
        Type = type;
        ChildOffsets = childOffsets;
        Name = TypeRegistry.Pretty(type);
    }

    public Type Type { get; }
    public string Name { get; }
    /// <summary>Byte offsets, within one element, of every RRef/RRefArray/RRefDeque handle.</summary>
    public int[] ChildOffsets { get; }
    public bool HasChildren => ChildOffsets.Length > 0;

    // Walks look a layout up for every child they visit (a batch of 32 buffers: 64 lookups per
    // call), so the hot path is one bounds-checked array read; the dictionary builds each layout once.
    private static TypeLayout?[] s_byId = new TypeLayout?[64];
    private static readonly object Grow = new();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TypeLayout Of(int typeId)
    {
        var table = Volatile.Read(ref s_byId);
        return (uint)typeId < (uint)table.Length && table[typeId] is { } known ? known : Publish(typeId);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TypeLayout Publish(int typeId)
    {
        var layout = Build(typeId);
        if (typeId < 0) return layout;
        lock (Grow)
        {
            var table = s_byId;
            if (typeId >= table.Length)
            {
                var bigger = new TypeLayout?[Math.Max(table.Length * 2, typeId + 1)];
                Array.Copy(table, bigger, table.Length);
                table = bigger;
            }
            table[typeId] = layout;
            Volatile.Write(ref s_byId, table);
        }
        return layout;
    }

    private static TypeLayout Build(int typeId) => Cache.GetOrAdd(typeId, id =>
    {
        var type = TypeRegistry.TypeOf(id);
        return new TypeLayout(type, RedLeaf.Abi.Runtime.ChildOffsets.Of(type));
    });

}

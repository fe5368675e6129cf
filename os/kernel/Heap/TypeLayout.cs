// os/kernel/Heap: where the RRefs (children) sit inside an exchangeable type, found once per type.
// Moves, drops, borrows and snapshots walk these offsets, so an object holding no RRefs costs
// nothing extra. Offsets come from the runtime's real layout (an ldflda per field in a tiny dynamic
// method), not from guessing alignment rules.
using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
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
        var offsets = new List<int>();
        if (IsHandleType(type)) offsets.Add(0); // an array or deque of RRefs: each element is a child
        else Collect(type, 0, offsets);
        return new TypeLayout(type, offsets.ToArray());
    });

    internal static bool IsHandleType(Type t) => t.IsGenericType &&
        (t.GetGenericTypeDefinition() == typeof(RRef<>) || t.GetGenericTypeDefinition() == typeof(RRefArray<>) ||
         t.GetGenericTypeDefinition() == typeof(RRefDeque<>));

    private static void Collect(Type type, int baseOffset, List<int> offsets)
    {
        if (!Walkable(type)) return;
        var inline = type.GetCustomAttribute<InlineArrayAttribute>();
        foreach (var f in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            bool handle = IsHandleType(f.FieldType);
            if (!handle && (!f.FieldType.IsValueType || !Walkable(f.FieldType))) continue;
            int offset = baseOffset + OffsetOf(f);
            int copies = inline?.Length ?? 1;
            int stride = inline is null ? 0 : SizeOf(f.FieldType);
            for (int i = 0; i < copies; i++)
            {
                int before = offsets.Count;
                if (handle) offsets.Add(offset + i * stride);
                else Collect(f.FieldType, offset + i * stride, offsets);
                if (offsets.Count == before) break; // an element with no handles: the rest have none either
            }
        }
    }

    private static bool Walkable(Type t) => !(t.IsPrimitive || t.IsEnum || t.IsPointer);

    private delegate int OffsetProbe(ref byte start);

    /// <summary>The field's byte offset in its declaring struct, as the runtime laid it out.</summary>
    private static int OffsetOf(FieldInfo field)
    {
        var m = new DynamicMethod("offset_" + field.Name, typeof(int), new[] { typeof(byte).MakeByRefType() }, typeof(TypeLayout).Module, true);
        var il = m.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldflda, field);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Conv_I4);
        il.Emit(OpCodes.Ret);
        var probe = (OffsetProbe)m.CreateDelegate(typeof(OffsetProbe));
        byte b = 0;
        return probe(ref b);
    }

    private static int SizeOf(Type t)
    {
        var m = new DynamicMethod("sizeof_" + t.Name, typeof(int), Type.EmptyTypes, typeof(TypeLayout).Module, true);
        var il = m.GetILGenerator();
        il.Emit(OpCodes.Sizeof, t);
        il.Emit(OpCodes.Ret);
        return (int)m.Invoke(null, null)!;
    }
}

// os/abi/Runtime: where the RRefs (children) sit inside an exchangeable type, found once per type.
// The kernel's walks (os/kernel/Heap/TypeLayout) and RRefDeque's push and pop both read these
// offsets. They come from the runtime's real layout (an ldflda per field in a tiny dynamic method),
// not from guessing alignment rules.
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace RedLeaf.Abi.Runtime;

internal static class ChildOffsets
{
    /// <summary>Byte offsets, within one element of <paramref name="type"/>, of every RRef/RRefArray/RRefDeque handle.</summary>
    internal static int[] Of(Type type)
    {
        var offsets = new List<int>();
        if (IsHandleType(type)) offsets.Add(0); // an array or deque of RRefs: each element is a child
        else Collect(type, 0, offsets);
        return offsets.ToArray();
    }

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
        var m = new DynamicMethod("offset_" + field.Name, typeof(int), new[] { typeof(byte).MakeByRefType() }, typeof(ChildOffsets).Module, true);
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
        var m = new DynamicMethod("sizeof_" + t.Name, typeof(int), Type.EmptyTypes, typeof(ChildOffsets).Module, true);
        var il = m.GetILGenerator();
        il.Emit(OpCodes.Sizeof, t);
        il.Emit(OpCodes.Ret);
        return (int)m.Invoke(null, null)!;
    }
}

/// <summary>The child offsets of one element type, fixed after first use (a constant to the JIT's tiered code).</summary>
internal static class ChildOffsets<T> where T : unmanaged
{
    internal static readonly int[] Value = ChildOffsets.Of(typeof(T));
}

// os/abi/Ownership: RRefArray<T>, a fixed-length array on the shared heap (packet payloads, disk
// blocks, path names). Elements are checked one by one, or copied in bulk to and from spans.
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public readonly unsafe struct RRefArray<T> : IEquatable<RRefArray<T>> where T : unmanaged
{
    internal readonly ulong Handle;

    internal RRefArray(ulong handle) => Handle = handle;

    /// <summary>Allocates a zeroed array of <paramref name="length"/> elements owned by the running domain.</summary>
    public static RRefArray<T> New(int length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "length must not be negative");
        return new RRefArray<T>(HeapAccess.Allocate(TypeIds<T>.Id, sizeof(T), length, HeapKind.Array));
    }

    /// <summary>Allocates an array holding a copy of <paramref name="items"/>.</summary>
    public static RRefArray<T> From(ReadOnlySpan<T> items)
    {
        var a = New(items.Length);
        a.CopyFrom(items);
        return a;
    }

    public int Length => HeapAccess.ForRead(Handle, TypeIds<T>.Id, HeapKind.Array)->Length;

    public T this[int index]
    {
        get
        {
            var e = HeapAccess.ForRead(Handle, TypeIds<T>.Id, HeapKind.Array);
            if ((uint)index >= (uint)e->Length) throw new IndexOutOfRangeException($"index {index} outside RRefArray of {e->Length}");
            return ((T*)e->Data)[index];
        }
        set
        {
            var e = HeapAccess.ForWrite(Handle, TypeIds<T>.Id, HeapKind.Array);
            if ((uint)index >= (uint)e->Length) throw new IndexOutOfRangeException($"index {index} outside RRefArray of {e->Length}");
            ((T*)e->Data)[index] = value;
        }
    }

    /// <summary>Copies elements starting at <paramref name="start"/> into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<T> destination, int start = 0)
    {
        var e = HeapAccess.ForRead(Handle, TypeIds<T>.Id, HeapKind.Array);
        new ReadOnlySpan<T>(e->Data, e->Length).Slice(start, destination.Length).CopyTo(destination);
    }

    /// <summary>Copies <paramref name="source"/> into the array starting at <paramref name="start"/>.</summary>
    public void CopyFrom(ReadOnlySpan<T> source, int start = 0)
    {
        var e = HeapAccess.ForWrite(Handle, TypeIds<T>.Id, HeapKind.Array);
        source.CopyTo(new Span<T>(e->Data, e->Length).Slice(start, source.Length));
    }

    public bool IsNull => Handle == 0;
    public void Drop() => HeapAccess.Drop(Handle);

    public bool Equals(RRefArray<T> other) => Handle == other.Handle;
    public override bool Equals(object? obj) => obj is RRefArray<T> r && Equals(r);
    public override int GetHashCode() => Handle.GetHashCode();
    public override string ToString() => $"RRefArray<{typeof(T).Name}>#{HeapAccess.IndexOf(Handle)}";
}

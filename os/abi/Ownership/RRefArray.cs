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

    public int Length
    {
        get
        {
            int n = HeapAccess.ForRead(Handle, TypeIds<T>.Id, HeapKind.Array)->Length;
            HeapAccess.Done();
            return n;
        }
    }

    public T this[int index]
    {
        get
        {
            var e = HeapAccess.ForRead(Handle, TypeIds<T>.Id, HeapKind.Array);
            if ((uint)index >= (uint)e->Length) OutOfRange(index, e->Length);
            T v = ((T*)e->Data)[index];
            HeapAccess.Done();
            return v;
        }
        set
        {
            var e = HeapAccess.ForWrite(Handle, TypeIds<T>.Id, HeapKind.Array);
            if ((uint)index >= (uint)e->Length) OutOfRange(index, e->Length);
            ((T*)e->Data)[index] = value;
            HeapAccess.Done();
        }
    }

    /// <summary>Copies elements starting at <paramref name="start"/> into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<T> destination, int start = 0)
    {
        var e = HeapAccess.ForRead(Handle, TypeIds<T>.Id, HeapKind.Array);
        if ((uint)start > (uint)e->Length || destination.Length > e->Length - start) OutOfRange(start, destination.Length, e->Length);
        new ReadOnlySpan<T>(e->Data, e->Length).Slice(start, destination.Length).CopyTo(destination);
        HeapAccess.Done();
    }

    /// <summary>Copies <paramref name="source"/> into the array starting at <paramref name="start"/>.</summary>
    public void CopyFrom(ReadOnlySpan<T> source, int start = 0)
    {
        var e = HeapAccess.ForWrite(Handle, TypeIds<T>.Id, HeapKind.Array);
        if ((uint)start > (uint)e->Length || source.Length > e->Length - start) OutOfRange(start, source.Length, e->Length);
        source.CopyTo(new Span<T>(e->Data, e->Length).Slice(start, source.Length));
        HeapAccess.Done();
    }

    // Thrown after the access announcement is cleared (an exception must not leave it standing).
    private static void OutOfRange(int index, int length)
    {
        HeapAccess.Done();
        throw new IndexOutOfRangeException($"index {index} outside RRefArray of {length}");
    }

    private static void OutOfRange(int start, int count, int length)
    {
        HeapAccess.Done();
        throw new ArgumentOutOfRangeException(nameof(start), start, $"{count} elements from {start} do not fit in RRefArray of {length}");
    }

    public bool IsNull => Handle == 0;
    public void Drop() => HeapAccess.Drop(Handle);

    public bool Equals(RRefArray<T> other) => Handle == other.Handle;
    public override bool Equals(object? obj) => obj is RRefArray<T> r && Equals(r);
    public override int GetHashCode() => Handle.GetHashCode();
    public override string ToString() => $"RRefArray<{typeof(T).Name}>#{HeapAccess.IndexOf(Handle)}";
}

// os/abi/Ownership: RRefDeque<T>, a fixed-capacity ring on the shared heap, used to pass batches
// (packets, block requests) across a domain boundary in one call, as RedLeaf's drivers do.
// Layout: a 16-byte header (head, count) followed by Capacity elements.
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public readonly unsafe struct RRefDeque<T> : IEquatable<RRefDeque<T>> where T : unmanaged
{
    internal const int HeaderBytes = 16;
    internal readonly ulong Handle;

    internal RRefDeque(ulong handle) => Handle = handle;

    /// <summary>Allocates an empty deque that holds at most <paramref name="capacity"/> elements.</summary>
    public static RRefDeque<T> New(int capacity)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be positive");
        return new RRefDeque<T>(HeapAccess.Allocate(TypeIds<T>.Id, sizeof(T), capacity, HeapKind.Deque));
    }

    public int Capacity => HeapAccess.ForRead(Handle, TypeIds<T>.Id, HeapKind.Deque)->Length;
    public int Count => ((int*)HeapAccess.ForRead(Handle, TypeIds<T>.Id, HeapKind.Deque)->Data)[1];

    /// <summary>Appends at the back; false when full.</summary>
    public bool TryPushBack(in T item)
    {
        var e = HeapAccess.ForWrite(Handle, TypeIds<T>.Id, HeapKind.Deque);
        int* h = (int*)e->Data;
        if (h[1] == e->Length) return false;
        int slot = h[0] + h[1];
        if (slot >= e->Length) slot -= e->Length;
        ((T*)(e->Data + HeaderBytes))[slot] = item;
        h[1]++;
        return true;
    }

    /// <summary>Removes from the front; false when empty.</summary>
    public bool TryPopFront(out T item)
    {
        var e = HeapAccess.ForWrite(Handle, TypeIds<T>.Id, HeapKind.Deque);
        int* h = (int*)e->Data;
        if (h[1] == 0) { item = default; return false; }
        T* slot = (T*)(e->Data + HeaderBytes) + h[0];
        item = *slot;
        *slot = default;
        h[0] = h[0] + 1 == e->Length ? 0 : h[0] + 1;
        h[1]--;
        return true;
    }

    /// <summary>The element <paramref name="index"/> places from the front (read: a borrow is enough).</summary>
    public T this[int index]
    {
        get
        {
            var e = HeapAccess.ForRead(Handle, TypeIds<T>.Id, HeapKind.Deque);
            int* h = (int*)e->Data;
            if ((uint)index >= (uint)h[1]) throw new IndexOutOfRangeException($"index {index} outside RRefDeque holding {h[1]}");
            int slot = h[0] + index;
            if (slot >= e->Length) slot -= e->Length;
            return ((T*)(e->Data + HeaderBytes))[slot];
        }
    }

    public bool IsNull => Handle == 0;
    public void Drop() => HeapAccess.Drop(Handle);

    public bool Equals(RRefDeque<T> other) => Handle == other.Handle;
    public override bool Equals(object? obj) => obj is RRefDeque<T> r && Equals(r);
    public override int GetHashCode() => Handle.GetHashCode();
    public override string ToString() => $"RRefDeque<{typeof(T).Name}>#{HeapAccess.IndexOf(Handle)}";
}

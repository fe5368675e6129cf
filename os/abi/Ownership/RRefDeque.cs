// os/abi/Ownership: RRefDeque<T>, a fixed-capacity ring on the shared heap, used to pass batches
// (packets, block requests) across a domain boundary in one call, as RedLeaf's drivers do.
// Layout: a 16-byte header (head, count) followed by Capacity elements.
using System.Runtime.CompilerServices;
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

    public int Capacity
    {
        get
        {
            int n = HeapAccess.ForRead(Handle, TypeIds<T>.Id, HeapKind.Deque)->Length;
            HeapAccess.Done();
            return n;
        }
    }

    public int Count
    {
        get
        {
            int n = ((int*)HeapAccess.ForRead(Handle, TypeIds<T>.Id, HeapKind.Deque)->Data)[1];
            HeapAccess.Done();
            return n;
        }
    }

    /// <summary>Appends at the back; false when full. The RRefs in <paramref name="item"/> go with it: they must be
    /// the running domain's own, and from now on they move, lend and drop with the deque (a leaf is owned through
    /// the deque until popped; using a copy of its handle elsewhere meanwhile is checked against the deque's owner).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryPushBack(in T item)
    {
        var d = CurrentDomain.Require();
        var e = HeapAccess.ForWrite(d, Handle, TypeIds<T>.Id, HeapKind.Deque);
        int* h = (int*)e->Data;
        // Front and count in range, whatever two threads pushing or popping at once did to them: no element
        // is ever read or written outside the deque's block.
        if ((uint)h[0] >= (uint)e->Length || (uint)h[1] > (uint)e->Length) HeapAccess.ThrowTornDeque(e);
        if (h[1] == e->Length)
        {
            HeapAccess.Done();
            return false;
        }
        int slot = h[0] + h[1];
        if (slot >= e->Length) slot -= e->Length;
        T copy = item; // checked and stored as one value (a refused push leaves the deque as it was)
        if (e->ChildAt > 0) HeapAccess.ContainOne(d, e, *(ulong*)((byte*)&copy + e->ChildAt - 1));
        else if (e->ChildAt < 0) HeapAccess.Contain(d, e, (byte*)&copy, ChildOffsets<T>.Value);
        ((T*)(e->Data + HeaderBytes))[slot] = copy;
        h[1]++;
        HeapAccess.Done();
        return true;
    }

    /// <summary>Removes from the front; false when empty. The RRefs in the element are the running domain's own again.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryPopFront(out T item)
    {
        var d = CurrentDomain.Require();
        var e = HeapAccess.ForWrite(d, Handle, TypeIds<T>.Id, HeapKind.Deque);
        int* h = (int*)e->Data;
        if ((uint)h[0] >= (uint)e->Length || (uint)h[1] > (uint)e->Length) HeapAccess.ThrowTornDeque(e);
        if (h[1] == 0)
        {
            HeapAccess.Done();
            item = default;
            return false;
        }
        T* slot = (T*)(e->Data + HeaderBytes) + h[0];
        if (e->ChildAt > 0) HeapAccess.ReleaseOne(d, e, *(ulong*)((byte*)slot + e->ChildAt - 1));
        else if (e->ChildAt < 0) HeapAccess.Release(d, e, (byte*)slot, ChildOffsets<T>.Value);
        item = *slot;
        *slot = default;
        h[0] = h[0] + 1 == e->Length ? 0 : h[0] + 1;
        h[1]--;
        HeapAccess.Done();
        return true;
    }

    /// <summary>The element <paramref name="index"/> places from the front (read: a borrow is enough).</summary>
    public T this[int index]
    {
        get
        {
            var e = HeapAccess.ForRead(Handle, TypeIds<T>.Id, HeapKind.Deque);
            int* h = (int*)e->Data;
            int front = h[0], count = h[1];
            if ((uint)front >= (uint)e->Length || (uint)count > (uint)e->Length) HeapAccess.ThrowTornDeque(e);
            if ((uint)index >= (uint)count) OutOfRange(index, count);
            int slot = front + index;
            if (slot >= e->Length) slot -= e->Length;
            T v = ((T*)(e->Data + HeaderBytes))[slot];
            HeapAccess.Done();
            return v;
        }
    }

    private static void OutOfRange(int index, int count)
    {
        HeapAccess.Done();
        throw new IndexOutOfRangeException($"index {index} outside RRefDeque holding {count}");
    }

    public bool IsNull => Handle == 0;
    public void Drop() => HeapAccess.Drop(Handle);

    public bool Equals(RRefDeque<T> other) => Handle == other.Handle;
    public override bool Equals(object? obj) => obj is RRefDeque<T> r && Equals(r);
    public override int GetHashCode() => Handle.GetHashCode();
    public override string ToString() => $"RRefDeque<{typeof(T).Name}>#{HeapAccess.IndexOf(Handle)}";
}

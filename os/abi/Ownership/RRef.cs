// os/abi/Ownership: RRef<T>, RedLeaf's remote reference: an owned handle to one value on the shared
// heap. It moves between domains without copying (a proxy rewrites the owner), and every read or
// write checks that the running domain owns it (or was lent it, for reads). T is unmanaged and may
// hold further RRefs (children), which move and drop with their parent.
using System.Runtime.CompilerServices;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public readonly unsafe struct RRef<T> : IEquatable<RRef<T>> where T : unmanaged
{
    internal readonly ulong Handle;

    internal RRef(ulong handle) => Handle = handle;

    /// <summary>Allocates a new shared-heap object owned by the running domain.</summary>
    public static RRef<T> New(in T value)
    {
        var r = new RRef<T>(HeapAccess.Allocate(TypeIds<T>.Id, sizeof(T), 1, HeapKind.Value));
        r.Value = value;
        return r;
    }

    /// <summary>The value (copied in or out). Reading needs ownership or a borrow; writing needs ownership.</summary>
    public T Value
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            T v = *(T*)HeapAccess.ForRead(Handle, TypeIds<T>.Id, HeapKind.Value)->Data;
            HeapAccess.Done(); // a drop or move by another thread of the domain waited for this read
            return v;
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set
        {
            *(T*)HeapAccess.ForWrite(Handle, TypeIds<T>.Id, HeapKind.Value)->Data = value;
            HeapAccess.Done();
        }
    }

    /// <summary>True for the default handle, which names nothing.</summary>
    public bool IsNull => Handle == 0;

    /// <summary>Frees the object and every RRef it holds. Only the owner may drop.</summary>
    public void Drop() => HeapAccess.Drop(Handle);

    public bool Equals(RRef<T> other) => Handle == other.Handle;
    public override bool Equals(object? obj) => obj is RRef<T> r && Equals(r);
    public override int GetHashCode() => Handle.GetHashCode();
    public static bool operator ==(RRef<T> a, RRef<T> b) => a.Handle == b.Handle;
    public static bool operator !=(RRef<T> a, RRef<T> b) => a.Handle != b.Handle;
    public override string ToString() => $"RRef<{typeof(T).Name}>#{HeapAccess.IndexOf(Handle)}";
}

// domains/rv6/fs: the in-memory inode (xv6's struct inode, kernel/file.h): a copy of a dinode plus
// what the kernel needs to share it: a reference count (itable.lock) and a sleep lock over the rest.
using Domains.Rv6.Fs.Disk;

namespace Domains.Rv6.Fs;

internal sealed class Inode
{
    public uint dev;           // Device number
    public uint inum;          // Inode number
    public int @ref;           // Reference count (guarded by itable.lock)
    public readonly SleepLock @lock = new(); // protects everything below here
    public bool valid;         // inode has been read from disk?

    public short type;         // copy of disk inode
    public short major;
    public short minor;
    public short nlink;
    public uint size;
    public InodeAddrs addrs;
}

/// <summary>Where readi copies to or writei copies from: a user's shared-heap buffer (lent or moved
/// in by the caller) or the fs domain's own memory (xv6's user_dst/user_src flag with either_copyout
/// and either_copyin).</summary>
internal readonly ref struct Either
{
    private readonly RedLeaf.Abi.RRefArray<byte> user;
    private readonly Span<byte> kernel;
    private readonly bool isUser;
    private readonly int start; // where in the user's array this one begins

    private Either(RedLeaf.Abi.RRefArray<byte> user, Span<byte> kernel, bool isUser, int start = 0)
    {
        this.user = user;
        this.kernel = kernel;
        this.isUser = isUser;
        this.start = start;
    }

    /// <summary>The same place, skip bytes further on (filewrite's chunks).</summary>
    public Either From(int skip) => isUser ? new(user, default, true, start + skip) : new(default, kernel.Slice(skip), false);

    public static Either User(RedLeaf.Abi.RRefArray<byte> a) => new(a, default, true);
    public static Either Kernel(Span<byte> s) => new(default, s, false);

    /// <summary>Copies src to offset at of the destination.</summary>
    public void either_copyout(int at, ReadOnlySpan<byte> src)
    {
        if (isUser) user.CopyFrom(src, start + at);
        else src.CopyTo(kernel.Slice(at));
    }

    /// <summary>Copies from offset at of the source into dst.</summary>
    public void either_copyin(Span<byte> dst, int at)
    {
        if (isUser) user.CopyTo(dst, start + at);
        else kernel.Slice(at, dst.Length).CopyTo(dst);
    }
}

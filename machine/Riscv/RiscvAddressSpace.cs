// machine/Riscv: one process's memory, with xv6's layout and permissions but no page tables: Size is
// xv6's p->sz (byte-exact: sbrk(1) moves it by one), Mapped is Size rounded up to 4 KiB, the bytes
// 0..Mapped-1 of one array, whose pages come from a RiscvMemoryPool (xv6 maps whole pages too, so an
// access between Size and Mapped is allowed, as on xv6).
//   [0, ReadOnlyEnd)        text and read-only data: readable, not writable (xv6 maps them without PTE_W)
//   [ReadOnlyEnd, Guard)    data and bss: readable and writable
//   [Guard, Guard+4096)     the guard page below the stack: no access at all (xv6's uvmclear)
//   [Guard+4096, Mapped)    the stack page, then the heap grown by sbrk
//   [Mapped, ...)           nothing: any access faults
// The interpreter checks each access against these three bounds (RiscvHart); system calls copy in and
// out through CopyIn/CopyOut, which check the same way and fail instead of faulting (xv6's copyin/copyout).
// A program whose text is also writable (an RWX segment, as `ld -N` links xv6's forktest) has its decoded
// text attached (AttachWritableText): stores below StoreFloor leave the interpreter's fast path, and every
// write into the text, by a store or a copyout, decodes what it touched again.
// Before the program starts, its loader writes anywhere below Size (Load), as exec does.
// Host memory follows the pool: the array keeps at most min(Mapped, 4 MiB) of room to grow, and shrinking
// (sbrk with a negative size) copies it into a smaller one once it is well over that, so a process that grew
// and shrank holds what it maps now, not its peak. The decoded text is charged to the pool too (ChargeText).
namespace RedLeaf.Hardware.Riscv;

public sealed class RiscvAddressSpace
{
    public const int PageSize = RiscvMemoryPool.PageSize;
    private const ulong NoGuard = ulong.MaxValue - 2 * PageSize;
    internal byte[] Mem;
    private long _pages;   // pages taken from the pool for memory
    private long _textPages; // pages taken from the pool for the decoded text (ChargeText)
    private bool _freed;
    private readonly object _lock = new(); // Resize/Clone on the process's thread, Free also from a revoking one

    public RiscvAddressSpace(RiscvMemoryPool pool, ulong maxSize = 1UL << 30)
    {
        Pool = pool;
        MaxSize = maxSize;
        Mem = Array.Empty<byte>();
    }

    public RiscvMemoryPool Pool { get; }
    /// <summary>The most a process may grow to (xv6's limit is the address space; ours, one array: 1 GiB).</summary>
    public ulong MaxSize { get; }
    /// <summary>xv6's p->sz, byte-exact (what sbrk returns).</summary>
    public ulong Size { get; private set; }
    /// <summary>Size rounded up to a page: addresses at or above it fault.</summary>
    public ulong Mapped { get; private set; }
    public ulong ReadOnlyEnd { get; private set; }
    /// <summary>The guard page's address (no guard until SetLayout names one).</summary>
    public ulong Guard { get; private set; } = NoGuard;
    public bool HasGuard => Guard != NoGuard;
    /// <summary>The interpreter's fast path stores only at or above this: ReadOnlyEnd, or past writable text.</summary>
    public ulong StoreFloor { get; private set; }
    /// <summary>The decoded text, when the text is writable too (null for ordinary programs).</summary>
    public RiscvCode? WritableText { get; private set; }
    public bool Freed => _freed;

    /// <summary>Sets the protection bounds: [0, readOnlyEnd) not writable, one guard page at <paramref name="guard"/>.</summary>
    public void SetLayout(ulong readOnlyEnd, ulong guard)
    {
        if (readOnlyEnd > Mapped || (readOnlyEnd & (PageSize - 1)) != 0) throw new ArgumentException($"read-only end {readOnlyEnd:#x} must be page-aligned and within the size {Size:#x}");
        if ((guard & (PageSize - 1)) != 0 || guard < readOnlyEnd || guard + PageSize > Mapped) throw new ArgumentException($"guard page {guard:#x} must be page-aligned, above read-only memory and within the size {Size:#x}");
        ReadOnlyEnd = readOnlyEnd;
        StoreFloor = Math.Max(readOnlyEnd, WritableText is null ? 0 : RoundUp(WritableText.ExecHi));
        Guard = guard;
    }

    private static ulong RoundUp(ulong a) => (a + PageSize - 1) & ~(ulong)(PageSize - 1);

    /// <summary>Text in [ReadOnlyEnd, code.ExecHi) is writable: keep <paramref name="code"/> decoded through every write.</summary>
    public void AttachWritableText(RiscvCode code)
    {
        if (code.ExecHi <= ReadOnlyEnd) return;
        if (RoundUp(code.ExecHi) > (HasGuard ? Guard : Mapped)) throw new ArgumentException($"writable text up to {code.ExecHi:#x} reaches the guard page or beyond the size");
        WritableText = code;
        StoreFloor = Math.Max(ReadOnlyEnd, RoundUp(code.ExecHi));
    }

    /// <summary>The interpreter's slow store: a store of <paramref name="width"/> bytes at <paramref name="va"/> that
    /// failed the fast check; true (done, text decoded again) if it lands in writable text.</summary>
    public bool StoreToText(ulong va, int width, ulong value)
    {
        if (WritableText is not { } text || va < ReadOnlyEnd || va > StoreFloor || (ulong)width > StoreFloor - va || va + (ulong)width > Mapped) return false;
        for (int i = 0; i < width; i++) Mem[(int)va + i] = (byte)(value >> (8 * i));
        text.Redecode(Mem, va, (ulong)width);
        return true;
    }

    /// <summary>Grows or shrinks Size to <paramref name="newSize"/> (pages mapped: rounded up): xv6's growproc.
    /// New pages read as zeros. False (nothing changed) if the pool is out of pages or the size is too big
    /// or would cut into the read-only part or the stack.</summary>
    public bool Resize(ulong newSize)
    {
        lock (_lock) return ResizeLocked(newSize);
    }

    private bool ResizeLocked(ulong newSize)
    {
        if (_freed) return false;
        if (newSize > MaxSize) return false;
        ulong rounded = (newSize + PageSize - 1) & ~(ulong)(PageSize - 1);
        long pages = (long)(rounded / PageSize);
        if (newSize < Size && (newSize < ReadOnlyEnd || (HasGuard && newSize < Guard + PageSize))) return false;
        if (pages > _pages)
        {
            if (!Pool.TryTake(pages - _pages)) return false;
            if (rounded > (ulong)Mem.Length) Reallocate(rounded, Math.Min(rounded + Slack(rounded), MaxSize));
        }
        else if (pages < _pages)
        {
            Mem.AsSpan((int)rounded, (int)(Mapped - rounded)).Clear(); // regrown pages read as zeros, as fresh pages do
            Pool.Give(_pages - pages);
            // Shrinking gives the host memory back too, once the array is well over what is mapped (the margin
            // keeps a program that moves sbrk up and down by a page from copying its memory each time).
            if ((ulong)Mem.Length > rounded + 2 * Slack(rounded) + 16 * PageSize) Reallocate(rounded, rounded + Slack(rounded));
        }
        _pages = pages;
        Mapped = rounded;
        Size = newSize;
        return true;
    }

    /// <summary>Room an array of <paramref name="rounded"/> bytes keeps to grow without copying: as much again, at most 4 MiB.
    /// So the host holds at most Mapped + min(Mapped, 4 MiB) per process, plus the margin before a shrink reallocates.</summary>
    private static ulong Slack(ulong rounded) => Math.Min(rounded, MaxSlack);

    public const ulong MaxSlack = 4UL << 20;

    /// <summary>The bytes of host memory this process's array holds (its memory and the room to grow).</summary>
    public long HostBytes => Mem.LongLength;

    private void Reallocate(ulong keep, ulong capacity)
    {
        var fresh = new byte[capacity];
        Mem.AsSpan(0, (int)Math.Min(keep, Mapped)).CopyTo(fresh);
        Mem = fresh;
    }

    /// <summary>Pages the decoded text of this process is charged (RiscvCode: 16 host bytes per 2-byte slot, from
    /// address 0 to the text's end), taken from the pool like memory; false (nothing taken) if it is out of pages.
    /// Given back by Free; a fork's copy takes its own.</summary>
    public bool ChargeText(long pages)
    {
        lock (_lock)
        {
            if (_freed || pages < 0 || !Pool.TryTake(pages)) return false;
            _textPages += pages;
            return true;
        }
    }

    /// <summary>Pages of the pool this process's decoded text is charged.</summary>
    public long TextPages => _textPages;

    /// <summary>The loader's write (exec's loadseg): anywhere below Size, permissions aside.</summary>
    public void Load(ulong va, ReadOnlySpan<byte> data)
    {
        if (va > Mapped || (ulong)data.Length > Mapped - va) throw new ArgumentOutOfRangeException(nameof(va), $"load of {data.Length} bytes at {va:#x} is beyond the size {Size:#x}");
        data.CopyTo(Mem.AsSpan((int)va));
    }

    /// <summary>The memory as the loader sees it (to decode text).</summary>
    public ReadOnlySpan<byte> Bytes => Mem.AsSpan(0, (int)Mapped);

    private bool Readable(ulong va, ulong n) =>
        va <= Mapped && n <= Mapped - va && (n == 0 || va + n <= Guard || va >= Guard + PageSize);

    /// <summary>xv6's copyin: user memory to <paramref name="dst"/>; false if any byte is not readable by the user.</summary>
    public bool CopyIn(ulong va, Span<byte> dst)
    {
        if (_freed || !Readable(va, (ulong)dst.Length)) return false;
        Mem.AsSpan((int)va, dst.Length).CopyTo(dst);
        return true;
    }

    /// <summary>xv6's copyout: <paramref name="src"/> to user memory; false if any byte is not writable by the user.</summary>
    public bool CopyOut(ulong va, ReadOnlySpan<byte> src)
    {
        if (_freed || !Writable(va, (ulong)src.Length)) return false;
        src.CopyTo(Mem.AsSpan((int)va));
        if (va < StoreFloor) WritableText?.Redecode(Mem, va, (ulong)src.Length);
        return true;
    }

    /// <summary>True if [va, va+n) is writable by the user (checked before a read consumes input).</summary>
    public bool Writable(ulong va, ulong n) => Readable(va, n) && (n == 0 || va >= ReadOnlyEnd);

    /// <summary>xv6's copyinstr: a NUL-terminated string of at most dst.Length-1 bytes; its length, or -1
    /// (unreadable byte, or no NUL within the limit).</summary>
    public int CopyInString(ulong va, Span<byte> dst)
    {
        if (_freed) return -1;
        for (int i = 0; i < dst.Length; i++)
        {
            if (!Readable(va + (ulong)i, 1)) return -1;
            byte b = Mem[(int)(va + (ulong)i)];
            if (b == 0) return i;
            dst[i] = b;
        }
        return -1;
    }

    /// <summary>A copy (xv6's uvmcopy, for fork), its pages taken from the same pool; null if it is out of pages.</summary>
    public RiscvAddressSpace? Clone()
    {
        lock (_lock) return CloneLocked();
    }

    private RiscvAddressSpace? CloneLocked()
    {
        if (_freed || !Pool.TryTake(_pages + _textPages)) return null;
        var c = new RiscvAddressSpace(Pool, MaxSize)
        {
            Size = Size,
            Mapped = Mapped,
            ReadOnlyEnd = ReadOnlyEnd,
            Guard = Guard,
            _pages = _pages,
            _textPages = _textPages,
            StoreFloor = StoreFloor,
            WritableText = WritableText?.Clone(), // each process decodes its own writes
        };
        c.Mem = new byte[Mapped];
        Mem.AsSpan(0, (int)Mapped).CopyTo(c.Mem);
        return c;
    }

    /// <summary>Gives every page back to the pool (exit, exec's old image). Idempotent.</summary>
    public void Free()
    {
        lock (_lock) FreeLocked();
    }

    private void FreeLocked()
    {
        if (_freed) return;
        _freed = true;
        Pool.Give(_pages + _textPages);
        _pages = _textPages = 0;
        Size = Mapped = 0;
        WritableText = null;
        Mem = Array.Empty<byte>();
    }
}

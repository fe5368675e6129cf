// os/abi/Riscv: one RISC-V user process as its interpreter domain holds it: memory with xv6's layout
// and permissions (text read-only, a guard page below the stack, nothing beyond Size), registers, and
// Run, which executes until an ecall, a fault or the budget. The domain plays xv6's kernel for it:
// it loads the ELF (Load, SetLayout, Start), serves its ecalls (registers, CopyIn/CopyOut, which fail
// rather than fault, as copyin/copyout do), grows it (Resize), forks it, frees it.
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public sealed class RiscvProcess
{
    private RiscvProcessBackend? _b;

    internal RiscvProcess(RiscvMachine owner, RiscvProcessBackend backend)
    {
        Owner = owner;
        _b = backend;
    }

    internal RiscvMachine Owner { get; }

    private RiscvProcessBackend B
    {
        get
        {
            Owner.CheckLive();
            if (_b is { Freed: false } b) return b;
            Owner.CheckLive(); // revoked meanwhile (the kernel frees after it marks the machine revoked): that, not a misuse
            throw new InvalidOperationException("this RISC-V process has been freed or parked");
        }
    }

    internal RiscvProcessBackend Detach()
    {
        var b = B;
        _b = null;
        return b;
    }

    public const int PageSize = 4096;

    /// <summary>xv6's p->sz: bytes of memory; any access at or above it faults.</summary>
    public ulong Size => B.Size;

    /// <summary>Grows or shrinks the process to <paramref name="size"/> bytes (rounded up to a page; new memory
    /// is zero). False, and nothing changed, if the pool is out of pages or the size is not allowed.</summary>
    public bool Resize(ulong size) => B.Resize(size);

    /// <summary>Writes bytes below Size regardless of permissions (exec's loading); before Start only.</summary>
    public void Load(ulong va, ReadOnlySpan<byte> data) => B.Load(va, data);

    /// <summary>[0, readOnlyEnd) becomes not writable; the page at <paramref name="guard"/> inaccessible.</summary>
    public void SetLayout(ulong readOnlyEnd, ulong guard) => B.SetLayout(readOnlyEnd, guard);

    /// <summary>Decodes the text [execLo, execHi) once and sets pc to <paramref name="entry"/>. The decoded text costs
    /// the pool 8 bytes per byte from address 0 to <paramref name="execHi"/> (TextCost); false, and nothing started,
    /// if the pool cannot hold that.</summary>
    public bool Start(ulong execLo, ulong execHi, ulong entry) => B.Start(execLo, execHi, entry);

    /// <summary>Pool bytes the decoded text of a program whose text ends at <paramref name="execHi"/> costs (one
    /// 16-byte decoded slot per 2 bytes from address 0), rounded up to pages.</summary>
    public static ulong TextCost(ulong execHi) => ((execHi / 2 * 16) + PageSize - 1) & ~(ulong)(PageSize - 1);

    public ulong Pc { get => B.Pc; set => B.Pc = value; }
    public ulong GetRegister(int reg) => B.GetRegister(reg);
    public void SetRegister(int reg, ulong value) => B.SetRegister(reg, value);

    /// <summary>Runs at most <paramref name="budget"/> instructions.</summary>
    public RiscvExit Run(long budget) => B.Run(budget);

    /// <summary>Instructions this process has retired.</summary>
    public long Retired => B.Retired;
    public ulong FaultAddress => B.FaultAddress;
    public ulong FaultPc => B.FaultPc;

    public bool CopyIn(ulong va, Span<byte> dst) => B.CopyIn(va, dst);
    public bool CopyOut(ulong va, ReadOnlySpan<byte> src) => B.CopyOut(va, src);
    public bool Writable(ulong va, ulong n) => B.Writable(va, n);
    /// <summary>A NUL-terminated string of at most dst.Length-1 bytes: its length, or -1.</summary>
    public int CopyInString(ulong va, Span<byte> dst) => B.CopyInString(va, dst);

    /// <summary>A copy of this process (memory, registers, pc); null if the pool is out of pages.</summary>
    public RiscvProcess? Fork()
    {
        var c = B.Fork();
        return c is null ? null : new RiscvProcess(Owner, c);
    }

    /// <summary>Gives its memory back to the pool. Idempotent.</summary>
    public void Free()
    {
        var b = _b;
        _b = null;
        b?.Free();
    }
}

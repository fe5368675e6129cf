// os/kernel/Riscv: the kernel's side of a RiscvProcess: a hart of the machine's interpreter and its
// address space. Layout and text are fixed by Start; after that Load is refused. Text normally lies in
// read-only memory; text that is writable too (an RWX segment) is attached to the address space, which
// keeps its decoded form current through every write (RiscvAddressSpace.AttachWritableText). The decoded
// text (16 bytes per 2-byte slot from address 0) is charged to the pool before it is built, so a program
// cannot make the host decode more than the pool holds.
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;
using RedLeaf.Hardware.Riscv;

namespace RedLeaf.Os.Riscv;

internal sealed class KernelRiscvProcess : RiscvProcessBackend
{
    private KernelRiscvMachine _machine;
    private RiscvHart? _hart;

    internal KernelRiscvProcess(KernelRiscvMachine machine, RiscvAddressSpace space, RiscvHart? hart = null)
    {
        _machine = machine;
        Space = space;
        _hart = hart;
    }

    internal RiscvAddressSpace Space { get; }
    /// <summary>The capability it belongs to (changes when another instance adopts it after a fork).</summary>
    internal KernelRiscvMachine Machine { get => _machine; set => _machine = value; }

    private RiscvHart Hart => _hart ?? throw new InvalidOperationException("the RISC-V process has not been started (Start)");

    internal override bool Freed => Space.Freed;
    internal override ulong Size => Space.Size;
    internal override bool Resize(ulong size)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try { return Space.Resize(size); }
        finally { AllocationMeter.NotCharged(before); } // pool memory: the pool bounds it, not the domain's window
    }

    internal override void Load(ulong va, ReadOnlySpan<byte> data)
    {
        if (_hart is not null) throw new InvalidOperationException("a started RISC-V process cannot be loaded into");
        Space.Load(va, data);
    }

    internal override void SetLayout(ulong readOnlyEnd, ulong guard)
    {
        if (_hart is not null) throw new InvalidOperationException("a started RISC-V process's layout is fixed");
        Space.SetLayout(readOnlyEnd, guard);
    }

    internal override bool Start(ulong execLo, ulong execHi, ulong entry)
    {
        if (_hart is not null) throw new InvalidOperationException("the RISC-V process was already started");
        if (execHi > Space.Mapped || execLo > execHi) throw new ArgumentException($"executable range [{execLo:x}, {execHi:x}) is not inside the process's {Space.Mapped} bytes");
        // The decoded text is host memory like the process's own: charged to the pool before it is allocated.
        if (!Space.ChargeText((long)(RiscvProcess.TextCost(execHi) / RiscvProcess.PageSize))) return false;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var code = RiscvCode.Build(Space.Bytes, execLo, execHi);
        AllocationMeter.NotCharged(before); // charged to the pool above
        if (execHi > Space.ReadOnlyEnd) Space.AttachWritableText(code);
        _hart = new RiscvHart(Space, code) { Pc = entry };
        return true;
    }

    internal override ulong Pc { get => Hart.Pc; set => Hart.Pc = value; }

    internal override ulong GetRegister(int reg) => (uint)reg < 32 ? Hart[reg] : throw new ArgumentOutOfRangeException(nameof(reg));

    internal override void SetRegister(int reg, ulong value)
    {
        if ((uint)reg >= 32) throw new ArgumentOutOfRangeException(nameof(reg));
        Hart[reg] = value;
    }

    internal override RiscvExit Run(long budget) => (RiscvExit)(int)Hart.Run(budget);

    internal override long Retired => _hart?.Retired ?? 0;
    internal override ulong FaultAddress => Hart.FaultAddress;
    internal override ulong FaultPc => Hart.FaultPc;
    internal override bool CopyIn(ulong va, Span<byte> dst) => Space.CopyIn(va, dst);
    internal override bool CopyOut(ulong va, ReadOnlySpan<byte> src) => Space.CopyOut(va, src);
    internal override bool Writable(ulong va, ulong n) => Space.Writable(va, n);
    internal override int CopyInString(ulong va, Span<byte> dst) => Space.CopyInString(va, dst);

    internal override RiscvProcessBackend? Fork()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var copy = Space.Clone();
        AllocationMeter.NotCharged(before); // pool memory, as in Resize
        if (copy is null) return null;
        var p = new KernelRiscvProcess(_machine, copy, _hart?.Fork(copy));
        return _machine.Track(p);
    }

    internal override void Free()
    {
        Space.Free();
        _machine.Untrack(this);
    }
}

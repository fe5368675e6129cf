// os/abi/Riscv: the kernel's side of the RISC-V capabilities, implemented in os/kernel/Riscv over the
// machine's interpreter (machine/Riscv); the ABI only forwards to it and checks revocation.
namespace RedLeaf.Abi.Runtime;

internal abstract class RiscvMachineBackend
{
    internal abstract string Holder { get; }
    internal abstract bool Revoked { get; }
    internal abstract RiscvProcessBackend Create();
    internal abstract long TotalPages { get; }
    internal abstract long FreePages { get; }
    internal abstract long Park(RiscvProcessBackend p);
    internal abstract RiscvProcessBackend? Adopt(long ticket);
    internal abstract void Bind(long ticket, int pid);
    internal abstract void Discard(long ticket);
    internal abstract RiscvMachineBackend? Claim(long ticket);
}

internal abstract class RiscvProcessBackend
{
    internal abstract bool Freed { get; }
    internal abstract ulong Size { get; }
    internal abstract bool Resize(ulong size);
    internal abstract void Load(ulong va, ReadOnlySpan<byte> data);
    internal abstract void SetLayout(ulong readOnlyEnd, ulong guard);
    internal abstract bool Start(ulong execLo, ulong execHi, ulong entry);
    internal abstract ulong Pc { get; set; }
    internal abstract ulong GetRegister(int reg);
    internal abstract void SetRegister(int reg, ulong value);
    internal abstract RiscvExit Run(long budget);
    internal abstract long Retired { get; }
    internal abstract ulong FaultAddress { get; }
    internal abstract ulong FaultPc { get; }
    internal abstract bool CopyIn(ulong va, Span<byte> dst);
    internal abstract bool CopyOut(ulong va, ReadOnlySpan<byte> src);
    internal abstract bool Writable(ulong va, ulong n);
    internal abstract int CopyInString(ulong va, Span<byte> dst);
    internal abstract RiscvProcessBackend? Fork();
    internal abstract void Free();
}

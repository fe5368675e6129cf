// machine/Riscv: a user-mode RV64IMC hart running one process: 32 registers, pc, an address space and
// its decoded text. Run executes pre-decoded instructions in a tight switch until an ecall, a fault, or
// the instruction budget (preemption) ends the slice. The loop allocates nothing and reads no field it
// could keep in a local: registers through a ref (index 32 is the sink that x0 writes go to), memory
// through a ref checked against three bounds per access (size, guard page, read-only end). A store that
// fails them takes the slow path once: into writable text (RWX programs only) it is done there and the
// touched instructions decoded again; anything else is a fault.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RedLeaf.Hardware.Riscv;

public sealed class RiscvHart
{
    private const int PG = RiscvAddressSpace.PageSize;
    private static long s_retiredTotal;
    private readonly ulong[] _x = new ulong[33];

    public RiscvHart(RiscvAddressSpace space, RiscvCode code)
    {
        Space = space;
        Code = code;
    }

    /// <summary>Instructions retired by every hart in this process since it started (benchmarks read it).</summary>
    public static long RetiredTotal => Interlocked.Read(ref s_retiredTotal);

    public RiscvAddressSpace Space { get; private set; }
    public RiscvCode Code { get; private set; }
    public ulong Pc { get; set; }
    /// <summary>Instructions this hart has retired.</summary>
    public long Retired { get; private set; }
    /// <summary>After a fault: the address that faulted (pc for fetch and illegal instructions).</summary>
    public ulong FaultAddress { get; private set; }
    /// <summary>After a fault: the pc of the faulting instruction.</summary>
    public ulong FaultPc { get; private set; }

    public ulong this[int reg]
    {
        get => reg == 0 ? 0 : _x[reg];
        set { if (reg != 0) _x[reg] = value; }
    }

    /// <summary>Replaces the image (exec): new memory and text, registers cleared.</summary>
    public void Replace(RiscvAddressSpace space, RiscvCode code)
    {
        Space = space;
        Code = code;
        Array.Clear(_x);
        Pc = 0;
    }

    /// <summary>A copy for fork: the same registers and pc, the given copy of memory, the same (immutable) text.</summary>
    public RiscvHart Fork(RiscvAddressSpace copy)
    {
        var h = new RiscvHart(copy, copy.WritableText ?? Code) { Pc = Pc };
        Array.Copy(_x, h._x, 33);
        return h;
    }

    /// <summary>Runs at most <paramref name="budget"/> instructions; why it stopped.</summary>
    [SkipLocalsInit, MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised from the first call: no tier-0 or OSR passes
    public RiscvStop Run(long budget)
    {
        var space = Space;
        if (space.Mapped < PG || space.Freed) { FaultAddress = FaultPc = Pc; return RiscvStop.FetchFault; }
        byte[] memArray = space.Mem;
        ulong size = Math.Min(space.Mapped, (ulong)memArray.Length);
        ulong roEnd = space.StoreFloor, guard = space.Guard;
        RiscvInsn[] insns = Code.Insns;
        ref RiscvInsn code0 = ref MemoryMarshal.GetArrayDataReference(insns);
        ulong ninsn = (ulong)insns.Length;
        ref ulong x = ref MemoryMarshal.GetArrayDataReference(_x);
        ref byte m = ref MemoryMarshal.GetArrayDataReference(memArray);
        ulong pc = Pc;
        long n = 0;
        RiscvStop stop = RiscvStop.Budget;
        ulong a = 0;
        int w = 0; // a failed store's width (set only on the way to StoreFault)

        while (n < budget)
        {
            ulong slot = pc >> 1;
            if (slot >= ninsn) { stop = RiscvStop.FetchFault; a = pc; goto Fault; }
            ref RiscvInsn d = ref Unsafe.Add(ref code0, (nint)slot);
            ref ulong rd = ref Unsafe.Add(ref x, d.Rd);
            ulong r1 = Unsafe.Add(ref x, d.Rs1);
            long imm = d.Imm;
            switch (d.Op)
            {
                case RiscvOp.Addi: rd = r1 + (ulong)imm; break;
                case RiscvOp.Add: rd = r1 + Unsafe.Add(ref x, d.Rs2); break;
                case RiscvOp.Lui: rd = (ulong)imm; break;
                case RiscvOp.Auipc: rd = pc + (ulong)imm; break;
                case RiscvOp.Jal: rd = pc + d.Len; pc += (ulong)imm; n++; continue;
                case RiscvOp.Jalr:
                {
                    ulong target = (r1 + (ulong)imm) & ~1UL;
                    rd = pc + d.Len;
                    pc = target;
                    n++;
                    continue;
                }
                case RiscvOp.Beq: if (r1 == Unsafe.Add(ref x, d.Rs2)) { pc += (ulong)imm; n++; continue; } break;
                case RiscvOp.Bne: if (r1 != Unsafe.Add(ref x, d.Rs2)) { pc += (ulong)imm; n++; continue; } break;
                case RiscvOp.Blt: if ((long)r1 < (long)Unsafe.Add(ref x, d.Rs2)) { pc += (ulong)imm; n++; continue; } break;
                case RiscvOp.Bge: if ((long)r1 >= (long)Unsafe.Add(ref x, d.Rs2)) { pc += (ulong)imm; n++; continue; } break;
                case RiscvOp.Bltu: if (r1 < Unsafe.Add(ref x, d.Rs2)) { pc += (ulong)imm; n++; continue; } break;
                case RiscvOp.Bgeu: if (r1 >= Unsafe.Add(ref x, d.Rs2)) { pc += (ulong)imm; n++; continue; } break;

                case RiscvOp.Lb:
                    a = r1 + (ulong)imm;
                    if (a >= size || a - guard < PG) goto LoadFault;
                    rd = (ulong)(long)(sbyte)Unsafe.Add(ref m, (nint)a); break;
                case RiscvOp.Lbu:
                    a = r1 + (ulong)imm;
                    if (a >= size || a - guard < PG) goto LoadFault;
                    rd = Unsafe.Add(ref m, (nint)a); break;
                case RiscvOp.Lh:
                    a = r1 + (ulong)imm;
                    if (a > size - 2 || a + 1 - guard < PG + 1) goto LoadFault;
                    rd = (ulong)(long)Unsafe.ReadUnaligned<short>(ref Unsafe.Add(ref m, (nint)a)); break;
                case RiscvOp.Lhu:
                    a = r1 + (ulong)imm;
                    if (a > size - 2 || a + 1 - guard < PG + 1) goto LoadFault;
                    rd = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref m, (nint)a)); break;
                case RiscvOp.Lw:
                    a = r1 + (ulong)imm;
                    if (a > size - 4 || a + 3 - guard < PG + 3) goto LoadFault;
                    rd = (ulong)(long)Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref m, (nint)a)); break;
                case RiscvOp.Lwu:
                    a = r1 + (ulong)imm;
                    if (a > size - 4 || a + 3 - guard < PG + 3) goto LoadFault;
                    rd = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref m, (nint)a)); break;
                case RiscvOp.Ld:
                    a = r1 + (ulong)imm;
                    if (a > size - 8 || a + 7 - guard < PG + 7) goto LoadFault;
                    rd = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref m, (nint)a)); break;

                case RiscvOp.Sb:
                    a = r1 + (ulong)imm;
                    if (a >= size || a < roEnd || a - guard < PG) { w = 1; goto StoreFault; }
                    Unsafe.Add(ref m, (nint)a) = (byte)Unsafe.Add(ref x, d.Rs2); break;
                case RiscvOp.Sh:
                    a = r1 + (ulong)imm;
                    if (a > size - 2 || a < roEnd || a + 1 - guard < PG + 1) { w = 2; goto StoreFault; }
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref m, (nint)a), (ushort)Unsafe.Add(ref x, d.Rs2)); break;
                case RiscvOp.Sw:
                    a = r1 + (ulong)imm;
                    if (a > size - 4 || a < roEnd || a + 3 - guard < PG + 3) { w = 4; goto StoreFault; }
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref m, (nint)a), (uint)Unsafe.Add(ref x, d.Rs2)); break;
                case RiscvOp.Sd:
                    a = r1 + (ulong)imm;
                    if (a > size - 8 || a < roEnd || a + 7 - guard < PG + 7) { w = 8; goto StoreFault; }
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref m, (nint)a), Unsafe.Add(ref x, d.Rs2)); break;

                case RiscvOp.Slti: rd = (long)r1 < imm ? 1UL : 0UL; break;
                case RiscvOp.Sltiu: rd = r1 < (ulong)imm ? 1UL : 0UL; break;
                case RiscvOp.Xori: rd = r1 ^ (ulong)imm; break;
                case RiscvOp.Ori: rd = r1 | (ulong)imm; break;
                case RiscvOp.Andi: rd = r1 & (ulong)imm; break;
                case RiscvOp.Slli: rd = r1 << (int)imm; break;
                case RiscvOp.Srli: rd = r1 >> (int)imm; break;
                case RiscvOp.Srai: rd = (ulong)((long)r1 >> (int)imm); break;

                case RiscvOp.Sub: rd = r1 - Unsafe.Add(ref x, d.Rs2); break;
                case RiscvOp.Sll: rd = r1 << (int)(Unsafe.Add(ref x, d.Rs2) & 63); break;
                case RiscvOp.Slt: rd = (long)r1 < (long)Unsafe.Add(ref x, d.Rs2) ? 1UL : 0UL; break;
                case RiscvOp.Sltu: rd = r1 < Unsafe.Add(ref x, d.Rs2) ? 1UL : 0UL; break;
                case RiscvOp.Xor: rd = r1 ^ Unsafe.Add(ref x, d.Rs2); break;
                case RiscvOp.Srl: rd = r1 >> (int)(Unsafe.Add(ref x, d.Rs2) & 63); break;
                case RiscvOp.Sra: rd = (ulong)((long)r1 >> (int)(Unsafe.Add(ref x, d.Rs2) & 63)); break;
                case RiscvOp.Or: rd = r1 | Unsafe.Add(ref x, d.Rs2); break;
                case RiscvOp.And: rd = r1 & Unsafe.Add(ref x, d.Rs2); break;

                case RiscvOp.Addiw: rd = (ulong)(long)(int)(r1 + (ulong)imm); break;
                case RiscvOp.Slliw: rd = (ulong)(long)((int)r1 << (int)imm); break;
                case RiscvOp.Srliw: rd = (ulong)(long)(int)((uint)r1 >> (int)imm); break;
                case RiscvOp.Sraiw: rd = (ulong)(long)((int)r1 >> (int)imm); break;
                case RiscvOp.Addw: rd = (ulong)(long)(int)(r1 + Unsafe.Add(ref x, d.Rs2)); break;
                case RiscvOp.Subw: rd = (ulong)(long)(int)(r1 - Unsafe.Add(ref x, d.Rs2)); break;
                case RiscvOp.Sllw: rd = (ulong)(long)((int)r1 << (int)(Unsafe.Add(ref x, d.Rs2) & 31)); break;
                case RiscvOp.Srlw: rd = (ulong)(long)(int)((uint)r1 >> (int)(Unsafe.Add(ref x, d.Rs2) & 31)); break;
                case RiscvOp.Sraw: rd = (ulong)(long)((int)r1 >> (int)(Unsafe.Add(ref x, d.Rs2) & 31)); break;

                case RiscvOp.Mul: rd = r1 * Unsafe.Add(ref x, d.Rs2); break;
                case RiscvOp.Mulh: rd = (ulong)Math.BigMul((long)r1, (long)Unsafe.Add(ref x, d.Rs2), out _); break;
                case RiscvOp.Mulhu: rd = Math.BigMul(r1, Unsafe.Add(ref x, d.Rs2), out _); break;
                case RiscvOp.Mulhsu:
                {
                    ulong b = Unsafe.Add(ref x, d.Rs2);
                    ulong hi = Math.BigMul(r1, b, out _);
                    rd = (long)r1 < 0 ? hi - b : hi;
                    break;
                }
                case RiscvOp.Div:
                {
                    long sa = (long)r1, sb = (long)Unsafe.Add(ref x, d.Rs2);
                    rd = sb == 0 ? ulong.MaxValue : sb == -1 ? (ulong)unchecked(-sa) : (ulong)(sa / sb);
                    break;
                }
                case RiscvOp.Divu: { ulong b = Unsafe.Add(ref x, d.Rs2); rd = b == 0 ? ulong.MaxValue : r1 / b; break; }
                case RiscvOp.Rem:
                {
                    long sa = (long)r1, sb = (long)Unsafe.Add(ref x, d.Rs2);
                    rd = sb == 0 ? r1 : sb == -1 ? 0 : (ulong)(sa % sb);
                    break;
                }
                case RiscvOp.Remu: { ulong b = Unsafe.Add(ref x, d.Rs2); rd = b == 0 ? r1 : r1 % b; break; }
                case RiscvOp.Mulw: rd = (ulong)(long)((int)r1 * (int)Unsafe.Add(ref x, d.Rs2)); break;
                case RiscvOp.Divw:
                {
                    int sa = (int)r1, sb = (int)Unsafe.Add(ref x, d.Rs2);
                    rd = (ulong)(long)(sb == 0 ? -1 : sb == -1 ? unchecked(-sa) : sa / sb);
                    break;
                }
                case RiscvOp.Divuw:
                {
                    uint ua = (uint)r1, ub = (uint)Unsafe.Add(ref x, d.Rs2);
                    rd = (ulong)(long)(int)(ub == 0 ? uint.MaxValue : ua / ub);
                    break;
                }
                case RiscvOp.Remw:
                {
                    int sa = (int)r1, sb = (int)Unsafe.Add(ref x, d.Rs2);
                    rd = (ulong)(long)(sb == 0 ? sa : sb == -1 ? 0 : sa % sb);
                    break;
                }
                case RiscvOp.Remuw:
                {
                    uint ua = (uint)r1, ub = (uint)Unsafe.Add(ref x, d.Rs2);
                    rd = (ulong)(long)(int)(ub == 0 ? ua : ua % ub);
                    break;
                }

                case RiscvOp.Fence: break;
                case RiscvOp.Ecall: pc += d.Len; n++; stop = RiscvStop.Ecall; goto Done;
                case RiscvOp.Ebreak: stop = RiscvStop.Breakpoint; a = pc; goto Fault;
                case RiscvOp.FetchFault: stop = RiscvStop.FetchFault; a = pc; goto Fault;
                default: stop = RiscvStop.IllegalInstruction; a = pc; goto Fault;
            }
            pc += d.Len;
            n++;
            continue;

        LoadFault:
            stop = RiscvStop.LoadFault;
            goto Fault;
        StoreFault:
            if (space.StoreToText(a, w, Unsafe.Add(ref x, d.Rs2)))
            {
                pc += d.Len;
                n++;
                continue;
            }
            stop = RiscvStop.StoreFault;
            goto Fault;
        }
        goto Done;

    Fault:
        FaultAddress = a;
        FaultPc = pc;
    Done:
        Pc = pc;
        Retired += n;
        Interlocked.Add(ref s_retiredTotal, n);
        return stop;
    }
}

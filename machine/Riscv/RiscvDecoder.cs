// machine/Riscv: decodes RV64IMC instructions (RV64I, the M extension, and the compressed C
// extension without its floating-point forms) into RiscvInsn, once per instruction address, before
// the program runs (see RiscvCode). Anything else (floating point, atomics, CSRs, privileged
// instructions) decodes to Illegal: xv6's user programs use none of them but ecall.
namespace RedLeaf.Hardware.Riscv;

public static class RiscvDecoder
{
    private const byte Sink = 32;

    /// <summary>Decodes the instruction whose first 16 bits are <paramref name="lo"/> and next 16 are <paramref name="hi"/>.</summary>
    public static RiscvInsn Decode(ushort lo, ushort hi) =>
        (lo & 3) == 3 ? Decode32(lo | (uint)hi << 16) : Decode16(lo);

    private static RiscvInsn I(RiscvOp op, int rd, int rs1, int rs2, long imm, int len) =>
        new() { Op = op, Rd = (byte)(rd == 0 ? Sink : rd), Rs1 = (byte)rs1, Rs2 = (byte)rs2, Imm = imm, Len = (byte)len };

    private static RiscvInsn Bad(int len) => new() { Op = RiscvOp.Illegal, Rd = Sink, Len = (byte)len };

    public static RiscvInsn Decode32(uint w)
    {
        int opcode = (int)(w & 0x7f), rd = (int)(w >> 7) & 31, f3 = (int)(w >> 12) & 7;
        int rs1 = (int)(w >> 15) & 31, rs2 = (int)(w >> 20) & 31, f7 = (int)(w >> 25);
        long immI = (int)w >> 20;
        long immS = ((int)w >> 25 << 5) | (int)((w >> 7) & 31);
        long immB = ((int)w >> 31 << 12) | (int)((w << 4) & 0x800) | (int)((w >> 20) & 0x7e0) | (int)((w >> 7) & 0x1e);
        long immU = (int)(w & 0xfffff000);
        long immJ = ((int)w >> 31 << 20) | (int)(w & 0xff000) | (int)((w >> 9) & 0x800) | (int)((w >> 20) & 0x7fe);
        switch (opcode)
        {
            case 0x37: return I(RiscvOp.Lui, rd, 0, 0, immU, 4);
            case 0x17: return I(RiscvOp.Auipc, rd, 0, 0, immU, 4);
            case 0x6f: return I(RiscvOp.Jal, rd, 0, 0, immJ, 4);
            case 0x67: return f3 == 0 ? I(RiscvOp.Jalr, rd, rs1, 0, immI, 4) : Bad(4);
            case 0x63:
                return f3 switch
                {
                    0 => I(RiscvOp.Beq, 0, rs1, rs2, immB, 4),
                    1 => I(RiscvOp.Bne, 0, rs1, rs2, immB, 4),
                    4 => I(RiscvOp.Blt, 0, rs1, rs2, immB, 4),
                    5 => I(RiscvOp.Bge, 0, rs1, rs2, immB, 4),
                    6 => I(RiscvOp.Bltu, 0, rs1, rs2, immB, 4),
                    7 => I(RiscvOp.Bgeu, 0, rs1, rs2, immB, 4),
                    _ => Bad(4),
                };
            case 0x03:
                return f3 switch
                {
                    0 => I(RiscvOp.Lb, rd, rs1, 0, immI, 4),
                    1 => I(RiscvOp.Lh, rd, rs1, 0, immI, 4),
                    2 => I(RiscvOp.Lw, rd, rs1, 0, immI, 4),
                    3 => I(RiscvOp.Ld, rd, rs1, 0, immI, 4),
                    4 => I(RiscvOp.Lbu, rd, rs1, 0, immI, 4),
                    5 => I(RiscvOp.Lhu, rd, rs1, 0, immI, 4),
                    6 => I(RiscvOp.Lwu, rd, rs1, 0, immI, 4),
                    _ => Bad(4),
                };
            case 0x23:
                return f3 switch
                {
                    0 => I(RiscvOp.Sb, 0, rs1, rs2, immS, 4),
                    1 => I(RiscvOp.Sh, 0, rs1, rs2, immS, 4),
                    2 => I(RiscvOp.Sw, 0, rs1, rs2, immS, 4),
                    3 => I(RiscvOp.Sd, 0, rs1, rs2, immS, 4),
                    _ => Bad(4),
                };
            case 0x13:
            {
                int shamt = (int)(w >> 20) & 63, f6 = (int)(w >> 26);
                return f3 switch
                {
                    0 => I(RiscvOp.Addi, rd, rs1, 0, immI, 4),
                    2 => I(RiscvOp.Slti, rd, rs1, 0, immI, 4),
                    3 => I(RiscvOp.Sltiu, rd, rs1, 0, immI, 4),
                    4 => I(RiscvOp.Xori, rd, rs1, 0, immI, 4),
                    6 => I(RiscvOp.Ori, rd, rs1, 0, immI, 4),
                    7 => I(RiscvOp.Andi, rd, rs1, 0, immI, 4),
                    1 when f6 == 0 => I(RiscvOp.Slli, rd, rs1, 0, shamt, 4),
                    5 when f6 == 0 => I(RiscvOp.Srli, rd, rs1, 0, shamt, 4),
                    5 when f6 == 0x10 => I(RiscvOp.Srai, rd, rs1, 0, shamt, 4),
                    _ => Bad(4),
                };
            }
            case 0x1b:
                return (f3, f7) switch
                {
                    (0, _) => I(RiscvOp.Addiw, rd, rs1, 0, immI, 4),
                    (1, 0) => I(RiscvOp.Slliw, rd, rs1, 0, rs2, 4),
                    (5, 0) => I(RiscvOp.Srliw, rd, rs1, 0, rs2, 4),
                    (5, 0x20) => I(RiscvOp.Sraiw, rd, rs1, 0, rs2, 4),
                    _ => Bad(4),
                };
            case 0x33:
            {
                RiscvOp? op = (f7, f3) switch
                {
                    (0, 0) => RiscvOp.Add,
                    (0x20, 0) => RiscvOp.Sub,
                    (0, 1) => RiscvOp.Sll,
                    (0, 2) => RiscvOp.Slt,
                    (0, 3) => RiscvOp.Sltu,
                    (0, 4) => RiscvOp.Xor,
                    (0, 5) => RiscvOp.Srl,
                    (0x20, 5) => RiscvOp.Sra,
                    (0, 6) => RiscvOp.Or,
                    (0, 7) => RiscvOp.And,
                    (1, 0) => RiscvOp.Mul,
                    (1, 1) => RiscvOp.Mulh,
                    (1, 2) => RiscvOp.Mulhsu,
                    (1, 3) => RiscvOp.Mulhu,
                    (1, 4) => RiscvOp.Div,
                    (1, 5) => RiscvOp.Divu,
                    (1, 6) => RiscvOp.Rem,
                    (1, 7) => RiscvOp.Remu,
                    _ => null,
                };
                return op is { } o ? I(o, rd, rs1, rs2, 0, 4) : Bad(4);
            }
            case 0x3b:
            {
                RiscvOp? op = (f7, f3) switch
                {
                    (0, 0) => RiscvOp.Addw,
                    (0x20, 0) => RiscvOp.Subw,
                    (0, 1) => RiscvOp.Sllw,
                    (0, 5) => RiscvOp.Srlw,
                    (0x20, 5) => RiscvOp.Sraw,
                    (1, 0) => RiscvOp.Mulw,
                    (1, 4) => RiscvOp.Divw,
                    (1, 5) => RiscvOp.Divuw,
                    (1, 6) => RiscvOp.Remw,
                    (1, 7) => RiscvOp.Remuw,
                    _ => null,
                };
                return op is { } o ? I(o, rd, rs1, rs2, 0, 4) : Bad(4);
            }
            case 0x0f: return f3 is 0 or 1 ? I(RiscvOp.Fence, 0, 0, 0, 0, 4) : Bad(4);
            case 0x73:
                if (w == 0x00000073) return I(RiscvOp.Ecall, 0, 0, 0, 0, 4);
                if (w == 0x00100073) return I(RiscvOp.Ebreak, 0, 0, 0, 0, 4);
                return Bad(4);
            default: return Bad(4);
        }
    }

    private static long Sext(int value, int bits) => (long)value << (64 - bits) >> (64 - bits);

    public static RiscvInsn Decode16(ushort hw)
    {
        int h = hw, q = h & 3, f3 = h >> 13;
        int rdp = 8 + ((h >> 2) & 7), rs1p = 8 + ((h >> 7) & 7);
        int rd = (h >> 7) & 31, rs2 = (h >> 2) & 31;
        long imm6 = Sext(((h >> 7) & 0x20) | ((h >> 2) & 31), 6);
        int shamt = ((h >> 7) & 0x20) | ((h >> 2) & 31);
        if (h == 0) return Bad(2); // the all-zero halfword is defined illegal
        switch (q, f3)
        {
            case (0, 0):
            {
                int imm = ((h >> 7) & 0x30) | ((h >> 1) & 0x3c0) | ((h >> 4) & 4) | ((h >> 2) & 8);
                return imm == 0 ? Bad(2) : I(RiscvOp.Addi, rdp, 2, 0, imm, 2);
            }
            case (0, 2): return I(RiscvOp.Lw, rdp, rs1p, 0, ((h >> 7) & 0x38) | ((h >> 4) & 4) | ((h << 1) & 0x40), 2);
            case (0, 3): return I(RiscvOp.Ld, rdp, rs1p, 0, ((h >> 7) & 0x38) | ((h << 1) & 0xc0), 2);
            case (0, 6): return I(RiscvOp.Sw, 0, rs1p, rdp, ((h >> 7) & 0x38) | ((h >> 4) & 4) | ((h << 1) & 0x40), 2);
            case (0, 7): return I(RiscvOp.Sd, 0, rs1p, rdp, ((h >> 7) & 0x38) | ((h << 1) & 0xc0), 2);

            case (1, 0): return I(RiscvOp.Addi, rd, rd, 0, imm6, 2);
            case (1, 1): return rd == 0 ? Bad(2) : I(RiscvOp.Addiw, rd, rd, 0, imm6, 2);
            case (1, 2): return I(RiscvOp.Addi, rd, 0, 0, imm6, 2);
            case (1, 3):
                if (rd == 2)
                {
                    int imm = ((h >> 3) & 0x200) | ((h >> 2) & 0x10) | ((h << 1) & 0x40) | ((h << 4) & 0x180) | ((h << 3) & 0x20);
                    return imm == 0 ? Bad(2) : I(RiscvOp.Addi, 2, 2, 0, Sext(imm, 10), 2);
                }
                return imm6 == 0 ? Bad(2) : I(RiscvOp.Lui, rd, 0, 0, imm6 << 12, 2);
            case (1, 4):
                switch ((h >> 10) & 3)
                {
                    case 0: return I(RiscvOp.Srli, rs1p, rs1p, 0, shamt, 2);
                    case 1: return I(RiscvOp.Srai, rs1p, rs1p, 0, shamt, 2);
                    case 2: return I(RiscvOp.Andi, rs1p, rs1p, 0, imm6, 2);
                    default:
                    {
                        int f = (h >> 5) & 3;
                        RiscvOp? op = ((h >> 12) & 1, f) switch
                        {
                            (0, 0) => RiscvOp.Sub,
                            (0, 1) => RiscvOp.Xor,
                            (0, 2) => RiscvOp.Or,
                            (0, 3) => RiscvOp.And,
                            (1, 0) => RiscvOp.Subw,
                            (1, 1) => RiscvOp.Addw,
                            _ => null,
                        };
                        return op is { } o ? I(o, rs1p, rs1p, rdp, 0, 2) : Bad(2);
                    }
                }
            case (1, 5):
            {
                int imm = ((h >> 1) & 0x800) | ((h >> 7) & 0x10) | ((h >> 1) & 0x300) | ((h << 2) & 0x400)
                        | ((h >> 1) & 0x40) | ((h << 1) & 0x80) | ((h >> 2) & 0xe) | ((h << 3) & 0x20);
                return I(RiscvOp.Jal, 0, 0, 0, Sext(imm, 12), 2);
            }
            case (1, 6):
            case (1, 7):
            {
                int imm = ((h >> 4) & 0x100) | ((h >> 7) & 0x18) | ((h << 1) & 0xc0) | ((h >> 2) & 6) | ((h << 3) & 0x20);
                return I(f3 == 6 ? RiscvOp.Beq : RiscvOp.Bne, 0, rs1p, 0, Sext(imm, 9), 2);
            }

            case (2, 0): return I(RiscvOp.Slli, rd, rd, 0, shamt, 2);
            case (2, 2): return rd == 0 ? Bad(2) : I(RiscvOp.Lw, rd, 2, 0, ((h >> 7) & 0x20) | ((h >> 2) & 0x1c) | ((h << 4) & 0xc0), 2);
            case (2, 3): return rd == 0 ? Bad(2) : I(RiscvOp.Ld, rd, 2, 0, ((h >> 7) & 0x20) | ((h >> 2) & 0x18) | ((h << 4) & 0x1c0), 2);
            case (2, 4):
                if ((h & 0x1000) == 0)
                {
                    if (rs2 == 0) return rd == 0 ? Bad(2) : I(RiscvOp.Jalr, 0, rd, 0, 0, 2);
                    return I(RiscvOp.Add, rd, 0, rs2, 0, 2);
                }
                if (rd == 0 && rs2 == 0) return I(RiscvOp.Ebreak, 0, 0, 0, 0, 2);
                if (rs2 == 0) return I(RiscvOp.Jalr, 1, rd, 0, 0, 2);
                return I(RiscvOp.Add, rd, rd, rs2, 0, 2);
            case (2, 6): return I(RiscvOp.Sw, 0, 2, rs2, ((h >> 7) & 0x3c) | ((h >> 1) & 0xc0), 2);
            case (2, 7): return I(RiscvOp.Sd, 0, 2, rs2, ((h >> 7) & 0x38) | ((h >> 1) & 0x1c0), 2);
            default: return Bad(2);
        }
    }
}

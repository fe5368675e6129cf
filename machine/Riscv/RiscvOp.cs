// machine/Riscv: the operations of RV64IMC after decoding. Compressed instructions decode to the same
// operations as their 32-bit forms (with length 2), so the interpreter's loop has one case per
// operation, not per encoding. Dense values starting at 0: the loop's switch is a jump table.
namespace RedLeaf.Hardware.Riscv;

public enum RiscvOp : byte
{
    /// <summary>Fetching here faults: not in an executable page (or not an instruction boundary we can reach).</summary>
    FetchFault,
    Illegal,
    Lui, Auipc, Jal, Jalr,
    Beq, Bne, Blt, Bge, Bltu, Bgeu,
    Lb, Lh, Lw, Ld, Lbu, Lhu, Lwu,
    Sb, Sh, Sw, Sd,
    Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai,
    Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And,
    Addiw, Slliw, Srliw, Sraiw,
    Addw, Subw, Sllw, Srlw, Sraw,
    Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu,
    Mulw, Divw, Divuw, Remw, Remuw,
    Fence, Ecall, Ebreak,
}

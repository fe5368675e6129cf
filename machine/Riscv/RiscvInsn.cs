// machine/Riscv: one pre-decoded instruction: what the interpreter's loop reads instead of the bytes.
// Register numbers are already mapped so that a write to x0 goes to a sink register (32) and x0 stays
// 0 without a check per instruction. 16 bytes, so the decoded text is an array of plain structs.
using System.Runtime.InteropServices;

namespace RedLeaf.Hardware.Riscv;

[StructLayout(LayoutKind.Sequential)]
public struct RiscvInsn
{
    public RiscvOp Op;
    /// <summary>Destination register (0 mapped to the sink, 32).</summary>
    public byte Rd;
    public byte Rs1, Rs2;
    /// <summary>Length in bytes: 4, or 2 for a compressed instruction.</summary>
    public byte Len;
    /// <summary>The immediate, sign-extended (shift amounts for shifts).</summary>
    public long Imm;

    public override readonly string ToString() => $"{Op} rd={(Rd == 32 ? 0 : Rd)} rs1={Rs1} rs2={Rs2} imm={Imm} len={Len}";
}

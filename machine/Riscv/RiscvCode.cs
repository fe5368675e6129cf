// machine/Riscv: a program's text, decoded once: one RiscvInsn per 2-byte address from 0 to the end of
// the executable pages (an instruction may start at any even address with the C extension). Built when
// the program starts, before it runs, so the loop never decodes and never allocates; text is not
// writable, so it never goes stale. A fork shares its parent's (it is immutable); exec builds a new one.
namespace RedLeaf.Hardware.Riscv;

public sealed class RiscvCode
{
    internal readonly RiscvInsn[] Insns;

    private RiscvCode(RiscvInsn[] insns, ulong execLo, ulong execHi)
    {
        Insns = insns;
        ExecLo = execLo;
        ExecHi = execHi;
    }

    public ulong ExecLo { get; }
    public ulong ExecHi { get; }
    public int Length => Insns.Length;

    /// <summary>The decoded instruction at <paramref name="pc"/> (for tests and tools).</summary>
    public RiscvInsn At(ulong pc) => pc < ExecHi && (pc & 1) == 0 ? Insns[pc >> 1] : new RiscvInsn { Op = RiscvOp.FetchFault, Rd = 32 };

    /// <summary>Decodes [execLo, execHi) of <paramref name="memory"/>; addresses below execLo fault when fetched.</summary>
    public static RiscvCode Build(ReadOnlySpan<byte> memory, ulong execLo, ulong execHi)
    {
        if (execHi > (ulong)memory.Length || execLo > execHi || (execLo & 1) != 0 || (execHi & 1) != 0)
            throw new ArgumentException($"executable range [{execLo:x}, {execHi:x}) is not inside memory of {memory.Length} bytes");
        var insns = new RiscvInsn[execHi / 2];
        for (ulong a = 0; a < execHi; a += 2)
        {
            if (a < execLo) { insns[a >> 1] = new RiscvInsn { Op = RiscvOp.FetchFault, Rd = 32 }; continue; }
            ushort lo = (ushort)(memory[(int)a] | memory[(int)a + 1] << 8);
            ushort hi = a + 4 <= execHi ? (ushort)(memory[(int)a + 2] | memory[(int)a + 3] << 8) : (ushort)0;
            var insn = RiscvDecoder.Decode(lo, hi);
            if (insn.Len == 4 && a + 4 > execHi) insn = new RiscvInsn { Op = RiscvOp.FetchFault, Rd = 32, Len = 4 };
            insns[a >> 1] = insn;
        }
        return new RiscvCode(insns, execLo, execHi);
    }
}

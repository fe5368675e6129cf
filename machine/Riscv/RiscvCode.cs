// machine/Riscv: a program's text, decoded once: one RiscvInsn per 2-byte address from 0 to the end of
// the executable pages (an instruction may start at any even address with the C extension). Built when
// the program starts, before it runs, so the loop never decodes and never allocates. Text is normally
// not writable, so it never goes stale and a fork shares its parent's. A program linked with writable
// text (xv6's forktest, `ld -N`: one RWX segment) gets its own copy per process, and every write into
// the text (a store, or a system call's copyout) decodes the slots it touched again (Redecode).
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
        var code = new RiscvCode(new RiscvInsn[execHi / 2], execLo, execHi);
        code.Decode(memory, 0, execHi);
        return code;
    }

    /// <summary>Decodes the slots [lo, hi) (even addresses) from memory.</summary>
    private void Decode(ReadOnlySpan<byte> memory, ulong lo, ulong hi)
    {
        for (ulong a = lo; a < hi; a += 2)
        {
            if (a < ExecLo) { Insns[a >> 1] = new RiscvInsn { Op = RiscvOp.FetchFault, Rd = 32 }; continue; }
            ushort l = (ushort)(memory[(int)a] | memory[(int)a + 1] << 8);
            ushort h = a + 4 <= ExecHi ? (ushort)(memory[(int)a + 2] | memory[(int)a + 3] << 8) : (ushort)0;
            var insn = RiscvDecoder.Decode(l, h);
            if (insn.Len == 4 && a + 4 > ExecHi) insn = new RiscvInsn { Op = RiscvOp.FetchFault, Rd = 32, Len = 4 };
            Insns[a >> 1] = insn;
        }
    }

    /// <summary>Bytes [va, va+n) of the text were written: decodes again every slot whose instruction they
    /// could be part of (one starting up to 2 bytes before them, as a 4-byte instruction may).</summary>
    public void Redecode(ReadOnlySpan<byte> memory, ulong va, ulong n)
    {
        if (n == 0 || va >= ExecHi || va + n <= ExecLo) return;
        ulong lo = Math.Max(va & ~1UL, ExecLo);
        lo = lo >= ExecLo + 2 ? lo - 2 : ExecLo;
        ulong hi = Math.Min((va + n + 1) & ~1UL, ExecHi);
        Decode(memory, lo, hi);
    }

    /// <summary>A copy (a fork of a process whose text is writable: each process decodes its own writes).</summary>
    public RiscvCode Clone() => new((RiscvInsn[])Insns.Clone(), ExecLo, ExecHi);
}

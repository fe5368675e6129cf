// tests/machine/Riscv: the machine's RV64IMC interpreter on its own (machine/Riscv): instruction semantics
// (division by zero and overflow, high multiplies, word ops and sign extension, shifts, loads and stores
// of every width, branches and jumps), the compressed forms giving the same results as the full ones,
// xv6's memory permissions (text not writable, the guard page, nothing beyond the size), the page pool,
// fork's copy, and the instruction budget.
using System.Numerics;
using RedLeaf.Hardware.Riscv;
using Xunit;

namespace RedLeaf.Tests.Riscv;

[Trait("suite", "riscv")]
public class RiscvInterpreterTests
{
    private const int PG = 4096;

    /// <summary>A process holding <paramref name="text"/> at 0, <paramref name="pages"/> pages, no protection unless asked.</summary>
    private static RiscvHart Load(byte[] text, int pages = 8, RiscvMemoryPool? pool = null, bool protect = false)
    {
        var space = new RiscvAddressSpace(pool ?? new RiscvMemoryPool(1 << 20));
        Assert.True(space.Resize((ulong)pages * PG));
        space.Load(0, text);
        ulong textEnd = ((ulong)text.Length + PG - 1) & ~(ulong)(PG - 1);
        if (protect) space.SetLayout(textEnd, (ulong)(pages - 2) * PG);
        return new RiscvHart(space, RiscvCode.Build(space.Bytes, 0, textEnd));
    }

    private const string Alu = """
        li t0, -7
        li t1, 2
        li t2, 0
        li t3, 0x8000000000000000
        li t4, -1
        div a0, t0, t1
        rem a1, t0, t1
        divu a2, t0, t1
        div a3, t0, t2
        rem a4, t0, t2
        divu a5, t0, t2
        remu a6, t0, t2
        div a7, t3, t4
        rem s0, t3, t4
        mulh s1, t3, t4
        mulhu s2, t0, t0
        mulhsu s3, t0, t1
        divw s4, t0, t1
        remuw s5, t0, t1
        addiw s6, t3, -1
        sraiw s7, t0, 1
        srliw s8, t0, 1
        sllw s9, t1, t1
        sra s10, t0, t1
        sltu s11, t1, t0
        slt t5, t1, t0
        mul t6, t0, t0
        ebreak
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ArithmeticFollowsTheSpecification(bool compressed)
    {
        var hart = Load(RiscvAsm.Assemble(Alu, compressed));
        Assert.Equal(RiscvStop.Breakpoint, hart.Run(1000));
        ulong m7 = unchecked((ulong)-7L), min = 0x8000000000000000UL;
        var expect = new Dictionary<int, ulong>
        {
            [10] = unchecked((ulong)-3L),
            [11] = unchecked((ulong)-1L),
            [12] = m7 / 2,
            [13] = ulong.MaxValue,
            [14] = m7,
            [15] = ulong.MaxValue,
            [16] = m7,
            [17] = min,
            [8] = 0,
            [9] = 0,
            [18] = (ulong)((new BigInteger(m7) * m7) >> 64),
            [19] = ulong.MaxValue,
            [20] = unchecked((ulong)-3L),
            [21] = 1,
            [22] = ulong.MaxValue,
            [23] = unchecked((ulong)-4L),
            [24] = 0x7ffffffc,
            [25] = 8,
            [26] = unchecked((ulong)-2L),
            [27] = 1,
            [30] = 0,
            [31] = 49,
        };
        foreach (var (reg, value) in expect) Assert.True(value == hart[reg], $"x{reg}: expected {value:x}, got {hart[reg]:x}");
        Assert.Equal(0UL, hart[0]);
    }

    private const string MemoryAndControl = """
        lla s0, data
        li t0, 0x1122334455667788
        sd t0, 0(s0)
        lb a0, 7(s0)
        lbu a1, 0(s0)
        lh a2, 6(s0)
        lhu a3, 2(s0)
        lw a4, 4(s0)
        lwu a5, 0(s0)
        ld a6, 0(s0)
        li t1, -1
        sb t1, 8(s0)
        sh t1, 10(s0)
        sw t1, 12(s0)
        lb s1, 8(s0)
        lhu s2, 10(s0)
        lw s3, 12(s0)
        ld s4, 8(s0)
        li s5, 0
        li t2, 100
        1: add s5, s5, t2
        addi t2, t2, -1
        bnez t2, 1b
        call f
        li x0, 5
        ebreak
        f: li s7, 42
        ret
        .balign 8
        data: .dword 0, 0
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadsStoresBranchesAndCalls(bool compressed)
    {
        var hart = Load(RiscvAsm.Assemble(MemoryAndControl, compressed));
        Assert.Equal(RiscvStop.Breakpoint, hart.Run(10_000));
        Assert.Equal(0x11UL, hart[10]);
        Assert.Equal(0x88UL, hart[11]);
        Assert.Equal(0x1122UL, hart[12]);
        Assert.Equal(0x5566UL, hart[13]);
        Assert.Equal(0x11223344UL, hart[14]);
        Assert.Equal(0x55667788UL, hart[15]);
        Assert.Equal(0x1122334455667788UL, hart[16]);
        Assert.Equal(ulong.MaxValue, hart[9]);
        Assert.Equal(0xffffUL, hart[18]);
        Assert.Equal(ulong.MaxValue, hart[19]);
        Assert.Equal(0xffffffffffff00ffUL, hart[20]); // bytes 8..15: ff, 00, ff ff, ff ff ff ff
        Assert.Equal(5050UL, hart[21]);
        Assert.Equal(42UL, hart[23]);
        Assert.Equal(0UL, hart[0]);
    }

    // Every compressed form RV64C has (but floating point), each written as its full instruction.
    private const string CompressibleForms = """
        addi a0, sp, 16
        lw a1, 4(a2)
        ld a3, 8(a4)
        sw a5, 12(s0)
        sd s1, 16(a0)
        addi a0, a0, -5
        addiw a1, a1, 7
        li a2, -3
        addi sp, sp, -64
        lui a3, 0x1f
        srli s0, s0, 3
        srai s1, s1, 63
        andi a4, a4, -2
        sub a0, a0, a1
        xor a2, a2, a3
        or a4, a4, a5
        and s0, s0, s1
        subw a0, a0, a5
        addw a1, a1, a4
        1: beqz a0, 1b
        bnez s1, 1b
        j 1b
        slli t0, t0, 12
        lw t1, 60(sp)
        ld t2, 504(sp)
        sw t3, 12(sp)
        sd t4, 256(sp)
        jr ra
        jalr t0
        add t5, x0, t6
        add s2, s2, s3
        ebreak
        """;

    [Fact]
    public void EveryCompressedFormDecodesAsItsFullInstruction()
    {
        var full = RiscvAsm.Assemble(CompressibleForms, false);
        var small = RiscvAsm.Assemble(CompressibleForms, true);
        var fc = RiscvCode.Build(full, 0, (ulong)full.Length & ~1UL);
        var sc = RiscvCode.Build(small, 0, (ulong)small.Length & ~1UL);
        ulong fp = 0, sp = 0;
        int n = 0, compressed = 0;
        for (; ; n++)
        {
            var f = fc.At(fp);
            var c = sc.At(sp);
            Assert.Equal(4, f.Len);
            Assert.True(f.Op == c.Op && f.Rd == c.Rd && f.Rs1 == c.Rs1 && f.Rs2 == c.Rs2, $"instruction {n}: full {f}, compressed {c}");
            bool pcRelative = f.Op is RiscvOp.Beq or RiscvOp.Bne or RiscvOp.Jal;
            if (!pcRelative) Assert.True(f.Imm == c.Imm, $"instruction {n}: full {f}, compressed {c}");
            else Assert.Equal(f.Imm < 0, c.Imm < 0);
            if (c.Len == 2) compressed++;
            if (f.Op == RiscvOp.Ebreak) break;
            fp += f.Len;
            sp += c.Len;
        }
        Assert.Equal(32, n + 1);
        Assert.True(compressed >= 31, $"only {compressed} of {n + 1} were compressed by the assembler");
    }

    [Fact]
    public void IllegalAndPrivilegedInstructionsFault()
    {
        // all ones; csrr a0, mstatus; fadd.s f0, f1, f2; mret; wfi; c.fld; the all-zero halfword
        foreach (var src in new[] { ".word 0xffffffff", ".word 0x30002573", ".word 0x00208053", ".word 0x30200073", ".word 0x10500073", ".half 0x2000", ".half 0" })
        {
            var hart = Load(RiscvAsm.Assemble(src, true));
            Assert.True(RiscvStop.IllegalInstruction == hart.Run(10), src);
            Assert.Equal(0UL, hart.FaultPc);
        }
    }

    [Theory]
    [InlineData("read text", "lb a0, 0(a1)", 0x10, null)]
    [InlineData("write text", "sb a0, 0(a1)", 0x10, RiscvStop.StoreFault)]
    [InlineData("read data", "lb a0, 0(a1)", 2 * PG + 8, null)]
    [InlineData("write data", "sd a0, 0(a1)", 2 * PG + 8, null)]
    [InlineData("read guard", "lb a0, 0(a1)", 6 * PG + 100, RiscvStop.LoadFault)]
    [InlineData("write guard", "sb a0, 0(a1)", 6 * PG, RiscvStop.StoreFault)]
    [InlineData("read beyond", "lw a0, 0(a1)", 8 * PG, RiscvStop.LoadFault)]
    [InlineData("read last word", "lw a0, 0(a1)", 8 * PG - 4, null)]
    [InlineData("read across the end", "lw a0, 0(a1)", 8 * PG - 2, RiscvStop.LoadFault)]
    [InlineData("write beyond", "sh a0, 0(a1)", 8 * PG + 5, RiscvStop.StoreFault)]
    [InlineData("read wild", "ld a0, 0(a1)", 0x7fff_0000_0000, RiscvStop.LoadFault)]
    [InlineData("read stack", "lb a0, 0(a1)", 7 * PG + 8, null)]
    [InlineData("write stack", "sw a0, 0(a1)", 7 * PG + 8, null)]
    [InlineData("jump to data", "jr a1", 2 * PG, RiscvStop.FetchFault)]
    [InlineData("jump beyond", "jr a1", 9 * PG, RiscvStop.FetchFault)]
    [InlineData("jump into text", "jr a1", 0, null)]
    public void MemoryHasXv6sPermissions(string what, string probe, long address, RiscvStop? fault)
    {
        // Pages: 0 text (read-only), 1..5 data, 6 guard, 7 stack; size 8 pages.
        var hart = Load(RiscvAsm.Assemble(probe + "\nnop\nnop", true), protect: true);
        hart[11] = (ulong)address;
        var stop = hart.Run(2);
        if (fault is null) Assert.True(stop is RiscvStop.Budget, $"{what}: {stop}");
        else
        {
            Assert.True(fault == stop, $"{what}: {stop}");
            Assert.Equal((ulong)address, hart.FaultAddress);
        }
    }

    [Fact]
    public void AnAccessStraddlingTheGuardPageFaults()
    {
        var hart = Load(RiscvAsm.Assemble("ld a0, 0(a1)\nebreak", false), protect: true);
        hart[11] = 6 * PG - 4; // the last 4 bytes below the guard page and 4 in it
        Assert.Equal(RiscvStop.LoadFault, hart.Run(10));
    }

    [Fact]
    public void TheBudgetCountsRetiredInstructionsAndResumes()
    {
        var hart = Load(RiscvAsm.Assemble("1: addi a0, a0, 1\nj 1b", true));
        Assert.Equal(RiscvStop.Budget, hart.Run(1000));
        Assert.Equal(1000, hart.Retired);
        Assert.Equal(500UL, hart[10]);
        Assert.Equal(RiscvStop.Budget, hart.Run(1001)); // starts at the addi: 501 of them
        Assert.Equal(1001UL, hart[10]);
        Assert.Equal(2001, hart.Retired);
    }

    [Fact]
    public void TheLoopAllocatesNothing()
    {
        var hart = Load(RiscvAsm.Assemble(MemoryAndControl.Replace("ebreak", "j _start"), true));
        hart.Run(10_000); // JIT
        // The least of three runs: the runtime may now and then allocate on this thread for itself (the JIT,
        // the thread pool), but an allocation per instruction would show in every run, a million times over.
        long least = long.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var stop = hart.Run(1_000_000);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(RiscvStop.Budget, stop);
            least = Math.Min(least, allocated);
        }
        Assert.Equal(0, least);
    }

    [Fact]
    public void ThePoolIsFiniteAndGetsEveryPageBack()
    {
        var pool = new RiscvMemoryPool(100 * PG);
        var a = new RiscvAddressSpace(pool);
        Assert.True(a.Resize(40 * PG));
        Assert.Equal(60, pool.FreePages);
        var b = new RiscvAddressSpace(pool);
        Assert.False(b.Resize(61 * PG));                   // only 60 left: refused, nothing taken
        Assert.Equal(60, pool.FreePages);
        Assert.True(b.Resize(60 * PG));
        Assert.Equal(0, pool.FreePages);
        Assert.Null(a.Clone());                            // fork's copy needs 40 pages
        b.Free();
        var c = a.Clone();
        Assert.NotNull(c);
        Assert.Equal(20, pool.FreePages);
        a.Free();
        a.Free();                                          // idempotent
        c!.Free();
        Assert.Equal(100, pool.FreePages);
    }

    [Fact]
    public void ShrinkingZeroesAndCloneIsACopy()
    {
        var pool = new RiscvMemoryPool(64 * PG);
        var a = new RiscvAddressSpace(pool);
        Assert.True(a.Resize(4 * PG));
        Assert.True(a.CopyOut(3 * PG, new byte[] { 1, 2, 3 }));
        var c = a.Clone()!;
        Assert.True(a.CopyOut(3 * PG, new byte[] { 9 }));
        var got = new byte[3];
        Assert.True(c.CopyIn(3 * PG, got));
        Assert.Equal(new byte[] { 1, 2, 3 }, got);        // the copy did not see the parent's later write
        Assert.True(a.Resize(3 * PG));
        Assert.False(a.CopyIn(3 * PG, got));               // gone
        Assert.True(a.Resize(4 * PG));
        Assert.True(a.CopyIn(3 * PG, got));
        Assert.Equal(new byte[3], got);                    // and back as zeros
        a.Free();
        c.Free();
        Assert.Equal(64, pool.FreePages);
    }

    /// <summary>The host array follows the pool (os/README.md, class 9): growth keeps at most 4 MiB of room, a
    /// shrink gives the host memory back, and regrowing after a shrink still reads zeros and keeps the contents.</summary>
    [Fact]
    public void HostMemoryFollowsThePagesHeld()
    {
        var pool = new RiscvMemoryPool(128L << 20);
        var a = new RiscvAddressSpace(pool);
        Assert.True(a.Resize(PG));
        Assert.True(a.CopyOut(100, new byte[] { 7 }));
        Assert.True(a.Resize(96UL << 20));
        Assert.InRange(a.HostBytes, 96L << 20, (96L << 20) + (long)RiscvAddressSpace.MaxSlack);
        Assert.True(a.Resize(2 * PG));
        Assert.InRange(a.HostBytes, 2 * PG, 64 * PG);      // shrunk: the 96 MiB array is gone
        var got = new byte[1];
        Assert.True(a.CopyIn(100, got));
        Assert.Equal(7, got[0]);                           // what was kept is still there
        for (int i = 0; i < 200; i++) { Assert.True(a.Resize(3 * PG)); Assert.True(a.Resize(2 * PG)); }
        Assert.True(a.Resize(8 * PG));
        var page = new byte[PG];
        Assert.True(a.CopyIn(7 * PG, page));
        Assert.All(page, b => Assert.Equal(0, b));
        a.Free();
        Assert.Equal(pool.TotalPages, pool.FreePages);
    }

    /// <summary>The decoded text is charged to the pool: a text the pool cannot hold is refused, nothing taken;
    /// a fork's copy is charged again; Free gives everything back.</summary>
    [Fact]
    public void DecodedTextIsChargedToThePool()
    {
        var pool = new RiscvMemoryPool(100 * PG);
        var a = new RiscvAddressSpace(pool);
        Assert.True(a.Resize(10 * PG));
        Assert.False(a.ChargeText(91));
        Assert.Equal(90, pool.FreePages);
        Assert.True(a.ChargeText(30));
        Assert.Equal(60, pool.FreePages);
        var c = a.Clone();
        Assert.NotNull(c);
        Assert.Equal(20, pool.FreePages);
        Assert.Null(a.Clone());                            // 40 more pages are not there
        a.Free();
        c!.Free();
        Assert.Equal(100, pool.FreePages);
    }
}

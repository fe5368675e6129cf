// domains/rv6/user/riscv: exec: reads an ELF64 RISC-V executable through the system calls, checks it,
// and builds a process with xv6's layout (kernel/exec.c): the PT_LOAD segments at their addresses from
// 0, then a guard page and one 4 KiB stack page holding argv (strings, then the pointer array, each
// 16-byte aligned), sp at the top; argc in a0, argv in a1. The heap grows from the top of the stack
// page with sbrk. Non-writable segments become read-only (and text executable); they must lie below
// the writable ones, as every linker lays them out. A segment both writable and executable (`ld -N`,
// as xv6 links forktest) is mapped so, as xv6 maps it: the machine keeps its decoded text current. Anything else is refused with a reason: a corrupt
// ELF fails exec with a message, never rv6. What a file claims is bounded before the host acts on it: at most
// 64 program headers, text ending by 4 MiB (the machine decodes text from address 0, 8 pool bytes per byte),
// segments inside the file and the 1 GiB address space, not overlapping; memory comes from the pool.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Riscv;

public sealed partial class RiscvProgram
{
    private const int PG = 4096;
    private const int MaxElf = 16 << 20;
    /// <summary>Program headers a table may hold: 64 (Linux refuses a table over 4 KiB, 73 headers).</summary>
    private const int MaxProgramHeaders = 64;
    /// <summary>Where text must end: 4 MiB. The interpreter decodes text from address 0, 16 host bytes per 2-byte
    /// slot, so 4 MiB of text is 32 MiB of the pool (RiscvProcess.TextCost); a bigger claim is refused unread.</summary>
    private const ulong MaxTextEnd = 4UL << 20;

    /// <summary>True if the first bytes of a file are ELF's magic.</summary>
    public static bool IsElf(ReadOnlySpan<byte> b) => b.Length >= 4 && b[0] == 0x7f && b[1] == (byte)'E' && b[2] == (byte)'L' && b[3] == (byte)'F';

    private static ulong U64(byte[] b, int o) { ulong v = 0; for (int i = 7; i >= 0; i--) v = v << 8 | b[o + i]; return v; }
    private static uint U32(byte[] b, int o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);
    private static ushort U16(byte[] b, int o) => (ushort)(b[o] | b[o + 1] << 8);
    private static ulong RoundUp(ulong a) => (a + PG - 1) & ~(ulong)(PG - 1);

    /// <summary>Reads the whole file at path; null and a reason if it cannot.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoOptimization)] // cold: once per exec (see riscv.cs, Main)
    private byte[]? ReadFile(string path, out string? error)
    {
        error = null;
        var p = RRefArray<byte>.From(Bytes(path));
        int fd;
        try { fd = Value(sys.Open(p, OpenMode.ReadOnly)); }
        finally { p.Drop(); }
        if (fd < 0) { error = "no such file"; return null; }
        try
        {
            var st = sys.Fstat(fd);
            if (!st.IsOk || st.Value.Type != FileType.File) { error = "not a file"; return null; }
            if (st.Value.Size > MaxElf) { error = $"{st.Value.Size} bytes is too big (at most {MaxElf})"; return null; }
            var data = new byte[(int)st.Value.Size];
            int off = 0;
            var buf = new byte[Chunk];
            while (off < data.Length)
            {
                int n = ReadBytes(fd, buf, Math.Min(Chunk, data.Length - off));
                if (n <= 0) { error = "read failed"; return null; }
                Array.Copy(buf, 0, data, off, n);
                off += n;
            }
            return data;
        }
        finally { sys.Close(fd); }
    }

    /// <summary>A new process running the ELF at path with argv; null and a reason if it is not a valid
    /// executable (<paramref name="isElf"/>: the file exists and starts with ELF's magic).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoOptimization)] // cold: once per exec (see riscv.cs, Main)
    private RiscvProcess? Exec(string path, string[] argv, out string? error, out bool isElf)
    {
        var elf = ReadFile(path, out error);
        isElf = elf is not null && IsElf(elf);
        if (elf is null) return null;
        if (argv.Length > MAXARG) { error = $"more than {MAXARG} arguments"; return null; }
        return Build(elf, argv, out error);
    }

    private struct Segment
    {
        public ulong Vaddr, Memsz, Filesz, Offset;
        public uint Flags;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoOptimization)] // cold: once per exec (see riscv.cs, Main)
    private RiscvProcess? Build(byte[] elf, string[] argv, out string? error)
    {
        error = null;
        if (!IsElf(elf)) { error = "not an ELF file (bad magic)"; return null; }
        if (elf.Length < 64) { error = "truncated ELF header"; return null; }
        if (elf[4] != 2 || elf[5] != 1) { error = "not a 64-bit little-endian ELF"; return null; }
        if (U16(elf, 18) != 243) { error = $"not a RISC-V executable (e_machine {U16(elf, 18)})"; return null; }
        if (U16(elf, 16) != 2) { error = $"not an executable (e_type {U16(elf, 16)}; position-independent executables are not supported)"; return null; }
        ulong entry = U64(elf, 24), phoff = U64(elf, 32);
        int phentsize = U16(elf, 54), phnum = U16(elf, 56);
        if (phentsize != 56 || phnum == 0 || phoff > (ulong)elf.Length || (ulong)phnum * 56 > (ulong)elf.Length - phoff)
        { error = "bad program header table"; return null; }
        if (phnum > MaxProgramHeaders) { error = $"{phnum} program headers (at most {MaxProgramHeaders})"; return null; }

        var segs = new List<Segment>();
        for (int i = 0; i < phnum; i++)
        {
            int o = (int)phoff + i * 56;
            if (U32(elf, o) != 1) continue; // PT_LOAD only
            var s = new Segment { Flags = U32(elf, o + 4), Offset = U64(elf, o + 8), Vaddr = U64(elf, o + 16), Filesz = U64(elf, o + 32), Memsz = U64(elf, o + 40) };
            if (s.Memsz < s.Filesz) { error = $"segment {i}: memsz < filesz"; return null; }
            if (s.Vaddr + s.Memsz < s.Vaddr || s.Vaddr + s.Memsz > 1UL << 30) { error = $"segment {i}: address range overflows"; return null; }
            if (s.Vaddr % PG != 0) { error = $"segment {i}: address 0x{s.Vaddr:x} is not page-aligned"; return null; }
            if (s.Offset > (ulong)elf.Length || s.Filesz > (ulong)elf.Length - s.Offset) { error = $"segment {i} lies outside the file"; return null; }
            segs.Add(s);
        }
        if (segs.Count == 0) { error = "no loadable segments"; return null; }

        ulong end = 0, roEnd = 0, execLo = ulong.MaxValue, execHi = 0, writableLo = ulong.MaxValue;
        foreach (var s in segs)
        {
            end = Math.Max(end, s.Vaddr + s.Memsz);
            if ((s.Flags & 2) == 0) roEnd = Math.Max(roEnd, RoundUp(s.Vaddr + s.Memsz));
            else writableLo = Math.Min(writableLo, s.Vaddr);
            if ((s.Flags & 1) != 0) { execLo = Math.Min(execLo, s.Vaddr); execHi = Math.Max(execHi, s.Vaddr + s.Memsz); }
        }
        if (execHi == 0) { error = "no executable segment"; return null; }
        if (execHi > MaxTextEnd)
        {
            error = $"the text ends at 0x{execHi:x}: text is decoded from address 0, {RiscvProcess.TextCost(execHi) >> 20} MiB for this one; it must end by 0x{MaxTextEnd:x} ({MaxTextEnd >> 20} MiB)";
            return null;
        }
        if (writableLo < roEnd) { error = "a writable segment lies below read-only ones (unsupported layout)"; return null; }
        // Overlapping segments would let one's bytes land in another's permissions: refuse them.
        var sorted = segs.OrderBy(s => s.Vaddr).ToList();
        for (int i = 1; i < sorted.Count; i++)
            if (sorted[i].Vaddr < RoundUp(sorted[i - 1].Vaddr + sorted[i - 1].Memsz)) { error = "segments overlap"; return null; }

        ulong sz = RoundUp(end) + 2 * PG;
        var p = machine.Create();
        bool ok = false;
        try
        {
            if (!p.Resize(sz)) { error = "out of memory"; return null; }
            foreach (var s in segs) p.Load(s.Vaddr, elf.AsSpan((int)s.Offset, (int)s.Filesz));
            ulong guard = sz - 2 * PG;
            p.SetLayout(roEnd, guard);

            // argv on the stack page, as exec.c pushes it.
            ulong sp = sz, stackbase = sp - PG;
            var ustack = new ulong[argv.Length + 1];
            for (int i = 0; i < argv.Length; i++)
            {
                var a = Bytes(argv[i]);
                sp -= (ulong)a.Length + 1;
                sp -= sp % 16;
                if (sp < stackbase) { error = "arguments do not fit on the stack page"; return null; }
                var z = new byte[a.Length + 1];
                a.CopyTo(z, 0);
                if (!p.CopyOut(sp, z)) { error = "stack"; return null; }
                ustack[i] = sp;
            }
            sp -= (ulong)(argv.Length + 1) * 8;
            sp -= sp % 16;
            if (sp < stackbase) { error = "arguments do not fit on the stack page"; return null; }
            var ptrs = new byte[ustack.Length * 8];
            for (int i = 0; i < ustack.Length; i++)
                for (int k = 0; k < 8; k++) ptrs[i * 8 + k] = (byte)(ustack[i] >> (8 * k));
            if (!p.CopyOut(sp, ptrs)) { error = "stack"; return null; }

            if (!p.Start(execLo & ~1UL, (execHi + 1) & ~1UL, entry)) { error = "out of memory (the decoded text)"; return null; }
            p.SetRegister(2, sp);
            p.SetRegister(10, (ulong)argv.Length);
            p.SetRegister(11, sp);
            ok = true;
            return p;
        }
        finally
        {
            if (!ok) p.Free();
        }
    }
}

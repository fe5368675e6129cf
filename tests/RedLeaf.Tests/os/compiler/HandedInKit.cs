// tests/os/compiler: the tools of the handed-in attacks (HandedInAttacks.cs): what a student hands in that
// is not domain code. RISC-V programs written in C and built with riscv64-linux-gnu-gcc against rv6's
// C library (domains/rv6/cuser/lib, as RiscvPrograms builds its own), executables crafted byte by byte
// (an ELF header, program headers, a few hand-encoded instructions), and xv6 images made by mkfs and
// then patched (an inode's block addresses, a directory entry's name). The collection runs alone: the
// attacks measure the host process's memory, which another test's allocations would blur.
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Domains.Rv6.Fs.Disk;
using RedLeaf.Systems.Rv6;
using RedLeaf.Xv6;
using Xunit;

namespace RedLeaf.Tests.Hostile;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HandedInCollection
{
    public const string Name = "handed-in";
}

internal static class HandedInKit
{
    /// <summary>An ELF segment: where it lies, what it holds (its file bytes), how much memory it claims, R/W/X.</summary>
    public sealed record Segment(ulong Vaddr, byte[] Bytes, ulong Memsz, uint Flags);

    public const uint R = 4, W = 2, X = 1;

    /// <summary>exit(0) as xv6's ABI makes it: li a0, 0; li a7, SYS_exit (2); ecall.</summary>
    public static readonly byte[] ExitZero = Words(0x00000513, 0x00200893, 0x00000073);

    private static byte[] Words(params uint[] w) => w.SelectMany(BitConverter.GetBytes).ToArray();

    /// <summary>An ELF64 RISC-V executable: the header, <paramref name="phnum"/> program headers (the segments'
    /// PT_LOADs first, then PT_NULLs), each segment's bytes at a page-aligned offset. Entry at the first segment.</summary>
    public static byte[] Elf(IReadOnlyList<Segment> segs, int phnum = -1, ulong? entry = null)
    {
        if (phnum < 0) phnum = segs.Count;
        int phoff = 64, table = phoff + 56 * phnum;
        var offsets = new List<int>();
        int at = (table + 4095) & ~4095;
        foreach (var s in segs) { offsets.Add(at); at += (s.Bytes.Length + 4095) & ~4095; }
        var b = new byte[Math.Max(at, table)];
        b[0] = 0x7f; b[1] = (byte)'E'; b[2] = (byte)'L'; b[3] = (byte)'F';
        b[4] = 2; b[5] = 1; b[6] = 1;
        Put16(b, 16, 2);    // ET_EXEC
        Put16(b, 18, 243);  // EM_RISCV
        Put32(b, 20, 1);
        Put64(b, 24, entry ?? segs[0].Vaddr);
        Put64(b, 32, (ulong)phoff);
        Put16(b, 52, 64);
        Put16(b, 54, 56);
        Put16(b, 56, (ushort)phnum);
        for (int i = 0; i < segs.Count; i++)
        {
            int o = phoff + 56 * i;
            var s = segs[i];
            Put32(b, o, 1); // PT_LOAD
            Put32(b, o + 4, s.Flags);
            Put64(b, o + 8, (ulong)offsets[i]);
            Put64(b, o + 16, s.Vaddr);
            Put64(b, o + 24, s.Vaddr);
            Put64(b, o + 32, (ulong)s.Bytes.Length);
            Put64(b, o + 40, s.Memsz);
            Put64(b, o + 48, 4096);
            s.Bytes.CopyTo(b, offsets[i]);
        }
        return b;
    }

    private static void Put16(byte[] b, int o, ushort v) => BitConverter.GetBytes(v).CopyTo(b, o);
    private static void Put32(byte[] b, int o, uint v) => BitConverter.GetBytes(v).CopyTo(b, o);
    private static void Put64(byte[] b, int o, ulong v) => BitConverter.GetBytes(v).CopyTo(b, o);

    /// <summary>A C program built as rv6's own are (RiscvPrograms.Flags, rv6's C library), cached by its source.</summary>
    public static byte[] CompileC(string name, string source)
    {
        string lib = Path.Combine(RiscvPrograms.SourceFolder, "lib");
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(' ', RiscvPrograms.Flags) + "\0" + source +
            string.Concat(Directory.GetFiles(lib).Order(StringComparer.Ordinal).Select(File.ReadAllText)))))[..16].ToLowerInvariant();
        string root = Environment.GetEnvironmentVariable("REDLEAF_CACHE_DIR") is { Length: > 0 } c && c != "off"
            ? c : Path.Combine(Path.GetTempPath(), "redleaf-hostile");
        string dir = Path.Combine(root, "riscv-hostile");
        Directory.CreateDirectory(dir);
        string elf = Path.Combine(dir, $"{name}-{hash}");
        if (File.Exists(elf)) return File.ReadAllBytes(elf);
        string src = Path.Combine(dir, $"{name}-{hash}.c");
        File.WriteAllText(src, source);
        var psi = new ProcessStartInfo(RiscvPrograms.Compiler) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in RiscvPrograms.Flags) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "-I" + lib, "-T", Path.Combine(lib, "riscv.ld"), "-o", elf + ".tmp",
                     Path.Combine(lib, "start.S"), Path.Combine(lib, "usys.S"), Path.Combine(lib, "ulib.c"), src })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{RiscvPrograms.Compiler} failed on {name}.c:\n{err}");
        File.Move(elf + ".tmp", elf, overwrite: true);
        return File.ReadAllBytes(elf);
    }

    public delegate void InodeEdit(ref DiskInode ip);

    /// <summary>Changes, in place, the on-disk inode that <paramref name="path"/> names in an image.</summary>
    public static void PatchInode(byte[] image, string path, InodeEdit edit)
    {
        var fs = FsImage.Load(image, "crafted");
        uint inum = fs.Lookup(path) ?? throw new ArgumentException($"{path} is not in the image");
        var block = image.AsSpan((int)(Layout.IBLOCK(inum, fs.Sb) * Layout.BSIZE), Layout.BSIZE);
        var ip = DiskInode.Read(block, inum);
        edit(ref ip);
        ip.Write(block, inum);
    }

    /// <summary>Renames, in place, the directory entry called <paramref name="name"/> in the root of an image
    /// to the raw bytes <paramref name="raw"/> (at most DIRSIZ; anything a byte can be).</summary>
    public static void RenameRaw(byte[] image, string name, byte[] raw)
    {
        var fs = FsImage.Load(image, "crafted");
        var root = fs.Inode(Layout.ROOTINO);
        var want = Encoding.ASCII.GetBytes(name);
        for (uint bn = 0; bn * Layout.BSIZE < root.size; bn++)
        {
            uint addr = fs.Bmap(Layout.ROOTINO, root, bn);
            var block = image.AsSpan((int)(addr * Layout.BSIZE), Layout.BSIZE);
            for (int off = 0; off + DirEntry.Size <= Layout.BSIZE; off += DirEntry.Size)
            {
                var de = DirEntry.Read(block, off);
                if (de.inum == 0 || !de.NameIs(want)) continue;
                block.Slice(off + 2, Layout.DIRSIZ).Clear();
                raw.CopyTo(block[(off + 2)..]);
                return;
            }
        }
        throw new ArgumentException($"{name} is not in the root of the image");
    }

    /// <summary>The problems fsck finds, as a sorted list of messages (to compare an image before and after an attack).</summary>
    public static IReadOnlyList<string> Damage(byte[] image) =>
        Fsck.Check(image, "image").Problems.Select(p => p.ToString()).Order(StringComparer.Ordinal).ToList();

    /// <summary>The managed heap after full, compacting collections (large objects included).</summary>
    public static long HeapBytes()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Waits (at most 20 s) until every RISC-V process of <paramref name="rv6"/> has ended and its pages are back.</summary>
    public static void AssertNoProcessLeft(Rv6System rv6)
    {
        var pool = rv6.Loader.Riscv.Pool;
        var sw = Stopwatch.StartNew();
        while ((rv6.Loader.Live > 0 || pool.FreePages != pool.TotalPages) && sw.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(20);
        Assert.Equal(0, rv6.Loader.Live);
        Assert.Equal(pool.TotalPages, pool.FreePages);
        Assert.Equal(0, rv6.Loader.Riscv.ParkedCount);
    }
}

// domains/rv6/user/benchfs: the file-system throughput load (rv6's own; RedLeaf's recovery figure runs
// this workload): writes a file sequentially in 4 KiB writes, then reads it back in 4 KiB reads,
// checking every byte, and prints the throughput of each phase:
//     benchfs [KiB [rounds [file]]]
// KiB defaults to 256 and is at most xv6's largest file (MAXFILE blocks, 268 KiB); each round rewrites
// the file from its start (O_TRUNC) and reads it all, so rounds make a longer run. Times come from the
// clock (DateTime.UtcNow), output is one line per phase:
//     benchfs: write 256 KiB x 4 in 0.123 s: 8.33 MB/s
// (MB = 10^6 bytes). The file is removed at the end. Exit 1 if anything failed or read back wrong.
using System.Globalization;
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class Benchfs : UserProgram
{
    private const int CHUNK = 4096;
    private string file = "benchfs.tmp";

    public Benchfs(ISyscalls sys) : base(sys) { }

    protected override int Main(string[] argv)
    {
        int kib = argv.Length > 1 ? Atoi(argv[1]) : 256;
        int rounds = argv.Length > 2 ? Atoi(argv[2]) : 1;
        if (argv.Length > 3) file = argv[3];
        if (kib <= 0 || kib * 1024L > MAXFILE * BSIZE || rounds <= 0)
        {
            Fprintf(2, $"usage: benchfs [KiB (1..{MAXFILE * BSIZE / 1024}) [rounds [file]]]\n");
            return 1;
        }
        long size = kib * 1024L;
        var buf = new byte[CHUNK];
        var got = new byte[CHUNK];
        TimeSpan writing = TimeSpan.Zero, reading = TimeSpan.Zero;

        for (int r = 0; r < rounds; r++)
        {
            var t0 = DateTime.UtcNow;
            int fd = Open(file, O_CREATE | O_TRUNC | O_WRONLY);
            if (fd < 0) return fail($"cannot create {file}");
            for (long off = 0; off < size; off += CHUNK)
            {
                int n = (int)Math.Min(CHUNK, size - off);
                Fill(buf, off, r);
                if (Write(fd, buf.AsSpan(0, n)) != n) { Close(fd); return fail($"write at {off} failed"); }
            }
            Close(fd);
            var t1 = DateTime.UtcNow;
            fd = Open(file, O_RDONLY);
            if (fd < 0) return fail($"cannot open {file}");
            for (long off = 0; off < size; off += CHUNK)
            {
                int n = (int)Math.Min(CHUNK, size - off);
                if (ReadFull(fd, got.AsSpan(0, n)) != n) { Close(fd); return fail($"short read at {off}"); }
                Fill(buf, off, r);
                if (!got.AsSpan(0, n).SequenceEqual(buf.AsSpan(0, n))) { Close(fd); return fail($"wrong data at {off}"); }
            }
            if (Read(fd, got) != 0) { Close(fd); return fail("file longer than written"); }
            Close(fd);
            var t2 = DateTime.UtcNow;
            writing += t1 - t0;
            reading += t2 - t1;
        }
        Unlink(file);
        report("write", kib, rounds, size * rounds, writing);
        report("read", kib, rounds, size * rounds, reading);
        return 0;
    }

    /// <summary>The chunk at <paramref name="off"/>: each 4-byte word holds its offset, mixed with the round.</summary>
    private static void Fill(byte[] buf, long off, int round)
    {
        for (int i = 0; i < buf.Length; i += 4)
        {
            uint w = (uint)(off + i) ^ (uint)(round * 0x9e3779b9);
            buf[i] = (byte)w;
            buf[i + 1] = (byte)(w >> 8);
            buf[i + 2] = (byte)(w >> 16);
            buf[i + 3] = (byte)(w >> 24);
        }
    }

    private void report(string phase, int kib, int rounds, long bytes, TimeSpan t)
    {
        double s = Math.Max(t.TotalSeconds, 1e-9);
        var inv = CultureInfo.InvariantCulture;
        Printf($"benchfs: {phase} {kib} KiB x {rounds} in {s.ToString("F3", inv)} s: {(bytes / s / 1e6).ToString("F2", inv)} MB/s\n");
    }

    private int fail(string what)
    {
        Fprintf(2, $"benchfs: {what}\n");
        Unlink(file);
        return 1;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new Benchfs(sys);
}

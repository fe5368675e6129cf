// domains/rv6/user/benchfs: the file-system throughput load (rv6's own; RedLeaf's recovery figure runs
// this workload): writes a file sequentially in 4 KiB writes, then reads it back in 4 KiB reads,
// checking every byte, and prints the throughput of each phase:
//     benchfs [-w|-r] [-t SECONDS] [KiB [rounds [file]]]
// KiB defaults to 256 and is at most xv6's largest file (MAXFILE blocks, 268 KiB); each round rewrites
// the file from its start (O_TRUNC) and reads it all, so rounds make a longer run. -w only writes
// (every round), -r writes the file once, untimed, then only reads; -t runs rounds until SECONDS have
// passed (what `redleaf bench recovery` uses). Times come from the clock (DateTime.UtcNow), output is
// one line per phase timed:
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
        bool doWrite = true, doRead = true;
        double seconds = 0;
        int a = 1;
        for (; a < argv.Length && argv[a].StartsWith('-'); a++)
        {
            if (argv[a] == "-w") doRead = false;
            else if (argv[a] == "-r") doWrite = false;
            else if (argv[a] == "-t" && a + 1 < argv.Length) seconds = Atoi(argv[++a]);
            else return usage();
        }
        int kib = argv.Length > a ? Atoi(argv[a]) : 256;
        int rounds = argv.Length > a + 1 ? Atoi(argv[a + 1]) : 1;
        if (argv.Length > a + 2) file = argv[a + 2];
        if (kib <= 0 || kib * 1024L > MAXFILE * BSIZE || rounds <= 0 || (!doWrite && !doRead) || seconds < 0) return usage();
        long size = kib * 1024L;
        var buf = new byte[CHUNK];
        var got = new byte[CHUNK];
        TimeSpan writing = TimeSpan.Zero, reading = TimeSpan.Zero;
        var until = seconds > 0 ? DateTime.UtcNow.AddSeconds(seconds) : DateTime.MaxValue;
        if (!doWrite && writeFile(size, 0, buf) is { } err0) return fail(err0); // -r: the file to read, untimed

        int done = 0;
        for (int r = 0; seconds > 0 ? DateTime.UtcNow < until : r < rounds; r++, done++)
        {
            int stampRound = doWrite ? r : 0;
            var t0 = DateTime.UtcNow;
            if (doWrite && writeFile(size, stampRound, buf) is { } err) return fail(err);
            var t1 = DateTime.UtcNow;
            if (doRead && readFile(size, stampRound, buf, got) is { } err2) return fail(err2);
            var t2 = DateTime.UtcNow;
            writing += t1 - t0;
            reading += t2 - t1;
        }
        Unlink(file);
        if (doWrite) report("write", kib, done, size * done, writing);
        if (doRead) report("read", kib, done, size * done, reading);
        return 0;
    }

    private int usage()
    {
        Fprintf(2, $"usage: benchfs [-w|-r] [-t SECONDS] [KiB (1..{MAXFILE * BSIZE / 1024}) [rounds [file]]]\n");
        return 1;
    }

    /// <summary>Writes the file from its start in 4 KiB writes; null, or what went wrong.</summary>
    private string? writeFile(long size, int round, byte[] buf)
    {
        int fd = Open(file, O_CREATE | O_TRUNC | O_WRONLY);
        if (fd < 0) return $"cannot create {file}";
        for (long off = 0; off < size; off += CHUNK)
        {
            int n = (int)Math.Min(CHUNK, size - off);
            Fill(buf, off, round);
            if (Write(fd, buf.AsSpan(0, n)) != n) { Close(fd); return $"write at {off} failed"; }
        }
        Close(fd);
        return null;
    }

    /// <summary>Reads the whole file in 4 KiB reads, checking every byte; null, or what went wrong.</summary>
    private string? readFile(long size, int round, byte[] buf, byte[] got)
    {
        int fd = Open(file, O_RDONLY);
        if (fd < 0) return $"cannot open {file}";
        for (long off = 0; off < size; off += CHUNK)
        {
            int n = (int)Math.Min(CHUNK, size - off);
            if (ReadFull(fd, got.AsSpan(0, n)) != n) { Close(fd); return $"short read at {off}"; }
            Fill(buf, off, round);
            if (!got.AsSpan(0, n).SequenceEqual(buf.AsSpan(0, n))) { Close(fd); return $"wrong data at {off}"; }
        }
        if (Read(fd, got) != 0) { Close(fd); return "file longer than written"; }
        Close(fd);
        return null;
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

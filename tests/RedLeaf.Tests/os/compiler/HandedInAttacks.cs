// tests/os/compiler: class 9 of issue 17 outside the compiler: what a student hands in besides domain code
// (os/README.md, "9. Bounds on what a student hands in"). RISC-V programs that grow and shrink until the
// host holds gigabytes, executables whose segments claim a text the host would decode into a gigabyte,
// a program that floods the console, xv6 images whose inodes point into the metadata, and images and
// folders whose names carry terminal escapes for the host tools to print. Each asserts containment:
// the attack fails or is bounded, rv6 and the host run on, the victim's data and the image are intact,
// and every page is back in the RISC-V pool.
using System.Diagnostics;
using System.Text;
using Domains.Rv6.Fs.Disk;
using RedLeaf.Systems.Rv6;
using RedLeaf.Tests.Cli;
using RedLeaf.Xv6;
using Xunit;
using Xunit.Abstractions;
using static RedLeaf.Tests.Hostile.HandedInKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
[Collection(HandedInCollection.Name)]
public class HandedInAttacks : IClassFixture<HandedInAttacks.Programs>
{
    private const long MiB = 1 << 20;
    private readonly Rv6System _rv6;
    private readonly ITestOutputHelper _out;

    public HandedInAttacks(Programs f, ITestOutputHelper output)
    {
        _rv6 = f.Rv6;
        _out = output;
    }

    /// <summary>One rv6 booted from an image holding rv6's RISC-V programs and the attackers' executables.</summary>
    public sealed class Programs : IDisposable
    {
        public Programs()
        {
            var code = ExitZero.Concat(new byte[4096 - ExitZero.Length]).ToArray();
            var extra = new List<(string, byte[])>
            {
                ("shrinker", CompileC("shrinker", Shrinker)),
                ("flood", CompileC("flood", Flood)),
                // One executable segment at 0 whose memory size claims 120 MiB (the pool holds 128): the text
                // the interpreter would decode is all of it, 16 bytes per 2-byte slot.
                ("text120", Elf(new[] { new Segment(0, code, 120 * (ulong)MiB, R | X) })),
                // A small executable segment placed at 95 MiB: the decoded text runs from address 0 to its end.
                ("texthigh", Elf(new[] { new Segment(95 * (ulong)MiB, code, 4096, R | X) })),
            };
            Rv6 = Rv6System.Boot(new Rv6Options { Image = RiscvPrograms.Image(blocks: 4000, extra: extra), ConfirmCollection = false });
        }

        public Rv6System Rv6 { get; }
        public void Dispose() => Rv6.Dispose();
    }

    // Forks N children one after the other; each grows by MB MiB with sbrk, touches every page, shrinks
    // back, says so through a pipe, and sleeps TICKS ticks before exiting. The pool (128 MiB) is never
    // short: each child gives its pages back before the next grows.
    private const string Shrinker = """
        #include "user.h"
        int main(int argc, char **argv)
        {
          int n = atoi(argv[1]), mb = atoi(argv[2]), ticks = atoi(argv[3]);
          int p[2];
          if (pipe(p) < 0) { printf("pipe failed\n"); exit(1); }
          for (int i = 0; i < n; i++) {
            int pid = fork();
            if (pid < 0) { printf("fork failed\n"); exit(1); }
            if (pid == 0) {
              char *a = sbrk(mb << 20);
              if (a == (char*)-1) { printf("grow failed\n"); exit(1); }
              for (long k = 0; k < ((long)mb << 20); k += 4096) a[k] = 1;
              if (sbrk(-(mb << 20)) == (char*)-1) { printf("shrink failed\n"); exit(1); }
              write(p[1], "x", 1);
              sleep(ticks);
              exit(0);
            }
            char c;
            if (read(p[0], &c, 1) != 1) { printf("child %d failed\n", i); exit(1); }
          }
          printf("all shrunk\n");
          for (int i = 0; i < n; i++) wait(0);
          printf("done\n");
          exit(0);
        }
        """;

    // Writes MB MiB of 'A' to the console, 64 KiB at a time, then a last line.
    private const string Flood = """
        #include "user.h"
        static char buf[65536];
        int main(int argc, char **argv)
        {
          memset(buf, 'A', sizeof buf);
          int mb = atoi(argv[1]);
          for (int i = 0; i < mb * 16; i++)
            if (write(1, buf, sizeof buf) != sizeof buf) exit(1);
          printf("\nflood done\n");
          exit(0);
        }
        """;

    private Rv6Run Run(string line)
    {
        var r = _rv6.Run(line);
        string text = r.Text;
        _out.WriteLine($"$ {line}  (status {r.Status}, {r.Elapsed.TotalMilliseconds:F0} ms, {r.Output.Length} bytes)\n{(text.Length > 2000 ? text[..1000] + " ... " + text[^1000..] : text)}");
        return r;
    }

    private void AssertRv6RunsOn(Rv6System rv6)
    {
        AssertNoProcessLeft(rv6);
        Assert.StartsWith("hello from riscv", rv6.Run("hello").Text);
        Assert.Equal("1 3 14 \n", rv6.Run("echo one two three | rcat | wc").Text);
        AssertNoProcessLeft(rv6);
    }

    /// <summary>The issue's report: 48 processes that grew and shrank held 5.4 GB for a 128 MiB pool. Eight
    /// processes grow by 96 MiB one after the other and shrink back; while all eight are alive and small,
    /// the host must not hold their peak.</summary>
    [Fact]
    public async Task ProcessesThatGrewAndShrankHoldNoMoreHostMemoryThanThePool()
    {
        long baseline = HeapBytes();
        long start = _rv6.Console.BytesTransmitted;
        var run = Task.Run(() => _rv6.Run("shrinker 8 96 600"));
        var sw = Stopwatch.StartNew();
        while (!Encoding.ASCII.GetString(_rv6.Console.OutputSince(start)).Contains("all shrunk") && !run.IsCompleted && sw.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(20);
        long held = HeapBytes() - baseline;
        var r = await run.WaitAsync(TimeSpan.FromSeconds(60));
        _out.WriteLine($"held while shrunk: {held / MiB} MiB\n{r.Text}");
        Assert.Contains("all shrunk\n", r.Text);
        Assert.Contains("done\n", r.Text);
        Assert.Equal(0, r.Status);
        Assert.True(held < 128 * MiB, $"eight RISC-V processes of a few pages each held {held / MiB} MiB of host memory after shrinking (the pool is 128 MiB)");
        AssertRv6RunsOn(_rv6);
    }

    /// <summary>An executable segment whose memory size claims 120 MiB: the pool could hold it, but its decoded
    /// text would be 960 MiB of host memory. exec refuses it with a reason, having allocated nothing like that.</summary>
    [Fact]
    public void AnExecutableWhoseTextClaims120MiBIsRefusedBeforeItIsDecoded()
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var r = Run("text120");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        _out.WriteLine($"allocated during exec: {allocated / MiB} MiB");
        Assert.Contains("exec text120 failed", r.Text);
        Assert.Contains("text", r.Text[r.Text.IndexOf("failed", StringComparison.Ordinal)..]);
        Assert.True(allocated < 200 * MiB, $"exec of a 120 MiB text made the host allocate {allocated / MiB} MiB");
        AssertRv6RunsOn(_rv6);
    }

    /// <summary>A one-page executable segment placed at 95 MiB: the interpreter decodes text from address 0, so
    /// this small program would cost 760 MiB of decoded slots. exec refuses it with a reason.</summary>
    [Fact]
    public void AnExecutableSegmentPlacedHighIsRefusedBeforeItIsDecoded()
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var r = Run("texthigh");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        _out.WriteLine($"allocated during exec: {allocated / MiB} MiB");
        Assert.Contains("exec texthigh failed", r.Text);
        Assert.True(allocated < 200 * MiB, $"exec of a one-page text at 95 MiB made the host allocate {allocated / MiB} MiB");
        AssertRv6RunsOn(_rv6);
    }

    /// <summary>The issue's report: a program printing 512 MB held 2.1 GB in the UART. A program prints 64 MiB:
    /// what the console keeps for views is bounded and says how much it dropped; the end of the output is kept.</summary>
    [Fact]
    public void AProgramFloodingTheConsoleLeavesOnlyTheConsolesBoundedTail()
    {
        long baseline = HeapBytes();
        var r = Run("flood 64");
        int shown = r.Output.Length;
        string text = r.Text;
        r = null;
        long held = HeapBytes() - baseline;
        _out.WriteLine($"shown {shown} bytes; held after the run {held / MiB} MiB");
        Assert.EndsWith("flood done\n", text);
        Assert.Contains("bytes dropped", text);
        Assert.True(shown < 4 * MiB, $"the run's output kept {shown / MiB} MiB");
        Assert.True(held < 32 * MiB, $"the console held {held / MiB} MiB after a 64 MiB flood");
        AssertRv6RunsOn(_rv6);
    }

    // A C program that appends to a file the xv6 way: read to the end, then write there.
    private const string Append = """
        #include "user.h"
        static char buf[1024];
        int main(int argc, char **argv)
        {
          int fd = open(argv[1], O_RDWR);
          if (fd < 0) { printf("append: cannot open %s\n", argv[1]); exit(1); }
          while (read(fd, buf, sizeof buf) > 0) ;
          int n = write(fd, "pwned\n", 6);
          printf("append: write returned %d\n", n);
          exit(0);
        }
        """;

    /// <summary>An image with a victim file, a file f and a 12-block file g, the attacker's append program,
    /// and rv6's own RISC-V programs; <paramref name="patch"/> then damages it.</summary>
    private static byte[] CraftedImage(Action<byte[]> patch)
    {
        var g = new byte[Layout.NDIRECT * Layout.BSIZE];
        Array.Fill(g, (byte)'g');
        var image = RiscvPrograms.Image(blocks: 4000, extra: new[]
        {
            ("victim", Encoding.ASCII.GetBytes("precious data\n")),
            ("f", Encoding.ASCII.GetBytes("f\n")),
            ("g", g),
            ("append", CompileC("append", Append)),
        });
        patch(image);
        return image;
    }

    /// <summary>Boots rv6 on a crafted image, runs <paramref name="attack"/>, and asserts the image came out no more
    /// damaged than it went in (fsck finds the same problems, the metadata before the inodes is the same),
    /// the victim's data intact, and rv6 running on.</summary>
    private void AssertImageSurvives(byte[] image, string attack)
    {
        var damageBefore = Damage(image);
        Assert.NotEmpty(damageBefore); // the crafted pointer is damage fsck sees
        var sb = Superblock.Read(image.AsSpan(Layout.BSIZE, Layout.BSIZE));
        using var rv6 = Rv6System.Boot(new Rv6Options { Image = image, ConfirmCollection = false });
        var r = rv6.Run(attack);
        _out.WriteLine($"$ {attack}  (status {r.Status})\n{r.Text}");
        var after = rv6.DiskImage();
        Assert.True(image.AsSpan(0, 2 * Layout.BSIZE).SequenceEqual(after.AsSpan(0, 2 * Layout.BSIZE)), "the boot block or the superblock changed");
        var fs = FsImage.Load(after, "after"); // still mounts
        Assert.Equal(sb.size, fs.Sb.size);
        Assert.Equal(damageBefore, Damage(after));
        Assert.Equal("precious data\n", rv6.Run("cat victim").Text);
        Assert.Equal(0, rv6.Run("echo more > victim2").Status);
        Assert.Equal("more\n", rv6.Run("cat victim2").Text);
        AssertRv6RunsOn(rv6);
    }

    /// <summary>The issue's report: an inode pointing at the superblock let `echo >> file` destroy the image.</summary>
    [Fact]
    public void AFileWhoseBlockIsTheSuperblockCannotBeWrittenThrough()
    {
        var image = CraftedImage(img => PatchInode(img, "f", (ref DiskInode ip) => ip.addrs[0] = Superblock.Block));
        AssertImageSurvives(image, "echo pwned >> f");
    }

    /// <summary>A file whose indirect block is the first inode block: appending at block 12 reads an inode as a
    /// block address, finds 0, and would allocate a block and write its number into the inode table.</summary>
    [Fact]
    public void AFileWhoseIndirectBlockIsTheInodeTableCannotAllocateIntoIt()
    {
        var image = CraftedImage(img =>
        {
            uint inodestart = Superblock.Read(img.AsSpan(Layout.BSIZE, Layout.BSIZE)).inodestart;
            PatchInode(img, "g", (ref DiskInode ip) => ip.addrs[Layout.NDIRECT] = inodestart);
        });
        AssertImageSurvives(image, "append g");
    }

    /// <summary>A file whose first block is the free-block bitmap: a write there would mark metadata blocks free,
    /// and the next allocation would hand the inode table or the log out as a data block.</summary>
    [Fact]
    public void AFileWhoseBlockIsTheBitmapCannotBeWrittenThrough()
    {
        var image = CraftedImage(img =>
        {
            uint bmapstart = Superblock.Read(img.AsSpan(Layout.BSIZE, Layout.BSIZE)).bmapstart;
            PatchInode(img, "f", (ref DiskInode ip) => ip.addrs[0] = bmapstart);
        });
        AssertImageSurvives(image, "echo pwned >> f");
    }

    /// <summary>A bitmap that marks the inode blocks free: the next block allocated for a new file would be the
    /// first inode block, zeroed (the root inode with it) and filled with the file's data.</summary>
    [Fact]
    public void ABitmapMarkingTheInodeTableFreeCannotHandItToAFile()
    {
        var image = CraftedImage(img =>
        {
            var sb = Superblock.Read(img.AsSpan(Layout.BSIZE, Layout.BSIZE));
            var bitmap = img.AsSpan((int)(sb.bmapstart * Layout.BSIZE), Layout.BSIZE);
            for (uint b = sb.inodestart; b < sb.bmapstart; b++) Bitmap.Mark(bitmap, b, false);
        });
        AssertImageSurvives(image, "echo pwned > newfile");
    }

    private static string ImageWithName(byte[] raw, string dir)
    {
        var image = Mkfs.Build(new[] { MkfsNode.File("readme", Encoding.ASCII.GetBytes("hi\n")), MkfsNode.File("evil", Encoding.ASCII.GetBytes("x\n")) },
            new MkfsOptions(Size: 2000));
        RenameRaw(image, "evil", raw);
        string path = Path.Combine(dir, "fs.img");
        File.WriteAllBytes(path, image);
        return path;
    }

    private static void AssertNoControlCharacters(string printed, string what)
    {
        foreach (char c in printed)
            Assert.False(c != '\n' && (char.IsControl(c) || c is '\u202e' or '\u2066' or '\u2067' or '\u2068' or '\u202d'),
                $"{what} printed the control character U+{(int)c:X4}:\n{printed}");
    }

    /// <summary>A file name in an image that clears the terminal and recolours it, then returns the carriage:
    /// fsls prints it escaped.</summary>
    [Fact]
    public void FslsPrintsAnEscapeSequenceInAFileNameEscaped()
    {
        string dir = Directory.CreateTempSubdirectory("redleaf-hostile-names-").FullName;
        try
        {
            string image = ImageWithName(Encoding.ASCII.GetBytes("\x1b[2J\x1b[31mX\r"), dir);
            var (exit, stdout, stderr) = CliTests.Redleaf("fsls", image);
            _out.WriteLine(stdout + stderr);
            Assert.Equal(0, exit);
            AssertNoControlCharacters(stdout, "fsls");
            Assert.Contains(@"\x1b[2J\x1b[31mX\r", stdout);
            Assert.Contains("readme", stdout);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Two entries named "x\nclean" (a newline in a name): fsck reports the duplicate, and the raw name
    /// would print a line "clean" of its own, forging the verdict. fsck prints it escaped.</summary>
    [Fact]
    public void FsckPrintsANewlineInAFileNameEscaped()
    {
        string dir = Directory.CreateTempSubdirectory("redleaf-hostile-names-").FullName;
        try
        {
            string image = ImageWithName(Encoding.ASCII.GetBytes("x\nclean"), dir);
            var bytes = File.ReadAllBytes(image);
            RenameRaw(bytes, "readme", Encoding.ASCII.GetBytes("x\nclean"));
            File.WriteAllBytes(image, bytes);
            var (exit, stdout, stderr) = CliTests.Redleaf("fsck", image);
            _out.WriteLine(stdout + stderr);
            Assert.Equal(1, exit);
            Assert.DoesNotContain(stdout.Split('\n'), l => l.TrimStart().StartsWith("clean", StringComparison.Ordinal));
            Assert.Contains(@"x\nclean", stdout);
            AssertNoControlCharacters(stdout, "fsck");
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>A folder handed to mkfs holding a file whose name sets the terminal's title (OSC 0) and is too long
    /// for xv6: mkfs's error names it, escaped.</summary>
    [Fact]
    public void MkfsNamesAHostileFileNameEscaped()
    {
        string dir = Directory.CreateTempSubdirectory("redleaf-hostile-names-").FullName;
        try
        {
            string tree = Path.Combine(dir, "tree");
            Directory.CreateDirectory(tree);
            File.WriteAllText(Path.Combine(tree, "\x1b]0;pwned\a\x1b[8m-and-too-long"), "x");
            var (exit, stdout, stderr) = CliTests.Redleaf("mkfs", Path.Combine(dir, "fs.img"), tree);
            _out.WriteLine(stdout + stderr);
            Assert.Equal(1, exit);
            Assert.Contains("DIRSIZ", stderr);
            Assert.Contains(@"\x1b]0;pwned\a", stderr);
            AssertNoControlCharacters(stdout + stderr, "mkfs");
        }
        finally { Directory.Delete(dir, true); }
    }
}

// tests/domains/rv6/fs: the rv6 fs domain (domains/rv6/fs) on the block driver, called through its proxy: the
// fixture image written by the original xv6 mkfs read file by file; the system calls and xv6's rules
// for them; the limits (MAXFILE, DIRSIZ, a full disk, no free inode); images it will not mount; and
// every image it writes checked afterwards by fsck and the host's image reader.
using System.Security.Cryptography;
using Domains.Rv6.Fs.Disk;
using RedLeaf.Hardware.Devices;
using RedLeaf.Interfaces.Rv6;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Xv6;
using Xunit;

namespace RedLeaf.Tests.Rv6;

[Trait("suite", "rv6")]
public class FsDomainTests
{
    private const int RW = OpenMode.ReadWrite, CREATE = OpenMode.Create;

    private static void AssertClean(FsHarness h, string what)
    {
        var r = Fsck.Check(h.DiskBytes(), what);
        Assert.True(r.Clean, $"{what}: fsck found\n" + string.Join("\n", r.Problems));
    }

    [Fact]
    public void EveryFileOfTheFixtureImageReadsAsItsManifestSays()
    {
        using var h = FsHarness.Boot(File.ReadAllBytes(Rv6Fixtures.Image));
        using var _ = h.Kernel.Enter();
        int root = h.Fs.Root().Value;
        var manifest = Rv6Fixtures.ManifestEntries();
        Assert.Equal(manifest.Select(m => m.Name).Order(), h.List(root, "/").Where(n => manifest.Any(m => m.Name == n)).Order());
        foreach (var (name, size, sha) in manifest)
        {
            int ip = h.Open(root, name, OpenMode.ReadOnly);
            Assert.True(ip >= 0, $"open {name}");
            var st = h.Fs.Stat(ip).Value;
            Assert.Equal(FileType.File, st.Type);
            Assert.Equal((ulong)size, st.Size);
            var data = h.ReadAll(ip);
            Assert.Equal(size, data.Length);
            Assert.Equal(sha, Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant());
            Assert.Equal(0, h.Fs.Close(ip).Value);
        }
        var s = h.Fs.Statistics().Value;
        Assert.Equal(1, s.OpenInodes); // the root handle
        Assert.True(s.BlockReads > 0 && s.CacheMisses > 0);
        Assert.Equal(0, s.Commits); // reading wrote nothing
        AssertClean(h, "fixture after reading");
    }

    [Fact]
    public void CreateWriteReadLinkUnlinkMkdirChdir()
    {
        using var h = FsHarness.Boot(Mkfs.Build(Array.Empty<MkfsNode>()));
        using var _ = h.Kernel.Enter();
        var fs = h.Fs;
        int root = fs.Root().Value;
        int freeBefore = fs.Statistics().Value.FreeBlocks;

        var hello = Rv6Fixtures.Bytes(5000, seed: 11);
        int a = h.Open(root, "/a", CREATE | RW);
        Assert.True(a >= 0);
        Assert.Equal(5000, h.Write(a, 0, hello));
        Assert.Equal(hello, h.ReadAll(a));
        Assert.Equal(hello.AsSpan(4000).ToArray(), h.Read(a, 4000, 2000));   // short read at the end
        Assert.Empty(h.Read(a, 5000, 10)!);                                      // end of file
        Assert.Equal(3, h.Write(a, 5000, "abc"u8));                              // append
        Assert.Equal(-1, h.Write(a, 6000, "x"u8));                               // past the end: xv6's writei refuses
        Assert.Equal(5003UL, fs.Stat(a).Value.Size);

        Assert.Equal(0, h.Mkdir(root, "d"));
        int d = h.Chdir(root, "d");
        Assert.True(d >= 0);
        Assert.Equal(-1, h.Chdir(root, "a"));                                     // not a directory
        Assert.Equal(0, h.Link(d, "../a", "b"));                                  // relative to the new cwd
        Assert.Equal(2, fs.Stat(a).Value.Nlink);
        Assert.Equal(0, h.Unlink(root, "a"));
        Assert.Equal(-1, h.Open(root, "a", OpenMode.ReadOnly));
        Assert.Equal(1, fs.Stat(a).Value.Nlink);
        Assert.Equal(hello.Concat("abc"u8.ToArray()), h.ReadFile(root, "/d/b"));
        Assert.Equal(new[] { "b" }, h.List(d, "."));

        int d2 = fs.Dup(d).Value;
        Assert.NotEqual(d, d2);
        Assert.Equal(fs.Stat(d).Value.Ino, fs.Stat(d2).Value.Ino);
        Assert.Equal(0, fs.Close(d2).Value);
        Assert.Equal(-1, fs.Close(d2).Value);                                     // already closed
        Assert.Equal(0, fs.Stat(d2).Value.Type);                                  // a bad handle

        // An unlinked file lives on while a handle holds it; its last Close frees it.
        Assert.Equal(0, h.Unlink(d, "b"));
        Assert.Equal(0, fs.Stat(a).Value.Nlink);
        Assert.Equal(5003, h.ReadAll(a).Length);
        Assert.Equal(0, fs.Close(a).Value);
        Assert.Equal(0, fs.Close(d).Value);
        Assert.Equal(0, h.Unlink(root, "d"));
        Assert.Equal(freeBefore, fs.Statistics().Value.FreeBlocks);

        Assert.Equal(0, h.Mknod(root, "console", DeviceMajor.Console, 0));
        int c = h.Open(root, "console", RW);
        var st = fs.Stat(c).Value;
        Assert.Equal((FileType.Device, DeviceMajor.Console, (short)0), (st.Type, st.Major, st.Minor));
        Assert.Equal(-1, h.Write(c, 0, "x"u8));                                   // devices are the core's business
        fs.Close(c);

        Assert.Equal(hello.Length, h.WriteFile(root, "kept", hello));
        AssertClean(h, "after the calls");
        var img = FsImage.Load(h.DiskBytes(), "after");
        Assert.Equal(hello, img.ReadFile(img.Lookup("kept")!.Value));
        Assert.Equal(InodeType.T_DEVICE, img.Inode(img.Lookup("console")!.Value).type);
    }

    [Fact]
    public void AFileGrowsToMaxfileBlocksAndNotOneByteMore()
    {
        using var h = FsHarness.Boot(Mkfs.Build(Array.Empty<MkfsNode>()));
        using var _ = h.Kernel.Enter();
        int root = h.Fs.Root().Value;
        int free = h.Fs.Statistics().Value.FreeBlocks;
        const int max = Layout.MAXFILE * Layout.BSIZE;
        var big = Rv6Fixtures.Bytes(max, seed: 12);
        int f = h.Open(root, "big", CREATE | RW);
        Assert.Equal(max, h.Write(f, 0, big));                                   // one call, many transactions
        Assert.Equal(-1, h.Write(f, max, "x"u8));                                // one byte beyond MAXFILE
        Assert.Equal(1, h.Write(f, max - 1, "yz"u8));                            // stops at the limit
        big[^1] = (byte)'y';
        Assert.Equal(big, h.ReadAll(f));
        Assert.Equal(free - Layout.MAXFILE - 1, h.Fs.Statistics().Value.FreeBlocks); // data + the indirect block
        var s = h.Fs.Statistics().Value;
        Assert.True(s.Commits > max / (3 * Layout.BSIZE), $"{s.Commits} commits: filewrite splits a write into transactions of 3 blocks");
        h.Fs.Close(f);
        AssertClean(h, "MAXFILE");
        var img = FsImage.Load(h.DiskBytes(), "max");
        Assert.Equal(big, img.ReadFile(img.Lookup("big")!.Value));
        Assert.Equal(0, h.Unlink(root, "big"));
        Assert.Equal(free, h.Fs.Statistics().Value.FreeBlocks);
    }

    [Fact]
    public void DirectoriesFollowXv6sRules()
    {
        using var h = FsHarness.Boot(Mkfs.Build(Array.Empty<MkfsNode>()));
        using var _ = h.Kernel.Enter();
        var fs = h.Fs;
        int root = fs.Root().Value;
        short links = fs.Stat(root).Value.Nlink;
        Assert.Equal(0, h.Mkdir(root, "d"));
        Assert.Equal(-1, h.Mkdir(root, "d"));                                    // exists
        Assert.Equal(links + 1, fs.Stat(root).Value.Nlink);                      // d's ".." (xv6 counts no "." link)
        Assert.Equal(-1, h.Unlink(root, "d/."));
        Assert.Equal(-1, h.Unlink(root, "d/.."));
        Assert.Equal(-1, h.Unlink(root, "."));
        Assert.Equal(1, h.WriteFile(root, "d/f", "x"u8));
        Assert.Equal(-1, h.Unlink(root, "d"));                                   // not empty
        Assert.Equal(-1, h.Open(root, "d", RW));                                 // a directory, for writing
        Assert.True(h.Open(root, "d", OpenMode.ReadOnly) is >= 0 and var dr && fs.Close(dr).Value == 0);
        Assert.Equal(-1, h.Open(root, "d/f/g", CREATE | RW));                    // a component that is a file
        Assert.Equal(-1, h.Open(root, "nope/x", CREATE | RW));                   // a missing component
        Assert.Equal(-1, h.Link(root, "d", "d2"));                               // no links to directories
        Assert.Equal(-1, h.Link(root, "d/f", "d/f"));                            // the name exists
        Assert.Equal(-1, h.Mkdir(root, "d/f"));
        Assert.Equal("x"u8.ToArray(), h.ReadFile(root, "//d///f"));              // slashes as skipelem skips them
        Assert.Equal("x"u8.ToArray(), h.ReadFile(root, "d/../d/./f"));
        Assert.Equal(0, h.Unlink(root, "d/f"));
        Assert.Equal(0, h.Unlink(root, "d"));
        Assert.Equal(links, fs.Stat(root).Value.Nlink);

        Assert.Equal(2, h.WriteFile(root, "fourteen-chars", "14"u8));            // exactly DIRSIZ
        Assert.Equal("14"u8.ToArray(), h.ReadFile(root, "fourteen-chars"));
        Assert.Equal(2, h.WriteFile(root, "fifteen-chars!!", "15"u8));           // cut to DIRSIZ, as skipelem cuts it
        Assert.Contains("fifteen-chars!", h.List(root, "/"));
        Assert.DoesNotContain("fifteen-chars!!", h.List(root, "/"));
        Assert.Equal("15"u8.ToArray(), h.ReadFile(root, "fifteen-chars!?"));     // any 15th byte names it
        Assert.Equal(-1, h.Open(root, new string('p', 128), CREATE | RW));       // longer than MAXPATH-1
        AssertClean(h, "directory rules");
        var img = FsImage.Load(h.DiskBytes(), "dirs");
        Assert.NotNull(img.Lookup("fifteen-chars!"));
    }

    [Fact]
    public void AFullDiskWritesWhatFitsAndStaysConsistent()
    {
        using var h = FsHarness.Boot(Mkfs.Build(Array.Empty<MkfsNode>(), new MkfsOptions(Size: 400)));
        using var _ = h.Kernel.Enter();
        int root = h.Fs.Root().Value;
        int free = h.Fs.Statistics().Value.FreeBlocks;
        var chunk = Rv6Fixtures.Bytes(100 * Layout.BSIZE, seed: 13);
        var written = new List<(string, int)>();
        for (int i = 0; ; i++)
        {
            int f = h.Open(root, $"f{i}", CREATE | RW);
            Assert.True(f >= 0, $"create f{i}");
            int n = h.Write(f, 0, chunk);
            h.Fs.Close(f);
            written.Add(($"f{i}", n));
            if (n < chunk.Length) break;
        }
        Assert.Equal(0, h.Fs.Statistics().Value.FreeBlocks);
        Assert.True(written[^1].Item2 < chunk.Length);
        foreach (var (name, n) in written) Assert.Equal(chunk.AsSpan(0, Math.Max(n, 0)).ToArray(), h.ReadFile(root, name));
        AssertClean(h, "full disk");
        foreach (var (name, _) in written) Assert.Equal(0, h.Unlink(root, name));
        Assert.Equal(free, h.Fs.Statistics().Value.FreeBlocks);
        AssertClean(h, "emptied disk");
    }

    [Fact]
    public void RunningOutOfInodesFailsTheCreateCleanly()
    {
        using var h = FsHarness.Boot(Mkfs.Build(Array.Empty<MkfsNode>(), new MkfsOptions(Inodes: 16)));
        using var _ = h.Kernel.Enter();
        int root = h.Fs.Root().Value;
        int made = 0;
        while (h.Open(root, $"i{made}", CREATE | RW) is >= 0 and var f) { h.Fs.Close(f); made++; }
        Assert.Equal(14, made); // inodes 2..15: 0 is unused, 1 is the root
        Assert.Equal(0, h.Fs.Statistics().Value.FreeInodes);
        Assert.Equal(-1, h.Mkdir(root, "dir"));
        AssertClean(h, "no free inodes");
        Assert.Equal(0, h.Unlink(root, "i0"));
        Assert.Equal(0, h.Mkdir(root, "dir"));
        AssertClean(h, "after an unlink");
    }

    public static IEnumerable<object[]> ForeignImages()
    {
        yield return new object[] { "zeros", new byte[Layout.FSSIZE * Layout.BSIZE], "bad magic 0x00000000" };
        var wrong = Mkfs.Build(Array.Empty<MkfsNode>());
        wrong[Layout.BSIZE] ^= 0xFF;
        yield return new object[] { "wrong magic", wrong, "not an xv6 file system" };
        var small = Mkfs.Build(Array.Empty<MkfsNode>());
        yield return new object[] { "truncated", small[..(500 * Layout.BSIZE)], "truncated" };
        var log = Mkfs.Build(Array.Empty<MkfsNode>());
        log[2 * Layout.BSIZE] = 200; // the log header claims 200 blocks
        yield return new object[] { "bad log header", log, "says 200 blocks" };
    }

    [Theory]
    [MemberData(nameof(ForeignImages))]
    public void AnImageThatIsNotXv6sIsRefusedWithTheReason(string what, byte[] image, string reason)
    {
        using var h = FsHarness.Boot(image, mount: false);
        var e = Assert.Throws<DomainException>(() => h.Mount());
        Assert.Contains("cannot mount", e.Message);
        Assert.Contains(reason, e.Message);
        Assert.True(what.Length > 0);
        Assert.Equal(DomainStatus.Running, h.Driver.Status); // the driver did nothing wrong
    }

    [Fact]
    public void ADiskWithBlocksOtherThanBsizeIsRefused()
    {
        var img = Mkfs.Build(Array.Empty<MkfsNode>());
        using var h = FsHarness.Boot(img, mount: false, blockSize: 4096);
        var e = Assert.Throws<DomainException>(() => h.Mount());
        Assert.Contains("4096-byte blocks", e.Message);
        Assert.Contains("BSIZE", e.Message);
    }

    [Fact]
    public void ConcurrentCreatesAndWritesShareCommitsAndEndClean()
    {
        // A disk that takes time (as xv6's does): an operation that misses the cache waits for its
        // block with the operation open, and threads that arrive meanwhile join its transaction. With an
        // instant disk on a busy machine, one thread can run operation after operation alone.
        using var h = FsHarness.Boot(Mkfs.Build(Array.Empty<MkfsNode>()), timing: new NvmeTiming { LatencyMicroseconds = 50 });
        const int threads = 4, files = 12;
        using var start = new Barrier(threads);
        int root;
        using (h.Kernel.Enter())
        {
            root = h.Fs.Root().Value;
            for (int t = 0; t < threads; t++) Assert.Equal(0, h.Mkdir(root, $"t{t}"));
        }
        var before = Stats(h);
        var errors = new List<string>();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            try
            {
                using var _ = h.Kernel.Enter();
                start.SignalAndWait();
                for (int i = 0; i < files; i++)
                {
                    var data = Rv6Fixtures.Bytes(500 + 700 * i, seed: 100 * t + i);
                    if (h.WriteFile(root, $"t{t}/f{i}", data) != data.Length) lock (errors) errors.Add($"thread {t} file {i}: short write");
                    if (h.Link(root, $"t{t}/f{i}", $"t{t}/l{i}") != 0) lock (errors) errors.Add($"thread {t} link {i}");
                    if (i % 3 == 0 && h.Unlink(root, $"t{t}/l{i}") != 0) lock (errors) errors.Add($"thread {t} unlink {i}");
                }
            }
            catch (Exception e) { lock (errors) errors.Add($"thread {t}: {e}"); }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.Empty(errors);
        var after = Stats(h);
        long ops = after.Operations - before.Operations, commits = after.Commits - before.Commits;
        Assert.True(commits < ops, $"{commits} commits for {ops} operations: group commit should carry several operations in one");
        using (h.Kernel.Enter())
        {
            for (int t = 0; t < threads; t++)
                for (int i = 0; i < files; i++)
                    Assert.Equal(Rv6Fixtures.Bytes(500 + 700 * i, seed: 100 * t + i), h.ReadFile(root, $"t{t}/l{i}") ?? (i % 3 == 0 ? Rv6Fixtures.Bytes(500 + 700 * i, seed: 100 * t + i) : null));
        }
        AssertClean(h, "after concurrent writers");
        Console.WriteLine($"concurrent: {threads} threads, {ops} operations in {commits} commits");
    }

    private static FsStats Stats(FsHarness h)
    {
        using var _ = h.Kernel.Enter();
        return h.Fs.Statistics().Value;
    }
}

// domains/rv6/user/usertests: running out of things and being handed bad arguments: a full disk, no
// free inodes, the per-process file table, descriptors that are not open (xv6's diskfull and
// outofinodes, made to check that everything comes back after, and rv6's own badfd, dupfd, nofile).
namespace Domains.Rv6.User;

public sealed partial class UserTests
{
    // fill the disk with MAXFILE-block files until a write fails; a create then must not break anything,
    // mkdir fails, and after the cleanup the same amount fits again (no block leaked).
    private void diskfull(string s)
    {
        Unlink("diskfulldir");
        int before = fillDisk(out int files);
        if (before <= 0) fail("wrote nothing");

        const int nzz = 128;
        for (int i = 0; i < nzz; i++)
        {
            string name = zzname(i);
            Unlink(name);
            int fd = Open(name, O_CREATE | O_RDWR | O_TRUNC);
            if (fd < 0) break;
            Close(fd);
        }
        bool madeDir = Mkdir("diskfulldir") == 0;
        Unlink("diskfulldir");
        for (int i = 0; i < nzz; i++) Unlink(zzname(i));
        for (int i = 0; i < files; i++) Unlink(bigname(i));
        if (madeDir) fail("mkdir(diskfulldir) unexpectedly succeeded on a full disk");

        int after = fillDisk(out files);
        for (int i = 0; i < files; i++) Unlink(bigname(i));
        // (after can exceed before by the blocks the directory grew in the first round: directories never shrink)
        if (after < before) fail($"{before} blocks fit on the empty disk, {after} after freeing them (leak)");
    }

    // writes big0, big1, ... until a write fails; the blocks written
    private int fillDisk(out int files)
    {
        int blocks = 0;
        Array.Fill(buf, (byte)'d', 0, BSIZE);
        for (files = 0; files < 400; )
        {
            string name = bigname(files);
            Unlink(name);
            int fd = Open(name, O_CREATE | O_RDWR | O_TRUNC);
            if (fd < 0) return blocks; // out of inodes before blocks
            files++;
            for (int i = 0; i < MAXFILE; i++)
            {
                if (Write(fd, buf.AsSpan(0, BSIZE)) != BSIZE)
                {
                    Close(fd);
                    return blocks;
                }
                blocks++;
            }
            Close(fd);
        }
        fail("the disk never filled (400 files of MAXFILE blocks)");
        return blocks;
    }

    private static string bigname(int i) => "big" + i;
    private static string zzname(int i) => new string(new[] { 'z', 'z', (char)('0' + i / 32), (char)('0' + i % 32) });

    // create files until there is no free inode; after removing them as many fit again
    private void outofinodes(string s)
    {
        int before = fillInodes();
        if (before <= 0) fail("created nothing");
        int after = fillInodes();
        if (after < before) fail($"{before} files fit, then {after} after freeing them (leaked inodes)");
    }

    private int fillInodes()
    {
        const int nzz = 32 * 32;
        int made = 0;
        for (int i = 0; i < nzz; i++)
        {
            string name = zzname(i);
            Unlink(name);
            int fd = Open(name, O_CREATE | O_RDWR | O_TRUNC);
            if (fd < 0) break; // failure is eventually expected
            Close(fd);
            made++;
        }
        for (int i = 0; i < nzz; i++) Unlink(zzname(i));
        if (made == nzz) fail($"{nzz} files and still free inodes: cannot test running out");
        return made;
    }

    // descriptors that are not open are refused by every call
    private void badfd(string s)
    {
        var b = new byte[4];
        foreach (int bad in new[] { -1, 1000, 16, int.MaxValue })
        {
            if (Read(bad, b) != -1) fail($"read({bad}) did not fail");
            if (Write(bad, "x") != -1) fail($"write({bad}) did not fail");
            if (Close(bad) != -1) fail($"close({bad}) did not fail");
            if (Dup(bad) != -1) fail($"dup({bad}) did not fail");
            if (Fstat(bad, out _) != -1) fail($"fstat({bad}) did not fail");
        }
        int fd = Open(".", O_RDONLY);
        if (fd < 0) fail("open . failed");
        if (Close(fd) != 0) fail("close failed");
        if (Close(fd) != -1) fail("closing twice succeeded");
        if (Read(fd, b) != -1) fail("read of a closed fd succeeded");
        if (Fstat(fd, out _) != -1) fail("fstat of a closed fd succeeded");
    }

    // dup shares the offset, and returns the lowest free descriptor
    private void dupfd(string s)
    {
        Unlink("dupf");
        int fd = create("dupf", "dupf");
        try
        {
            int d = Dup(fd);
            if (d < 0) fail("dup failed");
            if (Write(fd, "ab") != 2 || Write(d, "cd") != 2) fail("write failed");
            Close(fd);
            if (Write(d, "e") != 1) fail("write through the dup after closing the original failed");
            int d2 = Dup(d);
            if (d2 != fd) fail($"dup returned {d2}, wanted the lowest free fd {fd}");
            Close(d);
            Close(d2);
            var b = new byte[16];
            int r = Open("dupf", O_RDONLY);
            int n = ReadFull(r, b);
            Close(r);
            if (n != 5 || Domains.Rv6.Ulib.Str.FromBytes(b.AsSpan(0, n)) != "abcde") fail($"file holds {n} bytes '{Domains.Rv6.Ulib.Str.FromBytes(b.AsSpan(0, Math.Max(n, 0)))}', wanted 'abcde'");
        }
        finally
        {
            Unlink("dupf");
        }
    }

    // a process's file table is finite; open always returns the lowest free slot
    private void nofile(string s)
    {
        const int cap = 1024;
        Unlink("nofile");
        Close(create("nofile", "nofile"));
        var fds = new List<int>();
        try
        {
            for (;;)
            {
                int fd = Open("nofile", O_RDONLY);
                if (fd < 0) break;
                if (fds.Count > 0 && fd != fds[^1] + 1) fail($"open returned {fd} after {fds[^1]}, not the lowest free fd");
                fds.Add(fd);
                if (fds.Count == cap) fail($"{cap} files open at once: no per-process limit");
            }
            if (fds.Count == 0) fail("could not open nofile");
            int mid = fds[fds.Count / 2];
            Close(mid);
            int again = Open("nofile", O_RDONLY);
            if (again != mid) fail($"after closing {mid} open returned {again}");
            if (Open("nofile", O_RDONLY) >= 0) fail("open succeeded with a full table");
        }
        finally
        {
            foreach (int fd in fds) Close(fd);
            Unlink("nofile");
        }
    }
}

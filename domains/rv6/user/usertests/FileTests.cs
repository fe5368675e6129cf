// domains/rv6/user/usertests: tests of files: create, read, write, truncate, big files up to MAXFILE
// blocks and one byte past, links and unlinks, stat's counts (xv6's usertests.c, same names).
namespace Domains.Rv6.User;

public sealed partial class UserTests
{
    // test O_TRUNC: every descriptor of the file sees it empty, and then the new content.
    private void truncate1(string s)
    {
        var b = new byte[32];
        Unlink("truncfile");
        int fd1 = Open("truncfile", O_CREATE | O_WRONLY | O_TRUNC);
        if (fd1 < 0) fail("create truncfile failed");
        Write(fd1, "abcd");
        Close(fd1);

        int fd2 = Open("truncfile", O_RDONLY);
        int n = Read(fd2, b);
        if (n != 4) fail($"read {n} bytes, wanted 4");

        fd1 = Open("truncfile", O_WRONLY | O_TRUNC);
        int fd3 = Open("truncfile", O_RDONLY);
        if ((n = Read(fd3, b)) != 0) fail($"read {n} bytes, wanted 0 (fd3)");
        if ((n = Read(fd2, b)) != 0) fail($"read {n} bytes, wanted 0 (fd2)");

        Write(fd1, "abcdef");
        if ((n = Read(fd3, b)) != 6) fail($"read {n} bytes, wanted 6");
        if ((n = Read(fd2, b)) != 2) fail($"read {n} bytes, wanted 2");

        Unlink("truncfile");
        Close(fd1);
        Close(fd2);
        Close(fd3);
    }

    // write to an open fd whose file has just been truncated: a write past the end of the file, which
    // fails in xv6 (unlike POSIX).
    private void truncate2(string s)
    {
        Unlink("truncfile");
        int fd1 = Open("truncfile", O_CREATE | O_TRUNC | O_WRONLY);
        Write(fd1, "abcd");
        int fd2 = Open("truncfile", O_TRUNC | O_WRONLY);
        int n = Write(fd1, "x");
        Unlink("truncfile");
        Close(fd1);
        Close(fd2);
        if (n != -1) fail($"write returned {n}, expected -1");
    }

    private void opentest(string s)
    {
        int fd = create("opentest.f", "opentest.f");
        Close(fd);
        fd = Open("opentest.f", O_RDONLY);
        Unlink("opentest.f");
        if (fd < 0) fail("open opentest.f failed!");
        Close(fd);
        if ((fd = Open("doesnotexist", O_RDONLY)) >= 0) fail("open doesnotexist succeeded!");
        if ((fd = Open("opentest.f", O_RDONLY)) >= 0) fail("open of an unlinked file succeeded!");
    }

    private void writetest(string s)
    {
        const int N = 100, SZ = 10;
        int fd = Open("small", O_CREATE | O_RDWR);
        if (fd < 0) fail("error: creat small failed!");
        for (int i = 0; i < N; i++)
        {
            if (Write(fd, "aaaaaaaaaa") != SZ) fail($"error: write aa {i} new file failed");
            if (Write(fd, "bbbbbbbbbb") != SZ) fail($"error: write bb {i} new file failed");
        }
        Close(fd);
        fd = Open("small", O_RDONLY);
        if (fd < 0) fail("error: open small failed!");
        int n = ReadFull(fd, buf.AsSpan(0, N * SZ * 2 + 1));
        if (n != N * SZ * 2) fail($"read {n} bytes, wanted {N * SZ * 2}");
        for (int i = 0; i < n; i++)
            if (buf[i] != ((i / SZ) % 2 == 0 ? 'a' : 'b')) fail($"wrong byte at {i}");
        Close(fd);
        if (Unlink("small") < 0) fail("unlink small failed");
    }

    // a file of MAXFILE blocks, each holding its number in its first word
    private void writebig(string s)
    {
        int fd = Open("big", O_CREATE | O_RDWR);
        if (fd < 0) fail("error: creat big failed!");
        for (int i = 0; i < MAXFILE; i++)
        {
            PutInt(buf, i);
            if (Write(fd, buf.AsSpan(0, BSIZE)) != BSIZE) fail($"error: write big file failed at block {i}");
        }
        Close(fd);

        fd = Open("big", O_RDONLY);
        if (fd < 0) fail("error: open big failed!");
        int n = 0;
        for (;;)
        {
            int i = ReadFull(fd, buf.AsSpan(0, BSIZE));
            if (i == 0)
            {
                if (n != MAXFILE) fail($"read only {n} blocks from big");
                break;
            }
            if (i != BSIZE) fail($"read failed {i}");
            if (GetInt(buf) != n) fail($"read content of block {n} is {GetInt(buf)}");
            n++;
        }
        Close(fd);
        if (Unlink("big") < 0) fail("unlink big failed");
    }

    // many creates, followed by unlinks
    private void createtest(string s)
    {
        const int N = 52;
        for (int i = 0; i < N; i++)
        {
            int fd = Open(name2('a', i), O_CREATE | O_RDWR);
            if (fd < 0) fail($"create {name2('a', i)} failed");
            Close(fd);
        }
        for (int i = 0; i < N; i++)
            if (Unlink(name2('a', i)) < 0) fail($"unlink {name2('a', i)} failed");
    }

    // can I unlink a file and still read it?
    private void unlinkread(string s)
    {
        const int SZ = 5;
        int fd = create("unlinkread", "unlinkread");
        Write(fd, "hello");
        Close(fd);

        fd = Open("unlinkread", O_RDWR);
        if (fd < 0) fail("open unlinkread failed");
        if (Unlink("unlinkread") != 0) fail("unlink unlinkread failed");

        int fd1 = create("unlinkread", "unlinkread again");
        Write(fd1, "yyy");
        Close(fd1);

        if (Read(fd, buf.AsSpan(0, BUFSZ)) != SZ) fail("unlinkread read failed");
        if (buf[0] != 'h') fail("unlinkread wrong data");
        if (Write(fd, buf.AsSpan(0, 10)) != 10) fail("unlinkread write failed");
        Close(fd);
        Unlink("unlinkread");
    }

    private void linktest(string s)
    {
        const int SZ = 5;
        Unlink("lf1");
        Unlink("lf2");

        int fd = create("lf1", "lf1");
        if (Write(fd, "hello") != SZ) fail("write lf1 failed");
        Close(fd);

        if (Link("lf1", "lf2") < 0) fail("link lf1 lf2 failed");
        Unlink("lf1");
        if (Open("lf1", O_RDONLY) >= 0) fail("unlinked lf1 but it is still there!");

        fd = Open("lf2", O_RDONLY);
        if (fd < 0) fail("open lf2 failed");
        if (Read(fd, buf.AsSpan(0, BUFSZ)) != SZ) fail("read lf2 failed");
        Close(fd);

        if (Link("lf2", "lf2") >= 0) fail("link lf2 lf2 succeeded! oops");
        Unlink("lf2");
        if (Link("lf2", "lf1") >= 0) fail("link non-existent succeeded! oops");
        if (Link(".", "lf1") >= 0) fail("link . lf1 succeeded! oops");
    }

    // writes larger than the log (xv6 splits them into several transactions)
    private void bigwrite(string s)
    {
        Unlink("bigwrite");
        for (int sz = 499; sz < (MAXOPBLOCKS + 2) * BSIZE; sz += 471)
        {
            int fd = create("bigwrite", "bigwrite");
            for (int i = 0; i < 2; i++)
            {
                int cc = Write(fd, buf.AsSpan(0, sz));
                if (cc != sz) fail($"write({sz}) ret {cc}");
            }
            Close(fd);
            if (Stat("bigwrite", out var st) < 0 || st.Size != (ulong)(2 * sz)) fail($"bigwrite size {st.Size}, wanted {2 * sz}");
            Unlink("bigwrite");
        }
    }

    private void bigfile(string s)
    {
        const int N = 20, SZ = 600;
        Unlink("bigfile.dat");
        int fd = create("bigfile.dat", "bigfile");
        for (int i = 0; i < N; i++)
        {
            Array.Fill(buf, (byte)i, 0, SZ);
            if (Write(fd, buf.AsSpan(0, SZ)) != SZ) fail("write bigfile failed");
        }
        Close(fd);

        fd = Open("bigfile.dat", O_RDONLY);
        if (fd < 0) fail("cannot open bigfile");
        int total = 0;
        for (int i = 0; ; i++)
        {
            int cc = Read(fd, buf.AsSpan(0, SZ / 2));
            if (cc < 0) fail("read bigfile failed");
            if (cc == 0) break;
            if (cc != SZ / 2) fail("short read bigfile");
            if (buf[0] != i / 2 || buf[SZ / 2 - 1] != i / 2) fail("read bigfile wrong data");
            total += cc;
        }
        Close(fd);
        if (total != N * SZ) fail("read bigfile wrong total");
        Unlink("bigfile.dat");
    }

    // exactly MAXFILE blocks fit, one byte more does not (rv6's: writebig stops at the limit)
    private void maxfile(string s)
    {
        Unlink("maxfile");
        int fd = create("maxfile", "maxfile");
        Array.Fill(buf, (byte)'m', 0, BSIZE);
        try
        {
            for (int i = 0; i < MAXFILE; i++)
                if (Write(fd, buf.AsSpan(0, BSIZE)) != BSIZE) fail($"write of block {i} failed");
            int n = Write(fd, buf.AsSpan(0, 1));
            if (n > 0) fail($"write past MAXFILE*BSIZE returned {n}");
            if (Fstat(fd, out var st) < 0 || st.Size != (ulong)(MAXFILE * BSIZE)) fail($"size {st.Size}, wanted {MAXFILE * BSIZE}");
        }
        finally
        {
            Close(fd);
            Unlink("maxfile");
        }
    }

    // stat's link count and size follow link, unlink and write; a directory's count its subdirectories
    private void nlink(string s)
    {
        Unlink("nl2");
        Unlink("nl1");
        int fd = create("nl1", "nl1");
        Write(fd, "12345");
        Close(fd);
        try
        {
            if (Stat("nl1", out var st) < 0 || st.Type != T_FILE || st.Nlink != 1 || st.Size != 5) fail($"nl1: type {st.Type} nlink {st.Nlink} size {st.Size}");
            if (Link("nl1", "nl2") < 0) fail("link nl1 nl2 failed");
            if (Stat("nl2", out var st2) < 0 || st2.Nlink != 2 || st2.Ino != st.Ino) fail($"nl2: nlink {st2.Nlink} ino {st2.Ino}, wanted 2 and {st.Ino}");
            if (Unlink("nl1") < 0) fail("unlink nl1 failed");
            if (Stat("nl2", out st2) < 0 || st2.Nlink != 1) fail($"nl2 after unlink: nlink {st2.Nlink}");
        }
        finally
        {
            Unlink("nl1");
            Unlink("nl2");
        }

        if (Mkdir("nld") < 0) fail("mkdir nld failed");
        try
        {
            if (Stat("nld", out var d) < 0 || d.Type != T_DIR || d.Nlink != 1) fail($"new dir: type {d.Type} nlink {d.Nlink}, wanted {T_DIR} and 1");
            if (Mkdir("nld/sub") < 0) fail("mkdir nld/sub failed");
            if (Stat("nld", out d) < 0 || d.Nlink != 2) fail($"dir with a subdir: nlink {d.Nlink}, wanted 2 (its .. counts)");
            if (Unlink("nld/sub") < 0) fail("unlink nld/sub failed");
            if (Stat("nld", out d) < 0 || d.Nlink != 1) fail($"dir after rmdir: nlink {d.Nlink}, wanted 1");
        }
        finally
        {
            Unlink("nld/sub");
            Unlink("nld");
        }
    }

    // a read-only descriptor cannot write, a write-only one cannot read
    private void rdwrmodes(string s)
    {
        int fd = create("rdwr", "rdwr");
        Write(fd, "data");
        Close(fd);
        int r = Open("rdwr", O_RDONLY), w = Open("rdwr", O_WRONLY);
        try
        {
            if (r < 0 || w < 0) fail("open rdwr failed");
            if (Write(r, "x") >= 0) fail("write to an O_RDONLY fd succeeded");
            if (Read(w, buf.AsSpan(0, 4)) >= 0) fail("read from an O_WRONLY fd succeeded");
            if (Read(r, buf.AsSpan(0, 8)) != 4) fail("read from O_RDONLY fd failed");
        }
        finally
        {
            Close(r);
            Close(w);
            Unlink("rdwr");
        }
    }

    private static void PutInt(byte[] b, int v)
    {
        b[0] = (byte)v;
        b[1] = (byte)(v >> 8);
        b[2] = (byte)(v >> 16);
        b[3] = (byte)(v >> 24);
    }

    private static int GetInt(byte[] b) => b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24;
}

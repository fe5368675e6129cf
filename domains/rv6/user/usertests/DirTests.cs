// domains/rv6/user/usertests: tests of directories and names: mkdir, chdir, unlink of directories,
// "." and "..", DIRSIZ (14-byte names; longer ones are cut to 14 as xv6's skipelem does), paths with
// extra slashes and dots, directories as files of dirents, device files (xv6's usertests.c names).
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.User;

public sealed partial class UserTests
{
    private void dirtest(string s)
    {
        if (Mkdir("dir0") < 0) fail("mkdir failed");
        if (Chdir("dir0") < 0) fail("chdir dir0 failed");
        if (Chdir("..") < 0) fail("chdir .. failed");
        if (Unlink("dir0") < 0) fail("unlink dir0 failed");
        if (Stat("dir0", out _) == 0) fail("dir0 still there after unlink");
    }

    // does chdir() release the old working directory properly (xv6: iput in a transaction)?
    private void iputtest(string s)
    {
        if (Mkdir("iputdir") < 0) fail("mkdir failed");
        if (Chdir("iputdir") < 0) fail("chdir iputdir failed");
        if (Unlink("../iputdir") < 0) fail("unlink ../iputdir failed");
        if (Chdir("/") < 0) fail("chdir / failed");
    }

    private void subdir(string s)
    {
        Unlink("ff");
        if (Mkdir("dd") != 0) fail("mkdir dd failed");

        int fd = create("dd/ff", "dd/ff");
        Write(fd, "ff");
        Close(fd);

        if (Unlink("dd") >= 0) fail("unlink dd (non-empty dir) succeeded!");
        if (Mkdir("dd/dd") != 0) fail("subdir mkdir dd/dd failed");

        fd = create("dd/dd/ff", "dd/dd/ff");
        Write(fd, "FF");
        Close(fd);

        fd = Open("dd/dd/../ff", O_RDONLY);
        if (fd < 0) fail("open dd/dd/../ff failed");
        int cc = Read(fd, buf.AsSpan(0, BUFSZ));
        if (cc != 2 || buf[0] != 'f') fail("dd/dd/../ff wrong content");
        Close(fd);

        if (Link("dd/dd/ff", "dd/dd/ffff") != 0) fail("link dd/dd/ff dd/dd/ffff failed");
        if (Unlink("dd/dd/ff") != 0) fail("unlink dd/dd/ff failed");
        if (Open("dd/dd/ff", O_RDONLY) >= 0) fail("open (unlinked) dd/dd/ff succeeded");

        if (Chdir("dd") != 0) fail("chdir dd failed");
        if (Chdir("dd/../../dd") != 0) fail("chdir dd/../../dd failed");
        if (Chdir("dd/../../../dd") != 0) fail("chdir dd/../../../dd failed");
        if (Chdir("./..") != 0) fail("chdir ./.. failed");

        fd = Open("dd/dd/ffff", O_RDONLY);
        if (fd < 0) fail("open dd/dd/ffff failed");
        if (Read(fd, buf.AsSpan(0, BUFSZ)) != 2) fail("read dd/dd/ffff wrong len");
        Close(fd);

        if (Open("dd/dd/ff", O_RDONLY) >= 0) fail("open (unlinked) dd/dd/ff succeeded!");
        if (Open("dd/ff/ff", O_CREATE | O_RDWR) >= 0) fail("create dd/ff/ff succeeded!");
        if (Open("dd/xx/ff", O_CREATE | O_RDWR) >= 0) fail("create dd/xx/ff succeeded!");
        if (Open("dd", O_CREATE) >= 0) fail("create dd succeeded!");
        if (Open("dd", O_RDWR) >= 0) fail("open dd rdwr succeeded!");
        if (Open("dd", O_WRONLY) >= 0) fail("open dd wronly succeeded!");
        if (Link("dd/ff/ff", "dd/dd/xx") == 0) fail("link dd/ff/ff dd/dd/xx succeeded!");
        if (Link("dd/xx/ff", "dd/dd/xx") == 0) fail("link dd/xx/ff dd/dd/xx succeeded!");
        if (Link("dd/ff", "dd/dd/ffff") == 0) fail("link dd/ff dd/dd/ffff succeeded!");
        if (Mkdir("dd/ff/ff") == 0) fail("mkdir dd/ff/ff succeeded!");
        if (Mkdir("dd/xx/ff") == 0) fail("mkdir dd/xx/ff succeeded!");
        if (Mkdir("dd/dd/ffff") == 0) fail("mkdir dd/dd/ffff succeeded!");
        if (Unlink("dd/xx/ff") == 0) fail("unlink dd/xx/ff succeeded!");
        if (Unlink("dd/ff/ff") == 0) fail("unlink dd/ff/ff succeeded!");
        if (Chdir("dd/ff") == 0) fail("chdir dd/ff succeeded!");
        if (Chdir("dd/xx") == 0) fail("chdir dd/xx succeeded!");

        if (Unlink("dd/dd/ffff") != 0) fail("unlink dd/dd/ffff failed");
        if (Unlink("dd/ff") != 0) fail("unlink dd/ff failed");
        if (Unlink("dd") == 0) fail("unlink non-empty dd succeeded!");
        if (Unlink("dd/dd") < 0) fail("unlink dd/dd failed");
        if (Unlink("dd") < 0) fail("unlink dd failed");
    }

    // DIRSIZ is 14: a 15-byte name means its first 14 bytes
    private void fourteen(string s)
    {
        try
        {
            if (Mkdir("12345678901234") != 0) fail("mkdir 12345678901234 failed");
            if (Mkdir("12345678901234/123456789012345") != 0) fail("mkdir 12345678901234/123456789012345 failed");
            int fd = Open("123456789012345/123456789012345/123456789012345", O_CREATE);
            if (fd < 0) fail("create 123456789012345/123456789012345/123456789012345 failed");
            Close(fd);
            fd = Open("12345678901234/12345678901234/12345678901234", O_RDONLY);
            if (fd < 0) fail("open 12345678901234/12345678901234/12345678901234 failed");
            Close(fd);
            if (Mkdir("12345678901234/12345678901234") == 0) fail("mkdir 12345678901234/12345678901234 succeeded!");
            if (Mkdir("123456789012345/12345678901234") == 0) fail("mkdir 123456789012345/12345678901234 succeeded!");
        }
        finally
        {
            Unlink("123456789012345/12345678901234");
            Unlink("12345678901234/12345678901234");
            Unlink("12345678901234/12345678901234/12345678901234");
            Unlink("123456789012345/123456789012345/123456789012345");
            Unlink("12345678901234/123456789012345");
            Unlink("12345678901234");
        }
        if (Stat("12345678901234", out _) == 0) fail("12345678901234 left behind");
    }

    private void rmdot(string s)
    {
        if (Mkdir("dots") != 0) fail("mkdir dots failed");
        if (Chdir("dots") != 0) fail("chdir dots failed");
        if (Unlink(".") == 0) fail("rm . worked!");
        if (Unlink("..") == 0) fail("rm .. worked!");
        if (Chdir("..") != 0) fail("chdir .. failed");
        if (Unlink("dots/.") == 0) fail("unlink dots/. worked!");
        if (Unlink("dots/..") == 0) fail("unlink dots/.. worked!");
        if (Unlink("dots") != 0) fail("unlink dots failed!");
    }

    // a file is not a directory, and a directory cannot be opened for writing
    private void dirfile(string s)
    {
        int fd = Open("dirfile", O_CREATE);
        if (fd < 0) fail("create dirfile failed");
        Close(fd);
        try
        {
            if (Chdir("dirfile") == 0) fail("chdir dirfile succeeded!");
            if ((fd = Open("dirfile/xx", O_RDONLY)) >= 0) fail("open dirfile/xx succeeded!");
            if ((fd = Open("dirfile/xx", O_CREATE)) >= 0) fail("create dirfile/xx succeeded!");
            if (Mkdir("dirfile/xx") == 0) fail("mkdir dirfile/xx succeeded!");
            if (Unlink("dirfile/xx") == 0) fail("unlink dirfile/xx succeeded!");
            if (Link("dirfile", "dirfile/xx") == 0) fail("link to dirfile/xx succeeded!");
        }
        finally
        {
            if (Unlink("dirfile") != 0) fail("unlink dirfile failed!");
        }
        if ((fd = Open(".", O_RDWR)) >= 0) fail("open . for writing succeeded!");
        if ((fd = Open(".", O_WRONLY)) >= 0) fail("open . write-only succeeded!");
        fd = Open(".", O_RDONLY);
        if (fd < 0) fail("open . failed");
        int n = Write(fd, "x");
        Close(fd);
        if (n > 0) fail("write . succeeded!");
    }

    // are inode references dropped at the end of path lookups (and on empty names)?
    private void iref(string s)
    {
        for (int i = 0; i < NINODE + 1; i++)
        {
            if (Mkdir("irefd") != 0) fail($"mkdir irefd failed (depth {i})");
            if (Chdir("irefd") != 0) fail("chdir irefd failed");
            Mkdir("");
            Link("xx", "");
            int fd = Open("", O_CREATE);
            if (fd >= 0) Close(fd);
            fd = Open("xx", O_CREATE);
            if (fd >= 0) Close(fd);
            Unlink("xx");
        }
        for (int i = 0; i < NINODE + 1; i++)
        {
            Chdir("..");
            if (Unlink("irefd") != 0) fail($"unlink irefd failed (depth {NINODE - i})");
        }
    }

    // a directory reads as 16-byte dirents: "." (itself) and ".." (its parent) first, then its files
    private void readdir(string s)
    {
        if (Mkdir("rdd") < 0) fail("mkdir rdd failed");
        try
        {
            int fd = create("rdd/file1", "rdd/file1");
            Close(fd);
            int r1 = Stat("rdd", out var me), r2 = Stat(".", out var parent), r3 = Stat("rdd/file1", out var f);
            if (r1 < 0 || r2 < 0 || r3 < 0) fail("stat failed");
            fd = Open("rdd", O_RDONLY);
            if (fd < 0) fail("open rdd failed");
            var names = new List<(string, int)>();
            var de = new byte[DIRENT_SIZE];
            int n;
            while ((n = ReadFull(fd, de)) == DIRENT_SIZE)
            {
                int inum = de[0] | de[1] << 8;
                if (inum != 0) names.Add((Domains.Rv6.Ulib.Str.FromNulPadded(de.AsSpan(2, DIRSIZ)), inum));
            }
            Close(fd);
            if (n != 0) fail($"directory size not a multiple of {DIRENT_SIZE} (last read {n})");
            if (names.Count != 3) fail($"{names.Count} entries, wanted 3");
            if (names[0] != (".", (int)me.Ino)) fail($"first entry {names[0]}, wanted (., {me.Ino})");
            if (names[1] != ("..", (int)parent.Ino)) fail($"second entry {names[1]}, wanted (.., {parent.Ino})");
            if (names[2] != ("file1", (int)f.Ino)) fail($"third entry {names[2]}, wanted (file1, {f.Ino})");
        }
        finally
        {
            Unlink("rdd/file1");
            Unlink("rdd");
        }
    }

    // the root's ".." is the root (inode 1)
    private void dotdot(string s)
    {
        if (Stat("/", out var root) < 0) fail("stat / failed");
        if (root.Ino != 1 || root.Type != T_DIR) fail($"/ is inode {root.Ino} type {root.Type}, wanted 1 and {T_DIR}");
        if (Stat("/..", out var up) < 0 || up.Ino != 1) fail($"/.. is inode {up.Ino}");
        if (Stat("/../..", out up) < 0 || up.Ino != 1) fail($"/../.. is inode {up.Ino}");
        if (Chdir("/") < 0 || Chdir("..") < 0) fail("chdir / then .. failed");
        if (Stat(".", out var here) < 0 || here.Ino != 1) fail($"after chdir .. from /, . is inode {here.Ino}");
    }

    // extra slashes and dots in paths mean nothing more
    private void pathnames(string s)
    {
        if (Mkdir("pnd") < 0) fail("mkdir pnd failed");
        try
        {
            int fd = Open("pnd//f", O_CREATE | O_RDWR);
            if (fd < 0) fail("create pnd//f failed");
            Close(fd);
            foreach (var p in new[] { "pnd/f", "./pnd/f", "pnd/./f", "pnd/../pnd/f", "./pnd///f", "pnd/f" })
            {
                fd = Open(p, O_RDONLY);
                if (fd < 0) fail($"open {p} failed");
                Close(fd);
            }
            if (Open("pnd/nope/../f", O_RDONLY) >= 0) fail("open through a missing directory succeeded");
        }
        finally
        {
            Unlink("pnd/f");
            Unlink("pnd");
        }
    }

    // a directory cannot get a second name
    private void linkdir(string s)
    {
        if (Mkdir("ld") < 0) fail("mkdir ld failed");
        int r = Link("ld", "ld2");
        Unlink("ld2");
        Unlink("ld");
        if (r == 0) fail("link of a directory succeeded");
    }

    // mknod makes a device file with its numbers
    private void devfile(string s)
    {
        Unlink("devf");
        if (Mknod("devf", CONSOLE, 7) < 0) fail("mknod devf failed");
        try
        {
            if (Stat("devf", out var st) < 0) fail("stat devf failed");
            if (st.Type != T_DEVICE || st.Major != CONSOLE || st.Minor != 7) fail($"devf: type {st.Type} major {st.Major} minor {st.Minor}");
            if (Mknod("devf", CONSOLE, 0) == 0) fail("mknod over an existing name succeeded");
        }
        finally
        {
            Unlink("devf");
        }
    }

    // a directory with enough entries to need indirect blocks
    private void bigdir(string s)
    {
        const int N = 500;
        Unlink("bd");
        int fd = Open("bd", O_CREATE);
        if (fd < 0) fail("bigdir create failed");
        Close(fd);
        string name(int i) => new string(new[] { 'x', (char)('0' + i / 64), (char)('0' + i % 64) });
        for (int i = 0; i < N; i++)
            if (Link("bd", name(i)) != 0) fail($"bigdir link(bd, {name(i)}) failed");
        if (Stat("bd", out var st) < 0 || st.Nlink != N + 1) fail($"bd has {st.Nlink} links, wanted {N + 1}");
        Unlink("bd");
        for (int i = 0; i < N; i++)
            if (Unlink(name(i)) != 0) fail($"bigdir unlink {name(i)} failed");
    }
}

// domains/rv6/user/usertests: several processes on the file system at once (xv6's usertests.c): where
// xv6 forks and both halves act, the parent spawns helpers (Helpers.cs) for the children's halves and
// does its own at the same time.
namespace Domains.Rv6.User;

public sealed partial class UserTests
{
    // one process truncates and rewrites a file while another writes and reads it
    private void truncate3(string s)
    {
        Close(Open("truncfile", O_CREATE | O_TRUNC | O_WRONLY));
        int pid = helper("truncate3");
        try
        {
            for (int i = 0; i < 150; i++)
            {
                int fd = Open("truncfile", O_CREATE | O_WRONLY | O_TRUNC);
                if (fd < 0) fail("open failed");
                int n = Write(fd, "xxx");
                Close(fd);
                if (n != 3) fail($"write got {n}, expected 3");
            }
        }
        finally
        {
            int xstatus = WaitPid(pid);
            Unlink("truncfile");
            if (xstatus != 0) fail($"child exited with {xstatus}");
        }
    }

    // two processes write through one open file (a shared offset): nothing is lost or overwritten
    private void sharedfd(string s)
    {
        const int N = 1000, SZ = 10;
        Unlink("sharedfd");
        int fd = Open("sharedfd", O_CREATE | O_RDWR);
        if (fd < 0) fail("cannot open sharedfd for writing");
        int pid = helperWithFds(new[] { 0, 1, 2, fd }, "sharedfd");
        var b = new byte[SZ];
        Array.Fill(b, (byte)'p');
        for (int i = 0; i < N; i++)
            if (Write(fd, b) != SZ) fail("write sharedfd failed");
        int xstatus = WaitPid(pid);
        if (xstatus != 0) fail($"child exited with {xstatus}");
        Close(fd);

        fd = Open("sharedfd", O_RDONLY);
        if (fd < 0) fail("cannot open sharedfd for reading");
        int nc = 0, np = 0, n;
        while ((n = Read(fd, b)) > 0)
            for (int i = 0; i < n; i++)
            {
                if (b[i] == 'c') nc++;
                if (b[i] == 'p') np++;
            }
        Close(fd);
        Unlink("sharedfd");
        if (nc != N * SZ || np != N * SZ) fail($"nc/np test fails ({nc} c, {np} p, wanted {N * SZ} each)");
    }

    // four processes write different files at the same time (block allocation)
    private void fourfiles(string s)
    {
        const int N = 12, NCHILD = 4, SZ = 500;
        for (int pi = 0; pi < NCHILD; pi++) Unlink(name2('f', pi));
        var pids = new int[NCHILD];
        for (int pi = 0; pi < NCHILD; pi++) pids[pi] = helper("fourfiles", pi.ToString());
        waitall(pids);
        for (int i = 0; i < NCHILD; i++)
        {
            string fname = name2('f', i);
            int fd = Open(fname, O_RDONLY);
            if (fd < 0) fail($"open {fname} failed");
            int total = 0, n;
            while ((n = Read(fd, buf.AsSpan(0, BUFSZ))) > 0)
            {
                for (int j = 0; j < n; j++)
                    if (buf[j] != '0' + i) fail($"wrong char in {fname}");
                total += n;
            }
            Close(fd);
            if (total != N * SZ) fail($"wrong length {total}");
            Unlink(fname);
        }
    }

    // four processes create and delete different files in the same directory
    private void createdelete(string s)
    {
        const int N = 20, NCHILD = 4;
        var pids = new int[NCHILD];
        for (int pi = 0; pi < NCHILD; pi++) pids[pi] = helper("createdelete", pi.ToString());
        waitall(pids);
        try
        {
            for (int i = 0; i < N; i++)
                for (int pi = 0; pi < NCHILD; pi++)
                {
                    string name = name2((char)('p' + pi), i);
                    int fd = Open(name, O_RDONLY);
                    if ((i == 0 || i >= N / 2) && fd < 0) fail($"oops createdelete {name} didn't exist");
                    if (i >= 1 && i < N / 2 && fd >= 0) fail($"oops createdelete {name} did exist");
                    if (fd >= 0) Close(fd);
                }
        }
        finally
        {
            for (int i = 0; i < N; i++)
                for (int pi = 0; pi < NCHILD; pi++) Unlink(name2((char)('p' + pi), i));
        }
    }

    // concurrent create, link and unlink of the same names
    private void concreate(string s)
    {
        const int N = 40;
        for (int i = 0; i < N; i++)
        {
            string file = name2('C', i);
            Unlink(file);
            int pid = helper("concreate1", i.ToString());
            if (i % 3 == 1) Link("C0", file);
            else
            {
                int fd = Open(file, O_CREATE | O_RDWR);
                if (fd < 0) fail($"concreate create {file} failed");
                Close(fd);
            }
            if (WaitPid(pid) != 0) fail("child failed");
        }

        var fa = new bool[N];
        int n = 0;
        int dfd = Open(".", O_RDONLY);
        var de = new byte[DIRENT_SIZE];
        while (ReadFull(dfd, de) == DIRENT_SIZE)
        {
            if ((de[0] | de[1] << 8) == 0) continue;
            if (de[2] == 'C' && de[4] == 0)
            {
                int i = de[3] - '0';
                if (i < 0 || i >= N) fail($"concreate weird file C{(char)de[3]}");
                if (fa[i]) fail($"concreate duplicate file C{(char)de[3]}");
                fa[i] = true;
                n++;
            }
        }
        Close(dfd);
        if (n != N) fail($"concreate not enough files in directory listing ({n} of {N})");

        for (int i = 0; i < N; i++)
        {
            string file = name2('C', i);
            int pid = helper("concreate2", i.ToString());
            if (i % 3 == 1) for (int k = 0; k < 6; k++) Close(Open(file, O_RDONLY));
            else for (int k = 0; k < 6; k++) Unlink(file);
            WaitPid(pid);
        }
        for (int i = 0; i < N; i++)
            if (Stat(name2('C', i), out _) == 0) fail($"{name2('C', i)} survived its unlinks");
    }

    // two processes creating, linking and unlinking one name at random
    private void linkunlink(string s)
    {
        Unlink("x");
        int fd = create("lu.src", "lu.src");
        Close(fd);
        int pid = helper("linkunlink", "97");
        linkunlinkloop(1);
        int xstatus = WaitPid(pid);
        Unlink("x");
        Unlink("lu.src");
        if (xstatus != 0) fail($"child exited with {xstatus}");
    }

    private void linkunlinkloop(uint x)
    {
        for (int i = 0; i < 100; i++)
        {
            x = x * 1103515245 + 12345;
            if (x % 3 == 0) Close(Open("x", O_RDWR | O_CREATE));
            else if (x % 3 == 1) Link("lu.src", "x");
            else Unlink("x");
        }
    }

    // concurrent writes, many of them (xv6: to provoke deadlock in the disk driver)
    private void manywrites(string s)
    {
        const int nchildren = 4;
        var pids = new int[nchildren];
        for (int ci = 0; ci < nchildren; ci++) pids[ci] = helper("manywrites", ci.ToString());
        waitall(pids);
    }

    // waitall: waits for every one of pids (in whatever order they end); each must exit 0
    private void waitall(int[] pids)
    {
        var left = new HashSet<int>(pids);
        while (left.Count > 0)
        {
            int w = Wait(out int st);
            if (w < 0) fail($"wait returned -1 with {left.Count} children left");
            if (!left.Remove(w)) fail($"wait returned {w}, not one of the children");
            if (st != 0) fail($"child {w} exited with {st}");
        }
    }
}

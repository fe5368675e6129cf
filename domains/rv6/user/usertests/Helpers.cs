// domains/rv6/user/usertests: `usertests -child WHAT ...`, the other processes of the tests: what the
// child does after fork in xv6's usertests.c. Each returns its exit status; problems are printed on
// fd 1 (the test's pipe to the driver) like the test's own messages.
namespace Domains.Rv6.User;

public sealed partial class UserTests
{
    private int child(string[] args)
    {
        string what = args[0];
        int arg = args.Length > 1 ? Atoi(args[1]) : 0;
        try
        {
            switch (what)
            {
                case "exit": return arg;
                case "spin": for (;;) Getpid();
                case "sleep": return Sleep(arg) < 0 ? 1 : 0;
                case "spawnsleeper": return helper("sleep", "10") > 0 ? 0 : 1;
                case "getpid": Printf($"{Getpid()}\n"); return 0;
                case "exec": Exec(args[1..]); return complain($"exec {args[1]} failed");
                case "pipe1": childPipe1(); return 0;
                case "exitiput": childExitiput(); return 0;
                case "openiput": return Open("oidir", O_RDWR) >= 0 ? complain("open directory for write succeeded") : 0;
                case "sharedfd": childSharedfd(); return 0;
                case "truncate3": childTruncate3(); return 0;
                case "fourfiles": childFourfiles(arg); return 0;
                case "createdelete": childCreatedelete(arg); return 0;
                case "concreate1": childConcreate1(arg); return 0;
                case "concreate2": childConcreate2(arg); return 0;
                case "linkunlink": linkunlinkloop((uint)arg); return 0;
                case "manywrites": childManywrites(arg); return 0;
                default: return complain($"usertests: no helper {what}");
            }
        }
        catch (TestFailure f)
        {
            Printf($"{what}: {f.Message}\n");
            return 1;
        }
    }

    private int complain(string what)
    {
        Printf(what + "\n");
        return 1;
    }

    private void childPipe1()
    {
        const int N = 5, SZ = 1033;
        int seq = 0;
        for (int n = 0; n < N; n++)
        {
            for (int i = 0; i < SZ; i++) buf[i] = (byte)seq++;
            if (Write(1, buf.AsSpan(0, SZ)) != SZ) fail("pipe1 oops 1");
        }
    }

    private void childExitiput()
    {
        if (Mkdir("iputdir") < 0) fail("mkdir failed");
        if (Chdir("iputdir") < 0) fail("child chdir failed");
        if (Unlink("../iputdir") < 0) fail("unlink ../iputdir failed");
    }

    // the file is this process's fd 3, the same open file as the parent's
    private void childSharedfd()
    {
        var b = new byte[10];
        Array.Fill(b, (byte)'c');
        for (int i = 0; i < 1000; i++)
            if (Write(3, b) != b.Length) fail("write sharedfd failed");
    }

    private void childTruncate3()
    {
        var b = new byte[32];
        for (int i = 0; i < 100; i++)
        {
            int fd = Open("truncfile", O_WRONLY);
            if (fd < 0) fail("open failed");
            int n = Write(fd, "1234567890");
            Close(fd);
            if (n != 10) fail($"write got {n}, expected 10");
            fd = Open("truncfile", O_RDONLY);
            Read(fd, b);
            Close(fd);
        }
    }

    private void childFourfiles(int pi)
    {
        const int N = 12, SZ = 500;
        int fd = Open(name2('f', pi), O_CREATE | O_RDWR);
        if (fd < 0) fail("create failed");
        Array.Fill(buf, (byte)('0' + pi), 0, SZ);
        for (int i = 0; i < N; i++)
        {
            int n = Write(fd, buf.AsSpan(0, SZ));
            if (n != SZ) fail($"write failed {n}");
        }
        Close(fd);
    }

    private void childCreatedelete(int pi)
    {
        const int N = 20;
        for (int i = 0; i < N; i++)
        {
            int fd = Open(name2((char)('p' + pi), i), O_CREATE | O_RDWR);
            if (fd < 0) fail("create failed");
            Close(fd);
            if (i > 0 && i % 2 == 0 && Unlink(name2((char)('p' + pi), i / 2)) < 0) fail("unlink failed");
        }
    }

    // concreate's child, first round: link C0 to Ci when i % 5 == 1, else create Ci
    private void childConcreate1(int i)
    {
        string file = name2('C', i);
        if (i % 5 == 1) Link("C0", file);
        else
        {
            int fd = Open(file, O_CREATE | O_RDWR);
            if (fd < 0) fail($"concreate create {file} failed");
            Close(fd);
        }
    }

    // second round: open Ci when i % 3 == 0, else unlink it
    private void childConcreate2(int i)
    {
        string file = name2('C', i);
        if (i % 3 == 0) for (int k = 0; k < 6; k++) Close(Open(file, O_RDONLY));
        else for (int k = 0; k < 6; k++) Unlink(file);
    }

    private void childManywrites(int ci)
    {
        const int howmany = 30;
        string name = new string(new[] { 'b', (char)('a' + ci) });
        Unlink(name);
        for (int iters = 0; iters < howmany; iters++)
        {
            for (int i = 0; i < ci + 1; i++)
            {
                int fd = Open(name, O_CREATE | O_RDWR);
                if (fd < 0) fail($"cannot create {name}");
                int cc = Write(fd, buf.AsSpan(0, BUFSZ));
                Close(fd);
                if (cc != BUFSZ) fail($"write({BUFSZ}) ret {cc}");
            }
            Unlink(name);
        }
        Unlink(name);
    }
}

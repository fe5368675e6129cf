// domains/rv6/user/usertests: xv6's user/usertests.c for rv6: one program that exercises the system
// from the outside, a test per function, each named as in xv6 where xv6 has it.
//
//     usertests            run every test; "test NAME: OK" or "test NAME: FAILED <what it printed>" each,
//                          then "ALL TESTS PASSED" or "SOME TESTS FAILED"; exit 0 iff all passed
//     usertests NAME...    run only those
//     usertests -l         list the tests' names, one a line (the host makes one xunit case of each)
//
// As in xv6 each test runs in a process of its own: `usertests -run NAME` (its stdout a pipe the driver
// reads, so a failure's message lands on the driver's one line). Where an xv6 test forks to have
// processes act at once, rv6 spawns `usertests -child WHAT ...` (Helpers.cs) instead. Every test
// removes what it creates. The tests themselves: FileTests.cs (files, big files, links), DirTests.cs
// (directories, names, paths), ProcTests.cs (processes, pipes, exit and wait), ConcurrentTests.cs
// (several processes on the file system at once), LimitTests.cs (full disk, no inodes, bad arguments).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed partial class UserTests : UserProgram
{
    private const int MAXOPBLOCKS = 10, BUFSZ = (MAXOPBLOCKS + 2) * BSIZE, NINODE = 50;
    private readonly byte[] buf = new byte[BUFSZ];
    private string self = "usertests"; // argv[0], to spawn copies of this program
    private readonly (string Name, Action<string> Run)[] tests;

    public UserTests(ISyscalls sys) : base(sys) => tests = Table();

    private (string, Action<string>)[] Table() => new (string, Action<string>)[]
    {
        ("truncate1", truncate1), ("truncate2", truncate2), ("truncate3", truncate3),
        ("iput", iputtest), ("exitiput", exitiputtest), ("openiput", openiputtest),
        ("opentest", opentest), ("writetest", writetest), ("writebig", writebig), ("createtest", createtest),
        ("dirtest", dirtest), ("exectest", exectest), ("execpid", execpid), ("pipe1", pipe1), ("killstatus", killstatus),
        ("exitwait", exitwait), ("reparent", reparent), ("twochildren", twochildren), ("sharedfd", sharedfd),
        ("fourfiles", fourfiles), ("createdelete", createdelete), ("unlinkread", unlinkread), ("linktest", linktest),
        ("concreate", concreate), ("linkunlink", linkunlink), ("subdir", subdir), ("bigwrite", bigwrite),
        ("bigfile", bigfile), ("fourteen", fourteen), ("rmdot", rmdot), ("dirfile", dirfile), ("iref", iref),
        ("spawntest", spawntest), ("maxfile", maxfile), ("nlink", nlink), ("readdir", readdir), ("dotdot", dotdot),
        ("pathnames", pathnames), ("linkdir", linkdir), ("devfile", devfile), ("rdwrmodes", rdwrmodes),
        ("badfd", badfd), ("dupfd", dupfd), ("nofile", nofile), ("pipeeof", pipeeof), ("spawnbad", spawnbad),
        ("spawnbadfd", spawnbadfd), ("waitnochild", waitnochild), ("killnone", killnone), ("getpid", getpidtest),
        ("sleepuptime", sleepuptime), ("bigdir", bigdir), ("manywrites", manywrites),
        ("diskfull", diskfull), ("outofinodes", outofinodes),
    };

    protected override int Main(string[] argv)
    {
        if (argv.Length > 0) self = argv[0];
        if (argv.Length == 2 && argv[1] == "-l")
        {
            foreach (var t in tests) Printf(t.Name + "\n");
            return 0;
        }
        if (argv.Length == 3 && argv[1] == "-run") return runhere(argv[2]);
        if (argv.Length >= 3 && argv[1] == "-child") return child(argv[2..]);

        var chosen = new List<(string Name, Action<string> Run)>();
        for (int i = 1; i < argv.Length; i++)
        {
            int k = Array.FindIndex(tests, t => t.Name == argv[i]);
            if (k < 0)
            {
                Printf($"usertests: no test {argv[i]} (usertests -l lists them)\n");
                return 1;
            }
            chosen.Add(tests[k]);
        }
        if (chosen.Count == 0) chosen.AddRange(tests);

        Printf("usertests starting\n");
        int failed = 0;
        foreach (var t in chosen) if (!run(t.Name)) failed++;
        if (failed > 0)
        {
            Printf("SOME TESTS FAILED\n");
            return 1;
        }
        Printf("ALL TESTS PASSED\n");
        return 0;
    }

    // run: runs one test in its own process, its output collected through a pipe; true if it exited 0.
    private bool run(string name)
    {
        Printf($"test {name}: ");
        var p = new int[2];
        int pid = -1;
        if (Pipe(p) == 0)
        {
            pid = Spawn(new[] { self, "-run", name }, new[] { 0, p[1], 2 });
            Close(p[1]);
            if (pid < 0) Close(p[0]);
        }
        if (pid < 0)
        {
            // No second process (no pipe, or spawn failed): run it here, its messages straight to fd 1.
            bool ok = runhere(name) == 0;
            Printf(ok ? "OK\n" : "FAILED\n");
            return ok;
        }
        var output = new System.Text.StringBuilder();
        int n;
        while ((n = Read(p[0], buf)) > 0) output.Append(Str.FromBytes(buf.AsSpan(0, n)));
        Close(p[0]);
        int status = WaitPid(pid);
        if (status == 0)
        {
            Printf("OK\n");
            return true;
        }
        string what = output.ToString().Trim().Replace("\n", " | ");
        Printf(what.Length == 0 ? $"FAILED (exit status {status})\n" : $"FAILED {what}\n");
        return false;
    }

    // runhere: runs test name in this process; 0 if it passed, 1 (after saying why on fd 1) if not.
    private int runhere(string name)
    {
        int k = Array.FindIndex(tests, t => t.Name == name);
        if (k < 0)
        {
            Printf($"usertests: no test {name}\n");
            return 1;
        }
        try
        {
            tests[k].Run(name);
            return 0;
        }
        catch (TestFailure f)
        {
            Printf($"{name}: {f.Message}\n");
            return 1;
        }
        catch (Exception e) when (e is not ExitException and not DomainStoppedException)
        {
            Printf($"{name}: threw {e.Message}\n");
            return 1;
        }
    }

    /// <summary>Ends the running test as failed (xv6's printf then exit(1)).</summary>
    private static void fail(string what) => throw new TestFailure(what);

    // Small helpers the tests share.
    private static string name2(char c0, int i) => new string(new[] { c0, (char)('0' + i) });

    private int create(string path, string what)
    {
        int fd = Open(path, O_CREATE | O_RDWR);
        if (fd < 0) fail($"create {what} failed");
        return fd;
    }

    /// <summary>Spawns `usertests -child args...` with this process's 0, 1, 2 (and more fds if given).</summary>
    private int helper(params string[] args)
    {
        var argv = new string[args.Length + 2];
        argv[0] = self;
        argv[1] = "-child";
        args.CopyTo(argv, 2);
        int pid = Spawn(argv, new[] { 0, 1, 2 });
        if (pid < 0) fail($"spawn {string.Join(' ', args)} failed");
        return pid;
    }

    private int helperWithFds(int[] fds, params string[] args)
    {
        var argv = new string[args.Length + 2];
        argv[0] = self;
        argv[1] = "-child";
        args.CopyTo(argv, 2);
        int pid = Spawn(argv, fds);
        if (pid < 0) fail($"spawn {string.Join(' ', args)} failed");
        return pid;
    }
}

/// <summary>A test's failure and what it printed in xv6.</summary>
public sealed class TestFailure : Exception
{
    public TestFailure(string message) : base(message) { }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new UserTests(sys);
}

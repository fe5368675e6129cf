// tests/systems/RedLeaf.Systems/Rv6: RISC-V executables as rv6 processes (issue 6): each case of the `cases` program (every
// system call; fork/exec/pipe/wait; faults; kill; sbrk to exhaustion; bad pointers) with the page pool
// checked whole after each; pipes between RISC-V and C# programs; damaged executables refused with a
// reason while rv6 runs on; a spinning process killed from the shell; a crashed interpreter domain.
using System.Diagnostics;
using RedLeaf.Systems.Rv6;
using RedLeaf.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace RedLeaf.Tests.Riscv;

[Trait("suite", "riscv")]
[Collection("rv6-riscv")]
public class RiscvRv6Tests : IClassFixture<Rv6RiscvFixture>
{
    private readonly Rv6System _rv6;
    private readonly ITestOutputHelper _out;

    public RiscvRv6Tests(Rv6RiscvFixture f, ITestOutputHelper output)
    {
        _rv6 = f.Rv6;
        _out = output;
    }

    private Rv6Run Run(string line)
    {
        var r = _rv6.Run(line);
        _out.WriteLine($"$ {line}  (status {r.Status}, {r.Elapsed.TotalMilliseconds:F0} ms)\n{r.Text}");
        return r;
    }

    /// <summary>Every RISC-V process is gone and every page is back in the pool.</summary>
    private void AssertNothingLeft()
    {
        var sw = Stopwatch.StartNew();
        while ((_rv6.Loader.Live > 0 || _rv6.Loader.Riscv.Pool.FreePages != _rv6.Loader.Riscv.Pool.TotalPages) && sw.Elapsed < TimeSpan.FromSeconds(10))
            Thread.Sleep(20);
        Assert.Equal(0, _rv6.Loader.Live);
        Assert.Equal(_rv6.Loader.Riscv.Pool.TotalPages, _rv6.Loader.Riscv.Pool.FreePages);
        Assert.Equal(0, _rv6.Loader.Riscv.ParkedCount);
    }

    [Theory]
    [InlineData("fork")]
    [InlineData("forkmany")]
    [InlineData("getpid")]
    [InlineData("pipe")]
    [InlineData("forkfd")]
    [InlineData("exec")]
    [InlineData("execcs")]
    [InlineData("wait")]
    [InlineData("kill")]
    [InlineData("sbrk")]
    [InlineData("sbrkfail")]
    [InlineData("faults")]
    [InlineData("badptr")]
    [InlineData("files")]
    [InlineData("sleep")]
    public void Case(string name)
    {
        var r = Run($"cases {name}");
        Assert.DoesNotContain("FAIL", r.Text);
        Assert.Contains($"ok {name}\n", r.Text);
        Assert.Equal(0, r.Status);
        AssertNothingLeft();
    }

    /// <summary>exec across kinds, from the C# side: a C# program (usertests' helper) execs an ELF file, and
    /// the interpreter's domain takes the process over (the RISC-V side is the `execcs` case).</summary>
    [Fact]
    public void ACSharpProgramExecsARiscvExecutable()
    {
        var r = Run("usertests -child exec hello one two | wc");
        Assert.Equal(0, r.Status);
        var direct = Run("usertests -child exec hello one two");
        Assert.Equal("hello from riscv: argc=3 [hello] [one] [two]\n", direct.Text);
        Assert.Equal(0, direct.Status);
        Assert.Equal("1 7 45 \n", r.Text);
        AssertNothingLeft();
    }

    /// <summary>A program linked with writable text (one RWX segment, as xv6's forktest): its stores and a
    /// read() into its own code take effect at once, and a forked child's patch stays in the child.</summary>
    [Fact]
    public void AProgramWithWritableTextSeesItsOwnPatches()
    {
        var r = Run("rwx");
        Assert.Equal("rwx: ok\n", r.Text);
        Assert.Equal(0, r.Status);
        AssertNothingLeft();
    }

    [Fact]
    public void FaultsAreReportedAsXv6DoesAndKillOnlyTheFaultingProcess()
    {
        var r = Run("cases faults");
        Assert.Equal(11, r.Text.Split('\n').Count(l => l.StartsWith("usertrap(): ")));
        Assert.Contains("store page fault", r.Text);
        Assert.Contains("load page fault", r.Text);
        Assert.Contains("instruction page fault", r.Text);
        Assert.Contains("illegal instruction", r.Text);
        Assert.Equal(0, r.Status);
    }

    [Fact]
    public void ArgvReachesMainAsExecLaysItOut()
    {
        var r = Run("hello one 'two' three");
        Assert.StartsWith("hello from riscv: argc=4 [hello] [one] ['two'] [three]\n", r.Text);
    }

    [Fact]
    public void PipesJoinRiscvAndCSharpProgramsBothWays()
    {
        Assert.Equal("1 3 14 \n", Run("echo one two three | rcat | wc").Text);         // C# -> RISC-V -> C#
        Assert.Equal("hello from riscv: argc=2 [hello] [x]\n", Run("hello x | rcat | cat").Text); // RISC-V -> RISC-V -> C#
        Assert.Contains("rv6 with RISC-V programs", Run("rcat README | grep RISC-V").Text);
        Assert.Equal("abc\n", Run("echo abc > f.txt; rcat < f.txt; rm f.txt").Text); // redirections
        AssertNothingLeft();
    }

    [Fact]
    public void MatmulComputesWhatCSharpComputes()
    {
        int n = 24;
        var a = new int[n * n];
        var b = new int[n * n];
        for (int i = 0; i < n * n; i++) { a[i] = (i * 7 + 3) % 101 - 50; b[i] = (i * 13 + 5) % 97 - 48; }
        ulong sum = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int s = 0;
                for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
                sum = sum * 31 + (uint)s;
            }
        Assert.Equal($"matmul: n={n} checksum={sum}\n", Run($"matmul {n} 1").Text);
        Assert.Equal("sieve: 1229 primes below 10000\n", Run("sieve 10000 2").Text);
    }

    [Fact]
    public void DamagedExecutablesAreRefusedWithAReasonAndRv6RunsOn()
    {
        foreach (var (name, reason) in Rv6RiscvFixture.Bad)
        {
            var r = Run(name);
            if (name == "badmagic")
            {
                // Not an ELF, so not a RISC-V program: the shell cannot run it, as xv6's sh cannot.
                Assert.Contains("exec badmagic failed", r.Text);
                continue;
            }
            Assert.Contains($"exec {name} failed: ", r.Text);
            Assert.Contains(reason, r.Text);
            Assert.Equal(1, r.Status);
        }
        var direct = Run("riscv badmagic");
        Assert.Contains("exec badmagic failed: not an ELF file (bad magic)", direct.Text);
        Assert.StartsWith("hello from riscv", Run("hello").Text);
        AssertNothingLeft();
    }

    [Fact]
    public void TheShellStartsASpinnerInTheBackgroundAndKillEndsIt()
    {
        Assert.Equal(0, Run("spin &").Status);
        int pid = WaitForOneProcess();
        var k = Run($"kill {pid}");
        Assert.Equal(0, k.Status);
        AssertNothingLeft();
        Assert.StartsWith("hello from riscv", Run("hello").Text);
    }

    [Fact]
    public void ACrashedInterpreterDomainEndsItsProcessAndRv6RunsOn()
    {
        Assert.Equal(0, Run("spin &").Status);
        WaitForOneProcess();
        var domain = _rv6.Kernel.Domains.Single(d => d.Name.StartsWith("riscv") && d.Status == RedLeaf.Os.Domains.DomainStatus.Running);
        Assert.True(_rv6.Kernel.InjectFault(domain, "test: the interpreter domain crashes"));
        AssertNothingLeft();
        Assert.StartsWith("hello from riscv", Run("hello").Text);
        Assert.Equal("1 3 14 \n", Run("echo one two three | rcat | wc").Text);
    }

    private int WaitForOneProcess()
    {
        var sw = Stopwatch.StartNew();
        while (_rv6.Loader.Live != 1 && sw.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(10);
        var pids = _rv6.Loader.Pids();
        Assert.Single(pids);
        return pids[0];
    }

    [Fact]
    public void TheCommandRunsRiscvBinariesFromAnImageMadeByMkfs()
    {
        string dir = Directory.CreateTempSubdirectory("redleaf-riscv-cli-").FullName;
        try
        {
            var (built, builtOut, builtErr) = CliTests.Redleaf("riscv", "build", Path.Combine(dir, "bin"));
            Assert.True(built == 0, builtErr);
            Assert.Contains(Path.Combine(dir, "bin", "hello"), builtOut);
            string image = Path.Combine(dir, "fs.img");
            var (mk, _, mkErr) = CliTests.Redleaf("mkfs", image, Path.Combine(dir, "bin"));
            Assert.True(mk == 0, mkErr);
            var (exit, stdout, stderr) = CliTests.Redleaf("rv6", "--image", image, "-c", "hello a | wc; echo x y | rcat");
            Assert.True(exit == 0, stderr);
            Assert.Equal("1 6 37 \nx y\n", stdout);
        }
        finally { Directory.Delete(dir, true); }
    }
}

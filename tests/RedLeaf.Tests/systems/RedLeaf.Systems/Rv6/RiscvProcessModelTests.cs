// tests/systems/RedLeaf.Systems/Rv6: the RISC-V process model (issue 19, item 4): one interpreter domain serves every
// RISC-V process, each through a session machine the program loader offers it (RiscvService.Offer, claimed with
// RiscvMachine.Claim) and revokes when the process ends. Two processes share the domain and a kill ends only
// one; a session ticket is claimed once, never guessed, and dies with its revocation or with the grant that
// claimed it. (The faults case of RiscvRv6Tests checks that a fault ends only the faulting process.)
using System.Diagnostics;
using RedLeaf.Abi;
using RedLeaf.Os.Domains;
using RedLeaf.Systems.Rv6;
using Xunit;
using Xunit.Abstractions;

namespace RedLeaf.Tests.Riscv;

[Trait("suite", "riscv")]
[Collection("rv6-riscv")]
public class RiscvProcessModelTests : IClassFixture<Rv6RiscvFixture>
{
    private readonly Rv6System _rv6;
    private readonly ITestOutputHelper _out;

    public RiscvProcessModelTests(Rv6RiscvFixture f, ITestOutputHelper output)
    {
        _rv6 = f.Rv6;
        _out = output;
    }

    private static void Until(Func<bool> done, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!done() && sw.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(10);
        Assert.True(done(), $"not within 10 s: {what}");
    }

    [Fact]
    public void TwoRiscvProcessesShareOneInterpreterDomainAndAKillEndsOnlyOne()
    {
        Assert.Equal(0, _rv6.Run("spin &").Status);
        Assert.Equal(0, _rv6.Run("spin &").Status);
        Until(() => _rv6.Loader.Live == 2, "two spinners loaded");
        var host = _rv6.Loader.RiscvHost!;
        var interpreters = _rv6.Kernel.Domains.Where(d => d.Name == ProgramLoader.RiscvProgram && d.Status == DomainStatus.Running).ToList();
        _out.WriteLine($"interpreter domains running: {interpreters.Count}; processes: {string.Join(", ", _rv6.Loader.Pids())}");
        Assert.Single(interpreters);
        Assert.Same(host, interpreters[0]);

        var pids = _rv6.Loader.Pids();
        var sw = Stopwatch.StartNew();
        Assert.Equal(0, _rv6.Run($"kill {pids[0]}").Status);
        Until(() => _rv6.Loader.Live == 1, "the killed spinner gone");
        _out.WriteLine($"the kill ended its process in {sw.ElapsedMilliseconds} ms");
        Assert.Equal(new[] { pids[1] }, _rv6.Loader.Pids());
        Assert.Equal(DomainStatus.Running, host.Status); // the other process's interpreter runs on
        long retired = RedLeaf.Hardware.Riscv.RiscvHart.RetiredTotal;
        Thread.Sleep(100);
        Assert.True(RedLeaf.Hardware.Riscv.RiscvHart.RetiredTotal > retired, "the surviving spinner stopped running");

        Assert.Equal(0, _rv6.Run($"kill {pids[1]}").Status);
        Until(() => _rv6.Loader.Live == 0 && _rv6.Loader.Riscv.Pool.FreePages == _rv6.Loader.Riscv.Pool.TotalPages, "both gone, every page back");
        Assert.StartsWith("hello from riscv", _rv6.Run("hello").Text);
        Assert.Same(host, _rv6.Loader.RiscvHost); // no new interpreter was needed
    }

    [Fact]
    public void ASessionIsClaimedOnceNeverGuessedAndRevokedWithItsProcessOrItsClaimer()
    {
        var service = _rv6.Loader.Riscv;
        var grant = service.Grant("test interpreter");
        long ticket = service.Offer("test process", out var offered);
        var session = grant.Claim(ticket);
        Assert.NotNull(session);
        Assert.Null(grant.Claim(ticket));            // claimed once
        Assert.Null(grant.Claim(ticket ^ 1));        // not guessed from a neighbour
        Assert.Null(grant.Claim(0));

        var p = session!.Create();
        Assert.True(p.Resize(2 * RiscvProcess.PageSize));
        long free = service.Pool.FreePages;
        service.Revoke(offered);                     // the process ended: its memory comes back, every use fails
        Assert.Equal(free + 2, service.Pool.FreePages);
        Assert.Throws<RiscvRevokedException>(() => p.Size);
        Assert.Throws<RiscvRevokedException>(() => session.Create());

        long late = service.Offer("revoked before it was claimed", out var lateSession);
        service.Revoke(lateSession);
        Assert.Null(grant.Claim(late));

        long second = service.Offer("claimed, then the claimer dies", out _);
        var s2 = grant.Claim(second)!;
        var q = s2.Create();
        Assert.True(q.Resize(RiscvProcess.PageSize));
        service.Revoke(grant);                       // the interpreter died: every session it claimed goes with it
        Assert.Throws<RiscvRevokedException>(() => s2.Create());
        long afterTicket = service.Offer("offered after the claimer died", out var after);
        Assert.Throws<RiscvRevokedException>(() => grant.Claim(afterTicket));
        service.Revoke(after);
        Assert.Equal(0, service.OfferedCount);       // nothing offered is left behind
    }

    // A process's memory grows on the interpreter domain's thread, and one domain serves every process: that memory is
    // bounded by the kernel's page pool, not charged to the domain's allocation window (AllocationMeter.NotCharged).
    // Before, `cases sbrkfail` (grow to the pool's end, twice) run a few times faulted the whole interpreter domain
    // ("allocation quota"), ending every RISC-V process with it.
    [Fact]
    public void GrowingToThePoolsEndTimeAfterTimeDoesNotFaultTheInterpreter()
    {
        Assert.StartsWith("hello from riscv", _rv6.Run("hello").Text);
        var host = _rv6.Loader.RiscvHost!;
        int crashes = host.Crashes.Count;
        for (int i = 0; i < 4; i++)
        {
            var r = _rv6.Run("cases sbrkfail");
            _out.WriteLine($"pass {i}: status {r.Status}: {r.Text.Trim()}");
            Assert.Contains("ok sbrkfail\n", r.Text);
        }
        Assert.Same(host, _rv6.Loader.RiscvHost);
        Assert.Equal(RedLeaf.Os.Domains.DomainStatus.Running, host.Status);
        Assert.Equal(crashes, host.Crashes.Count);
    }
}

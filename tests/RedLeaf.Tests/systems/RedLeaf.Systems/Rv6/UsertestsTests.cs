// tests/systems/RedLeaf.Systems/Rv6: rv6's usertests (domains/rv6/user/usertests, after xv6's usertests.c), one xunit case per
// test, each run from rv6's shell (`usertests NAME`) on one booted rv6 shared by the class, so that
// `dotnet test` names the test that failed. The list is pinned here; a test checks it equals what
// `usertests -l` prints, so a test added to the program without being added here fails loudly.
using RedLeaf.Systems.Rv6;
using RedLeaf.Xv6;
using Xunit;

namespace RedLeaf.Tests.Rv6;

public sealed class Rv6Fixture : IDisposable
{
    public Rv6Fixture() => System = Rv6System.Boot();
    public Rv6System System { get; }
    public void Dispose() => System.Dispose();
}

[Trait("suite", "rv6")]
public class UsertestsTests : IClassFixture<Rv6Fixture>
{
    public static readonly string[] Names =
    {
        "truncate1", "truncate2", "truncate3", "iput", "exitiput", "openiput", "opentest", "writetest", "writebig",
        "createtest", "dirtest", "exectest", "execpid", "pipe1", "killstatus", "exitwait", "reparent", "twochildren", "sharedfd",
        "fourfiles", "createdelete", "unlinkread", "linktest", "concreate", "linkunlink", "subdir", "bigwrite", "bigfile",
        "fourteen", "rmdot", "dirfile", "iref", "spawntest", "maxfile", "nlink", "readdir", "dotdot", "pathnames", "linkdir",
        "devfile", "rdwrmodes", "badfd", "dupfd", "nofile", "pipeeof", "spawnbad", "spawnbadfd", "waitnochild", "killnone",
        "getpid", "sleepuptime", "bigdir", "manywrites", "diskfull", "outofinodes",
    };

    public static IEnumerable<object[]> Cases => Names.Select(n => new object[] { n });

    private readonly Rv6System _rv6;
    public UsertestsTests(Rv6Fixture fixture) => _rv6 = fixture.System;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Usertest(string name)
    {
        int logged = _rv6.Kernel.Log.Entries.Count;
        var run = _rv6.Run($"usertests {name}");
        Assert.True(run.Status == 0 && run.Text.Contains($"test {name}: OK", StringComparison.Ordinal),
            $"usertests {name} (exit {run.Status}):\n{run.Text}\ncrashes in the kernel's log:\n" +
            string.Join("\n", _rv6.Kernel.Log.Entries.Skip(logged).Where(e => e.Message.Contains(" Crash", StringComparison.Ordinal)).Select(e => e.Message)));
        Assert.True(SpinWait.SpinUntil(() => _rv6.ProcessCount() == 0, TimeSpan.FromSeconds(10)), $"processes left behind by {name}: {_rv6.ProcessCount()}");
        var fsck = Fsck.Check(_rv6.DiskImage(), $"after usertests {name}");
        Assert.True(fsck.Clean, $"fsck after {name}:\n{Print(fsck)}");
    }

    [Fact]
    public void TheListMatchesWhatUsertestsPrints()
    {
        var run = _rv6.Run("usertests -l");
        Assert.Equal(0, run.Status);
        Assert.Equal(Names, run.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(Names.Length >= 40);
    }

    private static string Print(FsckReport r)
    {
        var w = new StringWriter();
        r.Print(w);
        return w.ToString();
    }
}

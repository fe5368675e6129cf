// tests/kernel-ext/RedLeaf.Cli: `redleaf verify --interfaces IDL`, for homework that declares its own interfaces:
// the set is checked first (its refusals name file and line, and then no domain is checked), and the
// domains compile against it, so a domain that implements or calls it is accepted.
using RedLeaf.Tests.Cli;
using Xunit;

namespace RedLeaf.Tests.Trusted;

[Trait("suite", "trusted")]
public class VerifyInterfacesTests
{
    private const string Idl = """
        using RedLeaf.Abi;
        namespace Homework.Tally;

        [DomainInterface]
        public interface ITally { RpcResult<long> Next(long by); }
        """;

    private const string Tally = """
        using RedLeaf.Abi;
        using Homework.Tally;
        sealed class T : ITally { long _n; public RpcResult<long> Next(long by) { _n += by; return _n; } }
        public static class Entry { [DomainEntry] public static ITally Start() { return new T(); } }
        """;

    [Fact]
    public void DomainsCompileAgainstTheInterfaceSetAndABadSetStopsTheRun()
    {
        var dir = Directory.CreateTempSubdirectory("redleaf-verify-idl-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "idl.cs"), Idl);
            Directory.CreateDirectory(Path.Combine(dir, "tally"));
            File.WriteAllText(Path.Combine(dir, "tally", "Tally.cs"), Tally);

            var (exit, stdout, stderr) = CliTests.Redleaf("verify", "--interfaces", Path.Combine(dir, "idl.cs"), Path.Combine(dir, "tally"));
            Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
            Assert.Contains("ok       interfaces", stdout);
            Assert.Contains("Homework.Tally.ITally (Cell.Interfaces.", stdout);
            Assert.Contains("2 accepted, 0 refused", stdout);

            (exit, stdout, _) = CliTests.Redleaf("verify", Path.Combine(dir, "tally"));
            Assert.Equal(1, exit); // without the set, ITally is unknown
            Assert.Contains("CS0246", stdout);

            File.WriteAllText(Path.Combine(dir, "idl.cs"), Idl + "\npublic class Helper { }\n");
            (exit, stdout, _) = CliTests.Redleaf("verify", "--interfaces", Path.Combine(dir, "idl.cs"), Path.Combine(dir, "tally"));
            Assert.Equal(1, exit);
            Assert.Contains("idl.cs(6,", stdout);
            Assert.Contains("error RLIDL005", stdout);
            Assert.Contains("the domains were not checked", stdout);
        }
        finally { Directory.Delete(dir, true); }
    }
}

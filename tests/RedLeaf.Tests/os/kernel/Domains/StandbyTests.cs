// tests/os/kernel/Domains: the standby (os/kernel/Domains/Standby.cs), the next instance the kernel prepares in the
// background for a domain whose restart right it granted to a shadow: a restart that finds it ready starts it and
// counts it (Domain.StandbyRestarts), the kernel prepares the next one, and a domain nobody may restart gets none.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using Xunit;

namespace RedLeaf.Tests.Kernel;

[Trait("suite", "kernel")]
public class StandbyTests
{
    private static void WaitForStandby(Domain d) =>
        Assert.True(SpinWait.SpinUntil(() => d.StandbyReady, TimeSpan.FromSeconds(30)), $"{d.Name}'s standby was never ready");

    [Fact]
    public void ARestartStartsTheReadyStandbyCountsItAndTheKernelPreparesTheNext()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            Assert.False(b.StandbyReady); // nobody holds its restart right yet
            k.GrantRestart(b);
            WaitForStandby(b);

            k.Restart(b);
            Assert.Equal((1, 1), (b.Restarts, b.StandbyRestarts));
            Assert.Contains(k.Log.Entries, e => e.Message.Contains($"dom_b restarted as instance {b.Id} (from its standby)"));
            Assert.Equal(42, domB.Add(20, 22).Value); // the standby serves through the same export
            Assert.Equal(2, domB.Calls().Value);      // with fresh state

            WaitForStandby(b); // prepared again after the restart
            k.Restart(b);
            Assert.Equal((2, 2), (b.Restarts, b.StandbyRestarts));
        }
    }

    [Fact]
    public void ADomainNobodyMayRestartHasNoStandbyAndRestartsTheSlowWay()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            k.Restart(b);
            Assert.Equal((1, 0), (b.Restarts, b.StandbyRestarts));
            Assert.False(b.StandbyReady);
            Assert.Contains(k.Log.Entries, e => e.Message.EndsWith($"dom_b restarted as instance {b.Id}", StringComparison.Ordinal));
            Assert.Equal(1, domB.Calls().Value);
        }
    }
}

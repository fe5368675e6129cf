// tests/os/abi/Kernel: the kernel's WaitLock (os/abi/Kernel/WaitLock.cs), xv6's sleep(chan, lk) and wakeup(chan):
// a wakeup wakes the sleepers on its channel and no others (rv6's pipes, wait() and sleep share the core's one
// lock), WakeupAll wakes every sleeper (kill), and a sleep releases the lock and takes it back. Host threads,
// no domain: the lock needs none.
using RedLeaf.Abi;
using Xunit;

namespace RedLeaf.Tests.Abi.Kernel;

[Trait("suite", "kernel")]
public class WaitLockTests
{
    /// <summary>Runs a sleeper on its own thread: takes the lock, sleeps on <paramref name="chan"/> up to
    /// <paramref name="timeoutMs"/>, records whether it was woken, releases.</summary>
    private static (Thread Thread, Func<bool?> Woken) Sleeper(WaitLock lk, object chan, int timeoutMs, ManualResetEventSlim asleep)
    {
        bool? woken = null;
        var t = new Thread(() =>
        {
            lk.Acquire();
            asleep.Set(); // the lock is held until Sleep releases it, so a wakeup taken after this cannot be lost
            woken = lk.Sleep(chan, timeoutMs);
            lk.Release();
        });
        t.Start();
        return (t, () => woken);
    }

    [Fact]
    public void AWakeupWakesOnlyTheSleepersOnItsChannel()
    {
        var lk = new WaitLock();
        object a = new(), b = new();
        using var aAsleep = new ManualResetEventSlim();
        using var bAsleep = new ManualResetEventSlim();
        var onA = Sleeper(lk, a, 30_000, aAsleep);
        var onB = Sleeper(lk, b, 600, bAsleep);
        aAsleep.Wait(); bAsleep.Wait();
        lk.Acquire(); lk.Release(); // both are asleep now: Sleep released the lock they held
        lk.Wakeup(a);
        Assert.True(onA.Thread.Join(TimeSpan.FromSeconds(10)), "the sleeper on the channel woken did not wake");
        Assert.True(onA.Woken());
        Assert.True(onB.Thread.Join(TimeSpan.FromSeconds(10)));
        Assert.False(onB.Woken(), "a wakeup on one channel woke a sleeper on another (it should have timed out)");
    }

    [Fact]
    public void WakeupAllWakesEverySleeperAndTheLockIsHeldAgainAfterASleep()
    {
        var lk = new WaitLock();
        using var asleep1 = new ManualResetEventSlim();
        using var asleep2 = new ManualResetEventSlim();
        var s1 = Sleeper(lk, new object(), 30_000, asleep1);
        var s2 = Sleeper(lk, lk, 30_000, asleep2);
        asleep1.Wait(); asleep2.Wait();
        lk.Acquire(); lk.Release();
        lk.WakeupAll();
        Assert.True(s1.Thread.Join(TimeSpan.FromSeconds(10)) && s2.Thread.Join(TimeSpan.FromSeconds(10)), "WakeupAll left a sleeper asleep");
        Assert.True(s1.Woken() == true && s2.Woken() == true);

        // Sleep gives the lock back to its caller: a second Acquire by the same thread is refused as reentrant.
        lk.Acquire();
        Assert.False(lk.Sleep(new object(), 20));
        Assert.Throws<InvalidOperationException>(lk.Acquire);
        lk.Release();
    }

    [Fact]
    public void TheChannelLessFormsUseTheLockItselfAsTheChannel()
    {
        var lk = new WaitLock();
        using var asleep = new ManualResetEventSlim();
        var s = Sleeper(lk, lk, 30_000, asleep);
        asleep.Wait();
        lk.Acquire(); lk.Release();
        lk.Wakeup(new object()); // not its channel
        Assert.False(s.Thread.Join(300));
        lk.Wakeup();
        Assert.True(s.Thread.Join(TimeSpan.FromSeconds(10)));
        Assert.True(s.Woken());
    }
}

// os/abi/Kernel: the kernel's lock with sleep and wakeup, for domains that serve several threads at
// once (rv6's core: one thread per process). Domains may not use Monitor or other locks of the base
// library (the gate refuses them: a lock held by a dead domain would block threads it never owned);
// this one is xv6's spinlock plus sleep(chan, lk)/wakeup(chan) in one object, and it never blocks
// past a kill: every wait is sliced, and a thread whose domain was stopped leaves with the kernel's
// DomainStoppedException instead of sleeping on. A channel is any object, compared by reference (as xv6
// compares addresses): a wakeup wakes only the threads asleep on its channel, so a pipe write does not
// wake a shell asleep in wait() under the same lock.
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public sealed unsafe class WaitLock
{
    private const int SliceMs = 10;
    private readonly object _monitor = new();
    private int _holder; // managed thread id of the holder, 0 when free
    private int _contending; // threads waiting in Monitor.Wait to take the lock (Acquire, the end of Sleep)
    private readonly List<Sleeper> _sleepers = new(); // threads in Sleep, each with its channel

    /// <summary>One thread's sleep: its channel, and whether a wakeup on it came. A thread sleeps on one lock at a
    /// time, so each thread reuses one (no allocation per sleep).</summary>
    private sealed class Sleeper
    {
        public object? Chan;
        public bool Woken;
    }

    [ThreadStatic] private static Sleeper? t_sleeper;

    /// <summary>Takes the lock, waiting while another thread holds it. Not reentrant.</summary>
    public void Acquire()
    {
        int me = Environment.CurrentManagedThreadId;
        lock (_monitor)
        {
            if (_holder == me) throw new InvalidOperationException("WaitLock.Acquire: this thread already holds the lock");
            TakeWhenFree(me);
        }
    }

    /// <summary>Waits (the caller holds _monitor) until nobody holds the lock, then takes it.</summary>
    private void TakeWhenFree(int me)
    {
        while (_holder != 0)
        {
            _contending++;
            try { Monitor.Wait(_monitor, SliceMs); }
            finally { _contending--; }
            if (_holder != 0) ThrowIfStopped();
        }
        _holder = me;
    }

    /// <summary>The lock was freed: Monitor.PulseAll if a thread waits to take it (the caller holds _monitor). rv6 releases
    /// a lock on every buffer, inode and process-table step, mostly with nobody contending; an unconditional PulseAll
    /// woke every sleeper too (a shell in wait(), say) on each release, and was half of a file read's time
    /// (profiled with dotnet-trace; README, Figure 11).</summary>
    private void Freed()
    {
        if (_contending != 0) Monitor.PulseAll(_monitor);
    }

    /// <summary>Releases the lock (the calling thread must hold it).</summary>
    public void Release()
    {
        lock (_monitor)
        {
            if (_holder != Environment.CurrentManagedThreadId) throw new InvalidOperationException("WaitLock.Release: this thread does not hold the lock");
            _holder = 0;
            Freed();
        }
    }

    /// <summary>xv6's sleep with the lock itself as the channel: see <see cref="Sleep(object, int)"/>.</summary>
    public bool Sleep(int timeoutMs = -1) => Sleep(this, timeoutMs);

    /// <summary>xv6's sleep(chan, lk): the caller holds the lock; atomically releases it and waits for a
    /// <see cref="Wakeup(object)"/> on <paramref name="chan"/> (or <see cref="WakeupAll"/>, or until
    /// <paramref name="timeoutMs"/> passes; -1: no timeout), then takes the lock again. Returns false on timeout.
    /// As in xv6, callers re-check their condition in a loop.</summary>
    public bool Sleep(object chan, int timeoutMs = -1)
    {
        ArgumentNullException.ThrowIfNull(chan);
        int me = Environment.CurrentManagedThreadId;
        lock (_monitor)
        {
            if (_holder != me) throw new InvalidOperationException("WaitLock.Sleep: the caller must hold the lock");
            var s = t_sleeper ??= new Sleeper();
            s.Chan = chan;
            s.Woken = false;
            _sleepers.Add(s);
            _holder = 0;
            Freed();
            long deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
            bool woken = true;
            try
            {
                while (!s.Woken)
                {
                    long left = deadline - Environment.TickCount64;
                    if (left <= 0) { woken = false; break; }
                    Monitor.Wait(_monitor, (int)Math.Min(left, SliceMs));
                    if (!s.Woken) ThrowIfStopped();
                }
            }
            finally
            {
                _sleepers.Remove(s);
                s.Chan = null; // keep no reference to the caller's channel
            }
            TakeWhenFree(me);
            return woken;
        }
    }

    /// <summary>xv6's wakeup with the lock itself as the channel: wakes the threads in <see cref="Sleep(int)"/>.</summary>
    public void Wakeup() => Wakeup(this);

    /// <summary>xv6's wakeup(chan): wakes every thread asleep on <paramref name="chan"/> (compared by reference). The
    /// caller need not hold the lock.</summary>
    public void Wakeup(object chan)
    {
        ArgumentNullException.ThrowIfNull(chan);
        lock (_monitor)
        {
            bool any = false;
            foreach (var s in _sleepers)
                if (!s.Woken && ReferenceEquals(s.Chan, chan)) { s.Woken = true; any = true; }
            if (any) Monitor.PulseAll(_monitor);
        }
    }

    /// <summary>Wakes every sleeper, whatever its channel (xv6's kill makes a sleeping process runnable so it sees it
    /// was killed).</summary>
    public void WakeupAll()
    {
        lock (_monitor)
        {
            bool any = false;
            foreach (var s in _sleepers)
                if (!s.Woken) { s.Woken = true; any = true; }
            if (any) Monitor.PulseAll(_monitor);
        }
    }

    // A stopped domain's thread must not sleep on: it leaves as the instrumentation's checks would make it.
    private static void ThrowIfStopped()
    {
        var c = CurrentDomain.Cell;
        if (c != null && c->State != DomainState.Running) throw new DomainStoppedException($"domain {c->Id} was stopped while waiting");
    }
}

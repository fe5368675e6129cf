// os/abi/Kernel: the kernel's lock with sleep and wakeup, for domains that serve several threads at
// once (rv6's core: one thread per process). Domains may not use Monitor or other locks of the base
// library (the gate refuses them: a lock held by a dead domain would block threads it never owned);
// this one is xv6's spinlock plus sleep(chan, lk)/wakeup(chan) in one object, and it never blocks
// past a kill: every wait is sliced, and a thread whose domain was stopped leaves with the kernel's
// DomainStoppedException instead of sleeping on.
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public sealed unsafe class WaitLock
{
    private const int SliceMs = 10;
    private readonly object _monitor = new();
    private int _holder; // managed thread id of the holder, 0 when free
    private long _wakeups;
    private int _contending; // threads waiting in Monitor.Wait to take the lock (Acquire, the end of Sleep)
    private int _sleeping;   // threads waiting in Monitor.Wait for a Wakeup (Sleep)

    /// <summary>Takes the lock, waiting while another thread holds it. Not reentrant.</summary>
    public void Acquire()
    {
        int me = Environment.CurrentManagedThreadId;
        lock (_monitor)
        {
            if (_holder == me) throw new InvalidOperationException("WaitLock.Acquire: this thread already holds the lock");
            while (_holder != 0)
            {
                Wait(ref _contending, SliceMs);
                if (_holder != 0) ThrowIfStopped();
            }
            _holder = me;
        }
    }

    /// <summary>Monitor.Wait, counted in <paramref name="count"/> (the caller holds _monitor).</summary>
    private void Wait(ref int count, int ms)
    {
        count++;
        try { Monitor.Wait(_monitor, ms); }
        finally { count--; }
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

    /// <summary>xv6's sleep: the caller holds the lock; atomically releases it and waits for a
    /// <see cref="Wakeup"/> (or until <paramref name="timeoutMs"/> passes; -1: no timeout), then takes
    /// the lock again. Returns false on timeout. As in xv6, callers re-check their condition in a loop.</summary>
    public bool Sleep(int timeoutMs = -1)
    {
        int me = Environment.CurrentManagedThreadId;
        lock (_monitor)
        {
            if (_holder != me) throw new InvalidOperationException("WaitLock.Sleep: the caller must hold the lock");
            long seen = _wakeups;
            _holder = 0;
            Freed();
            long deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
            bool woken = true;
            while (_wakeups == seen)
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0) { woken = false; break; }
                Wait(ref _sleeping, (int)Math.Min(left, SliceMs));
                if (_wakeups == seen) ThrowIfStopped();
            }
            while (_holder != 0)
            {
                Wait(ref _contending, SliceMs);
                if (_holder != 0) ThrowIfStopped();
            }
            _holder = me;
            return woken;
        }
    }

    /// <summary>xv6's wakeup: wakes every thread sleeping on this lock. The caller need not hold it.</summary>
    public void Wakeup()
    {
        lock (_monitor)
        {
            _wakeups++;
            if (_sleeping != 0 || _contending != 0) Monitor.PulseAll(_monitor);
        }
    }

    // A stopped domain's thread must not sleep on: it leaves as the instrumentation's checks would make it.
    private static void ThrowIfStopped()
    {
        var c = CurrentDomain.Cell;
        if (c != null && c->State != DomainState.Running) throw new DomainStoppedException($"domain {c->Id} was stopped while waiting");
    }
}

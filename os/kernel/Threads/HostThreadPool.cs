// os/kernel/Threads: the host threads kernel threads run on, kept for the next spawn when one ends. Starting an
// OS thread is the dearest step of an rv6 process's start (the spawner waited about 0.7 ms for the new thread
// to start, profiled on a loaded 2-core machine with dotnet-trace, fork bench), and a RISC-V fork is little
// more than a spawn. A thread goes back to the pool only scrubbed: no domain current, no stop in flight, no
// allocation sample, and a kernel exception thrown and caught on it, so the last exception the runtime keeps
// per thread is the kernel's, not a domain's (that one would root the domain's code after it died, as
// HostCall's workers found). At most MaxIdle threads wait; an idle one ends after IdleTimeout.
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Os.Threads;

internal sealed class HostThreadPool
{
    public const int MaxIdle = 16;
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);

    private readonly object _gate = new();
    private readonly List<Worker> _idle = new();
    private int _started;

    /// <summary>Host threads started so far (a reused one is not counted again).</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Threads waiting for work now.</summary>
    public int Idle { get { lock (_gate) return _idle.Count; } }

    /// <summary>Runs <paramref name="work"/> on an idle thread, or a new one, named <paramref name="name"/> while it runs; returns the thread.</summary>
    public Thread Run(Action work, string name)
    {
        Worker? w = null;
        lock (_gate)
            if (_idle.Count > 0) { w = _idle[^1]; _idle.RemoveAt(_idle.Count - 1); }
        if (w is not null)
        {
            w.Name = name;
            w.Work = work;
            w.Signal.Set();
            return w.Thread;
        }
        w = new Worker(this) { Work = work, Name = name };
        Interlocked.Increment(ref _started);
        w.Thread.Start();
        return w.Thread;
    }

    private sealed class Worker
    {
        private readonly HostThreadPool _pool;
        public readonly Thread Thread;
        public readonly ManualResetEventSlim Signal = new(false);
        public Action? Work;
        public string Name = "";

        public Worker(HostThreadPool pool)
        {
            _pool = pool;
            Thread = new Thread(Loop) { IsBackground = true, Name = "kernel thread" };
        }

        private void Loop()
        {
            for (; ; )
            {
                var work = Work!;
                Work = null;
                Thread.CurrentThread.Name = Name;
                work();
                Scrub();
                lock (_pool._gate)
                {
                    if (_pool._idle.Count >= MaxIdle) return;
                    Signal.Reset();
                    _pool._idle.Add(this);
                }
                if (Signal.Wait(IdleTimeout)) continue;
                lock (_pool._gate)
                    if (_pool._idle.Remove(this)) return; // idle too long: end
                Signal.Wait(); // taken just as it timed out: its work is on the way
            }
        }

        /// <summary>Leaves the thread as a new one would start: nothing of the last domain it ran reachable from it.</summary>
        private static unsafe void Scrub()
        {
            CurrentDomain.Cell = null;
            CurrentDomain.StopThrownAt = 0;
            CurrentDomain.AllocatedMark = 0;
            Thread.CurrentThread.Name = "kernel thread (idle)";
            Forget();
        }
    }

    /// <summary>Throws and catches a kernel exception, so the thread's last thrown exception is this one.</summary>
    internal static void Forget()
    {
        try { throw new ScrubbedException(); }
        catch (ScrubbedException) { }
    }

    private sealed class ScrubbedException : Exception
    {
        public ScrubbedException() : base("a kernel thread was scrubbed for reuse") { }
    }
}

// benchmarks/RedLeaf.Benchmarks/Suites: the recovery benchmark's crash source: a sleeping host thread (not a busy one) that
// wakes once per interval and injects one fault into a domain through the kernel, counting the faults
// that took. Used by both halves of Figure 11 (RecoverySuite, Rv6Recovery).
using RedLeaf.Os;
using RedLeaf.Os.Domains;

namespace RedLeaf.Benchmarks.Suites;

internal sealed class Crasher : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread? _thread;
    private long _injected;

    /// <summary>Starts crashing <paramref name="target"/> every <paramref name="every"/>; null: never (a calm run).</summary>
    public Crasher(Microkernel kernel, Domain target, TimeSpan? every)
    {
        if (every is not { } interval) return;
        _thread = new Thread(() =>
        {
            while (!_stop.Token.WaitHandle.WaitOne(interval))
                if (target.Status == DomainStatus.Running && kernel.InjectFault(target, "crash injected by bench recovery")) Interlocked.Increment(ref _injected);
        })
        { IsBackground = true, Name = "recovery-crasher" };
        _thread.Start();
    }

    /// <summary>Faults injected so far.</summary>
    public long Injected => Interlocked.Read(ref _injected);

    /// <summary>Stops crashing and waits for the thread.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _stop.Dispose();
    }
}

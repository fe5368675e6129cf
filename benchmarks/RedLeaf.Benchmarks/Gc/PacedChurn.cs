// benchmarks/RedLeaf.Benchmarks/Gc: drives the allocating domain (domains/workloads/gc_churn) at a chosen rate
// from a thread of its own: every millisecond or so it calls the domain for as many objects as the rate
// says are due, so allocation is spread over time rather than bunched. What the domain really allocated is
// counted on this thread (the domain's code runs on it) with GC.GetAllocatedBytesForCurrentThread, so the
// rate reported is measured, not assumed. A rate the machine cannot reach is reported as reached. The thread
// runs as the kernel (Microkernel.Enter), so its calls run on it, as the benchmarks' calls do, rather than
// being handed to a host-call worker.
using System.Diagnostics;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;

namespace RedLeaf.Benchmarks.Gc;

public sealed class PacedChurn : IDisposable
{
    /// <summary>Objects per call into the domain: about 10 KB of nodes and payloads.</summary>
    public const int ObjectsPerCall = 100;

    private readonly IHostile _domain;
    private readonly Microkernel _kernel;
    private readonly double _bytesPerSecond;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _allocated;
    private string? _failure;

    public PacedChurn(Microkernel kernel, IHostile domain, double megabytesPerSecond)
    {
        _kernel = kernel;
        _domain = domain;
        _bytesPerSecond = megabytesPerSecond * 1e6;
        _thread = new Thread(Loop) { IsBackground = true, Name = "gc-churn" };
        if (_bytesPerSecond > 0) _thread.Start();
    }

    /// <summary>Bytes the domain has allocated so far.</summary>
    public long Allocated => Interlocked.Read(ref _allocated);

    /// <summary>Why the domain stopped allocating, if it failed (a crash, a kill).</summary>
    public string? Failure => _failure;

    private void Loop()
    {
        using var scope = _kernel.Enter();
        var sw = Stopwatch.StartNew();
        long own = 0;
        while (!_stop)
        {
            double due = _bytesPerSecond * sw.Elapsed.TotalSeconds;
            if (own >= due) { Thread.Sleep(1); continue; }
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            var r = _domain.Run(ObjectsPerCall);
            if (!r.IsOk) { _failure = r.Error.ToString(); return; }
            own += GC.GetAllocatedBytesForCurrentThread() - a0;
            Interlocked.Exchange(ref _allocated, own);
        }
    }

    public void Dispose()
    {
        _stop = true;
        if (_thread.IsAlive) _thread.Join();
    }
}

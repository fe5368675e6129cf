// os/kernel/Threads: the kernel's threads. Domains cannot create threads (the ABI offers them
// DomainThreads.Spawn instead), so every thread that runs domain code is known here, belongs to
// the domain instance that spawned it, and is released when that instance crashes or is killed:
// its body's proxy is unbound by the crash cleanup, so the call it is in returns an RpcError and the
// thread ends. (A body spinning without returning is stopped by the kill flag of the trusted
// compiler's instrumentation.)
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;
using RedLeaf.Hardware;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Proxies;

namespace RedLeaf.Os.Threads;

internal sealed unsafe class ThreadTable : KernelServices
{
    private readonly Microkernel _kernel;
    private readonly List<KernelThread> _threads = new();
    private int _nextId = 1;

    public ThreadTable(Microkernel kernel) => _kernel = kernel;

    public IReadOnlyList<KernelThread> All { get { lock (_threads) return _threads.ToArray(); } }

    internal override int Spawn(DomainToken caller, string name, IThreadBody body)
    {
        var domain = caller.Owner as Domain;
        int limit = domain?.Limits.MaxThreads ?? int.MaxValue;
        lock (_threads)
            if (_threads.Count(x => x.DomainId == caller.Id && x.State == KernelThreadState.Running && !x.Done.IsSet) >= limit)
                HeapAccess.Fault(caller.Cell, $"thread limit: domain {caller.Id} already runs {limit} threads, the most it may (DomainLimits.MaxThreads)");
        var proxy = ProxyRuntime.Wrap(body, caller)!; // calls run as the caller's domain; unbound when it dies
        KernelThread t;
        lock (_threads)
        {
            t = new KernelThread(_nextId++, name, domain?.Name ?? "kernel", caller.Id);
            _threads.Add(t);
            Prune();
        }
        nint kernel = (nint)caller.Cell->Host;
        t.Host = new Thread(() => Run(t, proxy, kernel)) { IsBackground = true, Name = $"{t.Domain}#{t.DomainId}:{name}" };
        t.Host.Start();
        _kernel.Log.Add($"{t.Domain}#{t.DomainId} spawned thread {t.Id} '{name}'");
        return t.Id;
    }

    private unsafe void Run(KernelThread t, IThreadBody body, nint kernel)
    {
        var cpu = _kernel.Machine.BindCurrentThread();
        t.Cpu = cpu?.Id;
        try
        {
            // The thread is the domain's: its body's proxy runs on it directly (not through HostCall).
            CurrentDomain.Cell = (DomainCell*)kernel;
            t.Result = body.Run();
        }
        finally
        {
            if (cpu is not null) _kernel.Machine.UnbindCurrentThread();
            lock (_threads) if (t.State == KernelThreadState.Running) t.State = KernelThreadState.Exited;
            t.Done.Set();
        }
    }

    /// <summary>The most ended threads kept for views (the newest): a domain spawning short threads in a loop must not grow
    /// the table, or the spawn's own count, without end (red team, 2026-12-07).</summary>
    public const int KeptEnded = 200;

    /// <summary>Drops the oldest ended threads past KeptEnded (caller holds the lock).</summary>
    private void Prune()
    {
        int ended = 0;
        for (int i = _threads.Count - 1; i >= 0; i--)
            if (_threads[i].Done.IsSet && ++ended > KeptEnded) _threads.RemoveAt(i);
    }

    /// <summary>Releases the threads of a dying domain instance; returns how many were still running.</summary>
    public int Release(int domainId)
    {
        int n = 0;
        lock (_threads)
            foreach (var t in _threads)
                if (t.DomainId == domainId && t.State == KernelThreadState.Running) { t.State = KernelThreadState.Released; n++; }
        return n;
    }
}

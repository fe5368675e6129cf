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

internal sealed class ThreadTable : KernelServices
{
    private readonly Microkernel _kernel;
    private readonly List<KernelThread> _threads = new();
    private int _nextId = 1;

    public ThreadTable(Microkernel kernel) => _kernel = kernel;

    public IReadOnlyList<KernelThread> All { get { lock (_threads) return _threads.ToArray(); } }

    internal override int Spawn(DomainToken caller, string name, IThreadBody body)
    {
        var domain = caller.Owner as Domain;
        var proxy = ProxyRuntime.Wrap(body, caller)!; // calls run as the caller's domain; unbound when it dies
        KernelThread t;
        lock (_threads)
        {
            t = new KernelThread(_nextId++, name, domain?.Name ?? "kernel", caller.Id);
            _threads.Add(t);
        }
        t.Host = new Thread(() => Run(t, proxy)) { IsBackground = true, Name = $"{t.Domain}#{t.DomainId}:{name}" };
        t.Host.Start();
        _kernel.Log.Add($"{t.Domain}#{t.DomainId} spawned thread {t.Id} '{name}'");
        return t.Id;
    }

    private void Run(KernelThread t, IThreadBody body)
    {
        var cpu = _kernel.Machine.BindCurrentThread();
        t.Cpu = cpu?.Id;
        try
        {
            t.Result = body.Run();
        }
        finally
        {
            if (cpu is not null) _kernel.Machine.UnbindCurrentThread();
            lock (_threads) if (t.State == KernelThreadState.Running) t.State = KernelThreadState.Exited;
            t.Done.Set();
        }
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

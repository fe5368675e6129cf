// os/kernel/Threads: one kernel thread: a host thread that runs a domain's IThreadBody through a
// proxy, bound to one of the machine's CPUs while it runs. Plain data for tables and notebooks.
using RedLeaf.Abi;

namespace RedLeaf.Os.Threads;

public enum KernelThreadState { Running, Exited, Released }

public sealed class KernelThread
{
    internal KernelThread(int id, string name, string domain, int domainId)
    {
        Id = id;
        Name = name;
        Domain = domain;
        DomainId = domainId;
    }

    public int Id { get; }
    public string Name { get; }
    public string Domain { get; }
    /// <summary>The domain instance that spawned it (the thread dies with that instance).</summary>
    public int DomainId { get; }
    public KernelThreadState State { get; internal set; }
    /// <summary>What Run returned (an RpcError if the domain crashed or was killed under it).</summary>
    public RpcResult? Result { get; internal set; }
    public int? Cpu { get; internal set; }

    internal Thread? Host;
    internal readonly ManualResetEventSlim Done = new(false);

    /// <summary>Waits for the thread to end; false on timeout.</summary>
    public bool Join(TimeSpan timeout) => Done.Wait(timeout);

    public override string ToString() => $"thread {Id} '{Name}' of {Domain}#{DomainId}: {State}{(Result is { } r ? $" ({r})" : "")}";
}

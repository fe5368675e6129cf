// os/kernel/Domains: what the kernel did about one crash: why, what the cleanup freed, and whether
// the domain's load context was confirmed collected afterwards (proof nothing outside still roots it).
namespace RedLeaf.Os.Domains;

public enum CrashKind
{
    /// <summary>An exception escaped the domain during a call.</summary>
    Exception,
    /// <summary>A runtime check failed (ownership violation, heap limit), even if the domain caught it.</summary>
    Fault,
    /// <summary>The kernel or a user killed it.</summary>
    Kill,
    /// <summary>The entry point threw while starting.</summary>
    Start,
}

public sealed record CollectionResult(bool Collected, int FullCollections, double Milliseconds);

public sealed record CrashRecord(
    string Domain,
    int InstanceId,
    CrashKind Kind,
    string Reason,
    DateTimeOffset At,
    int FreedObjects,
    long FreedBytes,
    int ProxiesUnbound,
    int ThreadsReleased)
{
    /// <summary>Completes when the collectible context is gone (or the kernel gave up and says so).</summary>
    public Task<CollectionResult> Collection { get; init; } = Task.FromResult(new CollectionResult(false, 0, 0));

    /// <summary>Devices reset because their driver died, and the buffers still in their rings that were reclaimed.</summary>
    public int DevicesReset { get; init; }
    public int DeviceBuffersReclaimed { get; init; }

    public override string ToString() =>
        $"{Domain}#{InstanceId} {Kind}: {Reason} (freed {FreedObjects} objects, {FreedBytes} bytes; {ProxiesUnbound} proxies unbound; {ThreadsReleased} threads released" +
        (DevicesReset == 0 ? ")" : $"; {DevicesReset} devices reset, {DeviceBuffersReclaimed} buffers reclaimed from their rings)");
}

// os/abi/Devices: the right to restart one named domain, which the kernel grants to that domain's
// shadow (domains/shadow). It is not a door to the kernel: it restarts exactly the domain it was
// made for (from the image and with the grants the kernel already gave it), and nothing else.
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public sealed class RestartCapability
{
    private readonly RestartBackend _backend;

    internal RestartCapability(RestartBackend backend) => _backend = backend;

    /// <summary>The domain this capability restarts.</summary>
    public string Target => _backend.Target;

    /// <summary>Restarts made through this capability.</summary>
    public long Restarts => _backend.Restarts;

    /// <summary>Cleans up the target if it is still faulted or running, then starts a fresh instance that
    /// serves its existing callers again. Returns the new instance's id; throws if it could not start.
    /// Call it as soon as the crash is detected: the kernel's clock starts the restart's latency here.</summary>
    public int Restart() => _backend.Restart();

    /// <summary>Tells the kernel the call that failed has been replayed and completed on the restarted
    /// domain: the kernel's clock stops the latency of the restart in progress.</summary>
    public void Recovered() => _backend.Recovered();

    /// <summary>Each completed restart's latency, crash detected to replayed call completed, in microseconds.</summary>
    public double[] LatenciesMicroseconds() => _backend.LatenciesMicroseconds();
}

/// <summary>The kernel's side of a RestartCapability.</summary>
internal abstract class RestartBackend
{
    internal abstract string Target { get; }
    internal abstract long Restarts { get; }
    internal abstract int Restart();
    internal abstract void Recovered();
    internal abstract double[] LatenciesMicroseconds();
}

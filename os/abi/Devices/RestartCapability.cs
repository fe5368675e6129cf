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
    /// serves its existing callers again. Returns the new instance's id; throws if it could not start.</summary>
    public int Restart() => _backend.Restart();
}

/// <summary>The kernel's side of a RestartCapability.</summary>
internal abstract class RestartBackend
{
    internal abstract string Target { get; }
    internal abstract long Restarts { get; }
    internal abstract int Restart();
}

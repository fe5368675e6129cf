// os/kernel/Devices: the kernel's side of a RestartCapability: restarts the one domain it was made for.
using RedLeaf.Abi;
using RedLeaf.Os.Domains;

namespace RedLeaf.Os.Devices;

internal sealed class KernelRestart : RestartBackend
{
    private readonly Domain _target;
    private long _restarts;

    internal KernelRestart(Domain target) => _target = target;

    internal override string Target => _target.Name;
    internal override long Restarts => Interlocked.Read(ref _restarts);

    internal override int Restart()
    {
        _target.Kernel.Restart(_target);
        Interlocked.Increment(ref _restarts);
        return _target.Id;
    }
}

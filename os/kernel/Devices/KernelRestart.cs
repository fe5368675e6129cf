// os/kernel/Devices: the kernel's side of a RestartCapability: restarts the one domain it was made
// for, and times each restart on the machine's TSC, from the shadow's Restart (crash detected) to its
// Recovered (replayed call completed). Latencies are kept in a preallocated ring, so timing a restart
// allocates nothing once the ring exists.
using RedLeaf.Abi;
using RedLeaf.Hardware;
using RedLeaf.Os.Domains;

namespace RedLeaf.Os.Devices;

internal sealed class KernelRestart : RestartBackend
{
    private const int Kept = 4096;
    private readonly Domain _target;
    private readonly ulong[] _latencies = new ulong[Kept];
    private long _restarts, _recorded;
    private ulong _detected;

    internal KernelRestart(Domain target) => _target = target;

    internal override string Target => _target.Name;
    internal override long Restarts => Interlocked.Read(ref _restarts);

    internal override int Restart()
    {
        if (_detected == 0) _detected = Tsc.Read(); // replays that fail again keep the first detection
        for (int attempt = 1; ; attempt++)
        {
            // A fault injected while the new instance was starting fails that start: try again, a few times.
            try { _target.Kernel.Restart(_target); break; }
            catch (DomainException) when (attempt < 3) { }
        }
        Interlocked.Increment(ref _restarts);
        return _target.Id;
    }

    internal override void Recovered()
    {
        if (_detected == 0) return;
        _latencies[_recorded++ % Kept] = Tsc.Read() - _detected;
        _detected = 0;
    }

    internal override double[] LatenciesMicroseconds()
    {
        long n = Math.Min(_recorded, Kept);
        var us = new double[n];
        for (int i = 0; i < n; i++) us[i] = _latencies[i] / Tsc.Hz * 1e6;
        return us;
    }
}

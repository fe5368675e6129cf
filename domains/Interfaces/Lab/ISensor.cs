// domains/Interfaces/Lab: homework 3's interface ("make a driver survive crashes with a shadow"): a
// small device driver with a plain call, a call that takes a buffer by move and hands it back, a call
// that reads a lent buffer, and a configuration the driver keeps (and loses when it crashes).
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Lab;

/// <remarks>When the callee crashes (the driver, domains/lab/flaky_sensor: every fifth call, and every read
/// of channel 13), the call returns RpcErrorKind.CalleeCrashed and later calls NotRunning until it is
/// restarted; a buffer moved into Sample is gone with it, a buffer lent to Checksum stays the caller's, and
/// the offset Configure set is lost (a fresh instance adds 0). Homework 3's shadow hides this: it restarts
/// the driver through its RestartCapability, gives the new instance the configuration the old one had, and
/// replays the call (Sample with a fresh buffer, Checksum with the same one), and gives up with the error
/// after a bounded number of replays (channel 13 crashes every time).</remarks>
[DomainInterface]
public interface ISensor
{
    /// <summary>The current value of a channel, plus the offset set by <see cref="Configure"/>.</summary>
    RpcResult<long> Read(long channel);

    /// <summary>Fills the buffer with one sample per element and moves it back to the caller.</summary>
    RpcResult<RRefArray<long>> Sample(RRefArray<long> buffer);

    /// <summary>Sets the offset added to every reading from now on (a fresh instance adds 0).</summary>
    RpcResult Configure(long offset);

    /// <summary>The weighted sum of the lent <paramref name="data"/>: data[i] * (i + 1), summed.</summary>
    RpcResult<long> Checksum(in RRefArray<long> data);
}

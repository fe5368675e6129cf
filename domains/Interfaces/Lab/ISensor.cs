// domains/Interfaces/Lab: homework 3's interface ("make a driver survive crashes with a shadow"): a
// small device driver with a plain call and a call that takes a buffer by move and hands it back.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Lab;

/// <remarks>When the callee crashes (the driver, domains/lab/flaky_sensor: every fifth call, and every read
/// of channel 13), the call returns RpcErrorKind.CalleeCrashed and later calls NotRunning until it is
/// restarted; a buffer moved into Sample is gone with it. Homework 3's shadow hides this: it restarts the
/// driver through its RestartCapability and replays the call (Sample with a fresh buffer), and gives up
/// with the error after a bounded number of replays (channel 13 crashes every time).</remarks>
[DomainInterface]
public interface ISensor
{
    /// <summary>The current value of a channel.</summary>
    RpcResult<long> Read(long channel);

    /// <summary>Fills the buffer with one sample per element and moves it back to the caller.</summary>
    RpcResult<RRefArray<long>> Sample(RRefArray<long> buffer);
}

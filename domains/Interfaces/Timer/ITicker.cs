// domains/Interfaces/Timer: a timer driver: counts the timer's interrupts, delivered to it by the
// kernel through the interrupt line it registered. Failure contract as for every interface: a crash
// during a call is an RpcError (and the driver's interrupt line is disconnected with it).
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Timer;

/// <remarks>When the callee crashes (the timer driver, domains/drivers/timer), the call returns
/// RpcErrorKind.CalleeCrashed (CalleeKilled after a kill), its interrupt line is disconnected and the
/// timer device reset with its other capabilities, and later calls return NotRunning until it is
/// restarted, with Ticks counting from zero again.</remarks>
[DomainInterface]
public interface ITicker
{
    /// <summary>Programs a periodic timer interrupt every <paramref name="microseconds"/>.</summary>
    RpcResult Start(long microseconds);

    /// <summary>Interrupts handled so far.</summary>
    RpcResult<long> Ticks();

    /// <summary>Polls the timer (an emulated device works when touched); returns interrupts handled so far.</summary>
    RpcResult<long> Poll();
}

// domains/Interfaces/Net: a network driver, in the spirit of RedLeaf's Net interface: submit a batch
// of packet buffers and collect what completed, in one crossing. Failure contract: if the driver
// crashes during a call the caller gets RpcErrorKind.CalleeCrashed (or CalleeKilled) and every
// buffer it had moved into the driver is gone with it; a shadow (domains/shadow/net) hides this.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Net;

/// <remarks>When the callee crashes (a driver: domains/drivers/nullnet or nic), the call returns
/// RpcErrorKind.CalleeCrashed (CalleeKilled after a kill) and later calls NotRunning until it is
/// restarted; the deque moved into SubmitAndPoll, and every buffer in it or still in the device's
/// rings, is gone (the kernel resets the device before it frees them). Through the shadow
/// (domains/shadow/net) the caller sees no error: it restarts the driver and hands back fresh empty
/// buffers in place of those that died, so packets in flight are lost as a NIC reset loses them.</remarks>
[DomainInterface]
public interface INet
{
    /// <summary>Transmit: queues every packet in <paramref name="packets"/> for sending; receive: gives
    /// every (empty) buffer to the device to receive into. The driver takes all of them (those the
    /// rings cannot hold yet wait in the driver). Returns the same deque holding what completed:
    /// buffers that were sent (Length 0) or packets received (Length > 0), at most its capacity.</summary>
    RpcResult<RRefDeque<Packet>> SubmitAndPoll(RRefDeque<Packet> packets, bool transmit);

    /// <summary>Counters: packets received, sent, dropped (errors and lost completions).</summary>
    RpcResult<NetCounters> Counters();
}

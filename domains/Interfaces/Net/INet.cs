// domains/Interfaces/Net: a network driver, in the spirit of RedLeaf's Net interface: submit a batch
// of packet buffers and collect what completed, in one crossing. Failure contract: if the driver
// crashes during a call the caller gets RpcErrorKind.CalleeCrashed (or CalleeKilled) and every
// buffer it had moved into the driver is gone with it; a shadow (domains/shadow/net) hides this.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Net;

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

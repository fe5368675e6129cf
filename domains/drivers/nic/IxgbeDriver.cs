// domains/drivers/nic: the driver of the ixgbe-like NIC, a polling driver as RedLeaf's ixgbe is. It
// reaches the device only through the capabilities the kernel granted (register window, rx and tx
// rings): buffers are attached to descriptors (moved to the device) and detached when done, and a
// tail write per batch is the doorbell. Buffers the rings cannot take yet wait in the driver (its
// spare and backlog deques). A descriptor whose done bit never comes although the device's head moved
// past it is a lost completion: its buffer is taken back and counted as dropped.
// Posting a receive buffer and queueing a frame are written out in the loops rather than called: every
// method of a domain begins with the kernel's stop and stack check, and a call per packet paid it per
// packet (the loops' own back-edge checks still run for every packet).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Net;

namespace Domains.Drivers.Nic;

public sealed class IxgbeDriver : INet
{
    private readonly MmioRegion _regs;
    private readonly DmaRing _rx, _tx;
    private readonly int _mask;
    private int _rxTail, _rxClean, _txTail, _txClean;
    private readonly RRefDeque<Packet> _rxSpare, _txBacklog;
    private int _spareCount, _backlogCount;
    private readonly int _stash;
    private long _received, _transmitted, _dropped;

    public IxgbeDriver(DeviceAccess nic)
    {
        _regs = nic.Registers;
        _regs.Write32(IxgbeRegs.Control, IxgbeRegs.Reset);
        _regs.Write32(IxgbeRegs.InterruptMaskClear, 0xFFFF_FFFF); // polling: no interrupts
        _rx = nic.Ring("rx");
        _tx = nic.Ring("tx");
        _mask = _rx.Count - 1;
        _stash = 2 * _rx.Count;
        _rxSpare = RRefDeque<Packet>.New(_stash);
        _txBacklog = RRefDeque<Packet>.New(_stash);
        _regs.Write32(IxgbeRegs.RxControl, IxgbeRegs.RxEnable);
        _regs.Write32(IxgbeRegs.TxControl, IxgbeRegs.TxEnable);
    }

    public RpcResult<NetCounters> Counters() => new NetCounters { Received = _received, Transmitted = _transmitted, Dropped = _dropped };

    public RpcResult<RRefDeque<Packet>> SubmitAndPoll(RRefDeque<Packet> packets, bool transmit) =>
        transmit ? Transmit(packets) : Receive(packets);

    private RRefDeque<Packet> Transmit(RRefDeque<Packet> packets)
    {
        int capacity = packets.Capacity;
        int room = (_txClean - _txTail - 1) & _mask;
        int left = 0;
        while (true)
        {
            Packet p;
            if (room > 0 && _backlogCount > 0 && _txBacklog.TryPopFront(out p)) _backlogCount--; // the backlog goes first
            else if (!packets.TryPopFront(out p)) break;
            else if (room == 0 || _backlogCount > 0)
            {
                if (_backlogCount < _stash) { _txBacklog.TryPushBack(p); _backlogCount++; continue; }
                packets.TryPushBack(p); left = packets.Count; break; // backlog full: these come back unsent
            }
            // queue p in the next descriptor
            int slot = _txTail;
            _tx.Write16(slot, IxgbeRegs.Length, (ushort)p.Length);
            _tx.Write8(slot, IxgbeRegs.Command, IxgbeRegs.EndOfPacket | IxgbeRegs.ReportStatus);
            _tx.Write8(slot, IxgbeRegs.StatusByte, 0);
            _tx.Attach(slot, p.Buffer);
            _txTail = (slot + 1) & _mask;
            room--;
        }
        _regs.Write32(IxgbeRegs.TxTail, (uint)_txTail);

        int filled = left;
        int head = -1;
        while (filled < capacity && _txClean != _txTail)
        {
            byte st = _tx.Read8(_txClean, IxgbeRegs.StatusByte);
            if ((st & IxgbeRegs.Done) == 0)
            {
                // Reading the head lets the device catch up, so look at the descriptor again after it.
                if (head < 0) { head = (int)_regs.Read32(IxgbeRegs.TxHead); st = _tx.Read8(_txClean, IxgbeRegs.StatusByte); }
                if ((st & IxgbeRegs.Done) == 0)
                {
                    if (head == _txClean) break;    // not sent yet
                    st = IxgbeRegs.Error;            // the device moved past it: sent, completion lost
                }
            }
            if ((st & IxgbeRegs.Error) != 0) _dropped++;
            else _transmitted++;
            var buffer = _tx.Detach(_txClean);
            _txClean = (_txClean + 1) & _mask;
            packets.TryPushBack(new Packet { Buffer = buffer, Length = 0 });
            filled++;
        }
        return packets;
    }

    private RRefDeque<Packet> Receive(RRefDeque<Packet> packets)
    {
        int capacity = packets.Capacity;
        int room = (_rxClean - _rxTail - 1) & _mask;
        int left = 0;
        while (true)
        {
            Packet p;
            if (room > 0 && _spareCount > 0 && _rxSpare.TryPopFront(out p)) _spareCount--; // spares go first
            else if (!packets.TryPopFront(out p)) break;
            else if (room == 0)
            {
                if (_spareCount < _stash) { _rxSpare.TryPushBack(p); _spareCount++; continue; }
                packets.TryPushBack(p); left = packets.Count; break; // spare full: these come back unused
            }
            // post p's buffer in the next descriptor
            _rx.Write8(_rxTail, IxgbeRegs.StatusByte, 0);
            _rx.Attach(_rxTail, p.Buffer);
            _rxTail = (_rxTail + 1) & _mask;
            room--;
        }
        _regs.Write32(IxgbeRegs.RxTail, (uint)_rxTail); // doorbell: the device receives into what it has

        int filled = left;
        int head = -1;
        while (filled < capacity && _rxClean != _rxTail)
        {
            byte st = _rx.Read8(_rxClean, IxgbeRegs.StatusByte);
            if ((st & IxgbeRegs.Done) == 0)
            {
                // Reading the head lets the device catch up, so look at the descriptor again after it.
                if (head < 0) { head = (int)_regs.Read32(IxgbeRegs.RxHead); st = _rx.Read8(_rxClean, IxgbeRegs.StatusByte); }
                if ((st & IxgbeRegs.Done) == 0)
                {
                    if (head == _rxClean) break;    // nothing received here yet
                    st = IxgbeRegs.Error;            // the device moved past it, completion lost: do not trust it
                }
            }
            int length = _rx.Read16(_rxClean, IxgbeRegs.Length);
            var buffer = _rx.Detach(_rxClean);
            _rxClean = (_rxClean + 1) & _mask;
            if ((st & IxgbeRegs.Error) != 0)
            {
                _dropped++;
                if (_spareCount < _stash) { _rxSpare.TryPushBack(new Packet { Buffer = buffer }); _spareCount++; }
                else { packets.TryPushBack(new Packet { Buffer = buffer }); filled++; }
                continue;
            }
            _received++;
            packets.TryPushBack(new Packet { Buffer = buffer, Length = length });
            filled++;
        }
        return packets;
    }
}

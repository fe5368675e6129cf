// machine/Devices/Ixgbe: an ixgbe-like 10 GbE NIC: a receive and a transmit descriptor ring in shared
// memory, head/tail registers, interrupt cause and mask registers, statistics counters. Its wire has
// a traffic generator on the receive side and a checking sink on the transmit side, both paced at
// line rate by the TSC (or unpaced). The device works when touched: a tail write (doorbell) or a read
// of a head or status register lets it receive what the wire has offered since into the descriptors
// the driver gave it, and put on the wire what the driver queued, as far as the line rate allows.
// Faults: an I/O error sets a descriptor's error bit (the frame is not delivered); a lost completion
// does the work but never sets the done bit (the head register still moves past it); a corrupted
// descriptor has its buffer field garbled, which the device must refuse (error bit, nothing written).
namespace RedLeaf.Hardware.Devices;

public sealed unsafe class IxgbeDevice : Device, IDisposable
{
    private readonly DescriptorRing _rx;
    private readonly DescriptorRing _tx;
    private readonly int _mask;
    private readonly LinePacer _txPacer;
    private uint _rxControl, _txControl, _interruptMask, _interruptCause;
    private int _rxHead, _rxTail, _txHead, _txTail;

    public IxgbeDevice(string name, TrafficGenerator wire, int ringEntries = 512) : base(name)
    {
        Generator = wire ?? throw new ArgumentNullException(nameof(wire));
        Sink = new PacketSink(wire);
        _rx = new DescriptorRing("rx", ringEntries, IxgbeDescriptor.Bytes, IxgbeDescriptor.Buffer);
        _tx = new DescriptorRing("tx", ringEntries, IxgbeDescriptor.Bytes, IxgbeDescriptor.Buffer);
        _mask = ringEntries - 1;
        _txPacer = new LinePacer(wire.Pacer.PacketsPerSecond, ringEntries);
    }

    /// <summary>The receive wire's far end.</summary>
    public TrafficGenerator Generator { get; }
    /// <summary>The transmit wire's far end.</summary>
    public PacketSink Sink { get; }
    public int RingEntries => _rx.Count;
    public override int RegisterBytes => IxgbeRegisters.Bytes;
    public override IReadOnlyList<DescriptorRing> Rings => new[] { _rx, _tx };

    public long PacketsReceived { get; private set; }
    public long PacketsTransmitted { get; private set; }
    public long RxErrors { get; private set; }
    public long TxErrors { get; private set; }
    public long Resets { get; private set; }

    public override uint ReadRegister(int offset)
    {
        switch (offset)
        {
            case IxgbeRegisters.Control: return 0;
            case IxgbeRegisters.Status: Poll(); return IxgbeRegisters.LinkUp;
            case IxgbeRegisters.InterruptCause:
                uint cause = _interruptCause;
                _interruptCause = 0;
                return cause;
            case IxgbeRegisters.InterruptMaskSet: return _interruptMask;
            case IxgbeRegisters.RxDescriptorCount: return (uint)_rx.Count;
            case IxgbeRegisters.RxHead: Receive(); return (uint)_rxHead;
            case IxgbeRegisters.RxTail: return (uint)_rxTail;
            case IxgbeRegisters.RxControl: return _rxControl;
            case IxgbeRegisters.RxErrors: return (uint)RxErrors;
            case IxgbeRegisters.MissedPackets: return (uint)Generator.Pacer.Forgone;
            case IxgbeRegisters.GoodPacketsReceived: return (uint)PacketsReceived;
            case IxgbeRegisters.GoodPacketsTransmitted: return (uint)PacketsTransmitted;
            case IxgbeRegisters.TxDescriptorCount: return (uint)_tx.Count;
            case IxgbeRegisters.TxHead: Transmit(); return (uint)_txHead;
            case IxgbeRegisters.TxTail: return (uint)_txTail;
            case IxgbeRegisters.TxControl: return _txControl;
            default: return 0;
        }
    }

    public override void WriteRegister(int offset, uint value)
    {
        switch (offset)
        {
            case IxgbeRegisters.Control:
                if ((value & IxgbeRegisters.Reset) != 0) Reset();
                break;
            case IxgbeRegisters.InterruptMaskSet: _interruptMask |= value & 3; break;
            case IxgbeRegisters.InterruptMaskClear: _interruptMask &= ~value; break;
            case IxgbeRegisters.RxTail:
                _rxTail = (int)(value & (uint)_mask);
                Receive();
                break;
            case IxgbeRegisters.RxControl: _rxControl = value & IxgbeRegisters.RxEnable; break;
            case IxgbeRegisters.TxTail:
                _txTail = (int)(value & (uint)_mask);
                Transmit();
                break;
            case IxgbeRegisters.TxControl: _txControl = value & IxgbeRegisters.TxEnable; break;
        }
    }

    /// <summary>Lets the device catch up with its wire (what a register read does).</summary>
    public void Poll()
    {
        Receive();
        Transmit();
    }

    private void Receive()
    {
        if (_rxControl == 0 || Generator.Paused) return;
        int free = (_rxTail - _rxHead) & _mask;
        int n = Generator.Pacer.Available(free);
        if (n <= 0) return;
        int bytes = Generator.PacketBytes;
        var dma = Machine.Dma;
        for (int i = 0; i < n; i++)
        {
            byte* d = _rx.Slot(_rxHead);
            var fault = Faults.Check();
            if (fault == DeviceFault.CorruptDescriptor) *(ulong*)(d + IxgbeDescriptor.Buffer) ^= 0x0000_7F00_0000_0000;
            ulong field = *(ulong*)(d + IxgbeDescriptor.Buffer);
            byte* buffer = DmaBuffer.CapacityOf(field) >= bytes ? dma.Resolve(DmaBuffer.AddressOf(field), bytes) : null;
            byte status;
            if (buffer == null || fault == DeviceFault.IoError)
            {
                Generator.WriteNext(Scratch); // the frame arrived and was dropped: its number is spent
                *(ushort*)(d + IxgbeDescriptor.Length) = 0;
                status = IxgbeDescriptor.Done | IxgbeDescriptor.StatusEndOfPacket | IxgbeDescriptor.Error;
                RxErrors++;
            }
            else
            {
                Generator.WriteNext(new Span<byte>(buffer, bytes));
                *(ushort*)(d + IxgbeDescriptor.Length) = (ushort)bytes;
                status = fault == DeviceFault.LostCompletion ? (byte)0 : (byte)(IxgbeDescriptor.Done | IxgbeDescriptor.StatusEndOfPacket);
                PacketsReceived++;
            }
            Volatile.Write(ref d[IxgbeDescriptor.Status], status);
            _rxHead = (_rxHead + 1) & _mask;
        }
        Generator.Pacer.Take(n);
        Signal(IxgbeRegisters.CauseRx);
    }

    private void Transmit()
    {
        if (_txControl == 0) return;
        int pending = (_txTail - _txHead) & _mask;
        int n = _txPacer.Available(pending);
        if (n <= 0) return;
        var dma = Machine.Dma;
        for (int i = 0; i < n; i++)
        {
            byte* d = _tx.Slot(_txHead);
            var fault = Faults.Check();
            if (fault == DeviceFault.CorruptDescriptor) *(ulong*)(d + IxgbeDescriptor.Buffer) ^= 0x0000_7F00_0000_0000;
            ulong field = *(ulong*)(d + IxgbeDescriptor.Buffer);
            int length = *(ushort*)(d + IxgbeDescriptor.Length);
            byte* buffer = length <= DmaBuffer.CapacityOf(field) ? dma.Resolve(DmaBuffer.AddressOf(field), length) : null;
            byte status;
            if (buffer == null || fault == DeviceFault.IoError)
            {
                status = IxgbeDescriptor.Done | IxgbeDescriptor.Error;
                TxErrors++;
            }
            else
            {
                Sink.Accept(new ReadOnlySpan<byte>(buffer, length));
                status = fault == DeviceFault.LostCompletion ? (byte)0 : IxgbeDescriptor.Done;
                PacketsTransmitted++;
            }
            Volatile.Write(ref d[IxgbeDescriptor.Status], status);
            _txHead = (_txHead + 1) & _mask;
        }
        _txPacer.Take(n);
        Signal(IxgbeRegisters.CauseTx);
    }

    private void Signal(uint cause)
    {
        _interruptCause |= cause;
        if ((_interruptMask & cause) != 0) RaiseInterrupt();
    }

    // Where a frame goes that could not be delivered: the generator still spends its number, so the
    // sink sees the loss.
    private readonly byte[] _scratch = new byte[PacketFormat.MaxBytes];
    private Span<byte> Scratch => _scratch;

    public override void Reset()
    {
        _rx.Clear();
        _tx.Clear();
        _rxHead = _rxTail = _txHead = _txTail = 0;
        _rxControl = _txControl = _interruptMask = _interruptCause = 0;
        Resets++;
    }

    public void Dispose()
    {
        _rx.Dispose();
        _tx.Dispose();
    }
}

// machine/Devices/Nvme: an NVMe-like block device: one I/O queue pair (a submission ring the driver
// fills with 64-byte commands and a completion ring the device fills with 16-byte entries carrying a
// phase tag), doorbell registers, one namespace of 4 KiB or 1 KiB blocks over memory or an image file.
// Ringing the submission doorbell makes the device execute the new commands (DMA between the blocks
// and the buffers the commands name, checked against the machine's DMA window); their completions
// are posted at once or, with a timing model, when the driver polls after they are due. Faults:
// an I/O error completes a command with a media error and moves no data; a lost completion executes
// it and never reports it; a corrupted descriptor flips bits in the command, which is then refused.
using System.Runtime.InteropServices;

namespace RedLeaf.Hardware.Devices;

public sealed unsafe class NvmeDevice : Device, IDisposable
{
    private readonly DescriptorRing _sq;
    private readonly DescriptorRing _cq;
    private readonly BlockStore _store;
    private readonly NvmeTiming _timing;
    private readonly Pending[] _pending;
    private int _pendingHead, _pendingCount;
    private uint _configuration, _interruptEnable;
    private int _sqHead, _sqTail, _cqHead, _cqTail;
    private ushort _phase = 1;
    private ulong _busyUntil;
    private readonly ulong _latencyCycles;
    private readonly double _cyclesPerByte;

    [StructLayout(LayoutKind.Sequential)]
    private struct Pending
    {
        public ulong DueAt;
        public ushort CommandId;
        public ushort Status;
        public ushort SqHead;
        public bool Lost;
    }

    public NvmeDevice(string name, BlockStore store, int queueEntries = 256, NvmeTiming? timing = null) : base(name)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _sq = new DescriptorRing("sq", queueEntries, NvmeSubmission.Bytes, NvmeSubmission.Buffer);
        _cq = new DescriptorRing("cq", queueEntries, NvmeCompletion.Bytes, DescriptorRing.NoBuffers);
        _pending = new Pending[queueEntries];
        _timing = timing ?? NvmeTiming.Instant;
        _latencyCycles = (ulong)(_timing.LatencyMicroseconds * 1e-6 * Tsc.Hz);
        _cyclesPerByte = _timing.BytesPerSecond > 0 ? Tsc.Hz / _timing.BytesPerSecond : 0;
    }

    public BlockStore Store => _store;
    public NvmeTiming Timing => _timing;
    public int BlockSize => _store.BlockSize;
    public long BlockCount => _store.BlockCount;
    public int QueueEntries => _sq.Count;
    public override int RegisterBytes => NvmeRegisters.Bytes;
    public override IReadOnlyList<DescriptorRing> Rings => new[] { _sq, _cq };

    /// <summary>Commands executed, by kind (a command whose completion was lost still counts).</summary>
    public long Reads { get; private set; }
    public long Writes { get; private set; }
    public long Flushes { get; private set; }
    /// <summary>Commands completed with an error status.</summary>
    public long Errors { get; private set; }
    public long Resets { get; private set; }

    /// <summary>Called for every read or write the device executes (opcode, block, blocks), after its data
    /// moved: tests count replays with it and time crashes by it. Null (the default) costs one compare.</summary>
    public Action<byte, long, int>? OnCommand { get; set; }

    public bool Ready => (_configuration & NvmeRegisters.Enable) != 0;

    public override uint ReadRegister(int offset)
    {
        switch (offset)
        {
            case NvmeRegisters.Capabilities: return (uint)(_sq.Count - 1);
            case NvmeRegisters.Version: return 0x0001_0400; // 1.4
            case NvmeRegisters.InterruptEnable: return _interruptEnable;
            case NvmeRegisters.Configuration: return _configuration;
            case NvmeRegisters.Status:
                PostDue();
                return Ready ? NvmeRegisters.Ready : 0;
            case NvmeRegisters.BlockCountLow: return (uint)_store.BlockCount;
            case NvmeRegisters.BlockCountHigh: return (uint)(_store.BlockCount >> 32);
            case NvmeRegisters.BlockSize: return (uint)_store.BlockSize;
            default: return 0;
        }
    }

    public override void WriteRegister(int offset, uint value)
    {
        switch (offset)
        {
            case NvmeRegisters.Configuration:
                bool enable = (value & NvmeRegisters.Enable) != 0;
                if (enable && !Ready) { ClearQueues(); _configuration = value; }
                else if (!enable) { _configuration = 0; ClearQueues(); }
                break;
            case NvmeRegisters.InterruptEnable: _interruptEnable = value & 1; break;
            case NvmeRegisters.SubmissionTailDoorbell:
                if (!Ready) return;
                _sqTail = (int)(value & (uint)(_sq.Count - 1));
                Execute();
                PostDue();
                break;
            case NvmeRegisters.CompletionHeadDoorbell:
                if (!Ready) return;
                _cqHead = (int)(value & (uint)(_cq.Count - 1));
                PostDue();
                break;
        }
    }

    /// <summary>Executes every command between the device's head and the driver's tail.</summary>
    private void Execute()
    {
        ulong now = _timing.IsInstant ? 0 : Tsc.Read();
        while (_sqHead != _sqTail && _pendingCount < _pending.Length)
        {
            byte* cmd = _sq.Slot(_sqHead);
            var fault = Faults.Check();
            if (fault == DeviceFault.CorruptDescriptor)
            {
                cmd[NvmeSubmission.Opcode] ^= 0x80;                        // bits flipped in memory
                *(ulong*)(cmd + NvmeSubmission.Buffer) ^= 0x0000_7F00_0000_0000;
            }
            ushort status = fault == DeviceFault.IoError ? NvmeCompletion.MediaError : Run(cmd);
            if (status != NvmeCompletion.Success) Errors++;
            _sqHead = (_sqHead + 1) & (_sq.Count - 1);

            ulong due = 0;
            if (!_timing.IsInstant)
            {
                ulong start = Math.Max(now, _busyUntil);
                _busyUntil = start + (ulong)(Transferred(cmd) * _cyclesPerByte);
                due = _busyUntil + _latencyCycles;
            }
            int slot = (_pendingHead + _pendingCount) % _pending.Length;
            _pending[slot] = new Pending
            {
                DueAt = due,
                CommandId = *(ushort*)(cmd + NvmeSubmission.CommandId),
                Status = status,
                SqHead = (ushort)_sqHead,
                Lost = fault == DeviceFault.LostCompletion,
            };
            _pendingCount++;
        }
    }

    private long Transferred(byte* cmd) => cmd[NvmeSubmission.Opcode] is NvmeSubmission.Read or NvmeSubmission.Write
        ? (*(ushort*)(cmd + NvmeSubmission.BlockCount) + 1L) * _store.BlockSize : 0;

    /// <summary>Does what one command says; returns its status.</summary>
    private ushort Run(byte* cmd)
    {
        byte op = cmd[NvmeSubmission.Opcode];
        if (op == NvmeSubmission.Flush) { _store.Flush(); Flushes++; return NvmeCompletion.Success; }
        if (op is not (NvmeSubmission.Read or NvmeSubmission.Write)) return NvmeCompletion.InvalidOpcode;
        long block = *(long*)(cmd + NvmeSubmission.StartBlock);
        int blocks = *(ushort*)(cmd + NvmeSubmission.BlockCount) + 1;
        if (block < 0 || block > _store.BlockCount - blocks) return NvmeCompletion.LbaOutOfRange;
        int bytes = blocks * _store.BlockSize;
        ulong field = *(ulong*)(cmd + NvmeSubmission.Buffer);
        if (DmaBuffer.CapacityOf(field) < bytes) return NvmeCompletion.InvalidField;
        byte* buffer = Machine.Dma.Resolve(DmaBuffer.AddressOf(field), bytes);
        if (buffer == null) return NvmeCompletion.DataTransferError;
        if (op == NvmeSubmission.Read)
        {
            _store.Read(block, new Span<byte>(buffer, bytes));
            Reads++;
            OnCommand?.Invoke(op, block, blocks);
        }
        else
        {
            _store.Write(block, new ReadOnlySpan<byte>(buffer, bytes));
            Writes++;
            OnCommand?.Invoke(op, block, blocks);
        }
        return NvmeCompletion.Success;
    }

    /// <summary>Posts every completion that is due, while the completion ring has room.</summary>
    private void PostDue()
    {
        if (_pendingCount == 0) return;
        ulong now = _timing.IsInstant ? 0 : Tsc.Read();
        int posted = 0;
        while (_pendingCount > 0)
        {
            ref var p = ref _pending[_pendingHead];
            if (p.DueAt > now) break;
            if (!p.Lost)
            {
                int next = (_cqTail + 1) & (_cq.Count - 1);
                if (next == _cqHead) break; // completion ring full: the driver must advance its head
                byte* e = _cq.Slot(_cqTail);
                *(ushort*)(e + NvmeCompletion.SubmissionHead) = p.SqHead;
                *(ushort*)(e + NvmeCompletion.CommandId) = p.CommandId;
                Volatile.Write(ref *(ushort*)(e + NvmeCompletion.Status), (ushort)((p.Status << 1) | _phase));
                _cqTail = next;
                if (_cqTail == 0) _phase ^= 1;
                posted++;
            }
            _pendingHead = (_pendingHead + 1) % _pending.Length;
            _pendingCount--;
        }
        if (posted > 0 && _interruptEnable != 0) RaiseInterrupt();
    }

    private void ClearQueues()
    {
        _sq.Clear();
        _cq.Clear();
        _sqHead = _sqTail = _cqHead = _cqTail = 0;
        _phase = 1;
        _pendingHead = _pendingCount = 0;
        _busyUntil = 0;
    }

    public override void Reset()
    {
        _configuration = 0;
        _interruptEnable = 0;
        ClearQueues();
        Resets++;
    }

    /// <summary>Frees the rings and closes the store (the device owns what it was built with).</summary>
    public void Dispose()
    {
        _sq.Dispose();
        _cq.Dispose();
        _store.Dispose();
    }
}

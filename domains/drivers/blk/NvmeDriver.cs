// domains/drivers/blk: the driver of the NVMe-like block device, polling, in the spirit of RedLeaf's
// NVMe driver. Commands go into the submission ring (the command id is the slot), their buffers
// attached (reads, and batch writes: moved to the device) or lent (single and lent-batch writes: the
// device only reads them); one doorbell per batch; completions are found by their phase tag. A
// command that never completes (a lost completion) is given up on after a bounded number of polls:
// the driver resets the controller, takes every outstanding buffer back and reports them TimedOut.
// A single Read that fails three times throws: how this interface reports a device it cannot read.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Block;

namespace Domains.Drivers.Blk;

public sealed class NvmeDriver : IBlockDevice
{
    private const int GiveUpPolls = 2_000_000;
    private readonly MmioRegion _regs;
    private readonly DmaRing _sq, _cq;
    private readonly int _mask;
    private readonly BlockRequest[] _inflight;
    private readonly bool[] _lent;
    private int _sqTail, _cqHead, _phase = 1, _outstanding;
    private readonly int _blockSize;
    private readonly long _blockCount;

    public NvmeDriver(DeviceAccess nvme)
    {
        _regs = nvme.Registers;
        _sq = nvme.Ring("sq");
        _cq = nvme.Ring("cq");
        _mask = _sq.Count - 1;
        _inflight = new BlockRequest[_sq.Count];
        _lent = new bool[_sq.Count];
        Enable();
        _blockSize = (int)_regs.Read32(NvmeRegs.BlockSize);
        _blockCount = _regs.Read32(NvmeRegs.BlockCountLow) | ((long)_regs.Read32(NvmeRegs.BlockCountHigh) << 32);
    }

    private void Enable()
    {
        _regs.Write32(NvmeRegs.Configuration, 0);
        _regs.Write32(NvmeRegs.Configuration, NvmeRegs.Enable);
        if ((_regs.Read32(NvmeRegs.Status) & NvmeRegs.Ready) == 0) throw new InvalidOperationException("the NVMe controller did not become ready");
        _sqTail = _cqHead = 0;
        _phase = 1;
        _outstanding = 0;
    }

    public RpcResult<int> BlockSize() => _blockSize;
    public RpcResult<long> BlockCount() => _blockCount;

    public RpcResult<RRefArray<byte>> Read(long block, RRefArray<byte> buffer)
    {
        for (int attempt = 1; ; attempt++)
        {
            var r = RunOne(new BlockRequest { Block = block, Blocks = 1, Data = buffer }, NvmeRegs.Read);
            buffer = r.Data;
            if (r.Status == 0) return buffer;
            if (attempt == 3) throw new InvalidOperationException($"block {block} unreadable: device status 0x{r.Status:x} three times");
        }
    }

    public RpcResult<int> Write(long block, in RRefArray<byte> data)
    {
        int slot = Submit(new BlockRequest { Block = block, Blocks = 1 }, NvmeRegs.Write);
        _sq.Lend(slot, data);
        _lent[slot] = true;
        Doorbell();
        int status = 0;
        int done = 0;
        while (done == 0) done = Reap(null, ref status);
        return status;
    }

    public RpcResult<RRefDeque<BlockRequest>> SubmitAndPoll(RRefDeque<BlockRequest> requests, bool write)
    {
        int total = requests.Count, submitted = 0, completed = 0, ignored = 0;
        byte op = write ? NvmeRegs.Write : NvmeRegs.Read;
        while (submitted < total)
        {
            if (_outstanding < _mask && requests.TryPopFront(out var r))
            {
                var data = r.Data;
                r.Data = default;
                int slot = Submit(r, op);
                _sq.Attach(slot, data);
                _lent[slot] = false;
                submitted++;
                continue;
            }
            Doorbell();
            completed += Reap(requests, ref ignored);
        }
        Doorbell();
        while (completed < total) completed += Reap(requests, ref ignored);
        return requests;
    }

    public RpcResult<long> WriteBatch(in RRefDeque<BlockRequest> requests)
    {
        int total = requests.Count, submitted = 0, completed = 0, status = 0;
        _succeeded = 0;
        while (submitted < total)
        {
            if (_outstanding < _mask)
            {
                var r = requests[submitted];
                int slot = Submit(r, NvmeRegs.Write);
                _sq.Lend(slot, r.Data);
                _lent[slot] = true;
                submitted++;
                continue;
            }
            Doorbell();
            int n = Reap(null, ref status, countOk: true);
            completed += n;
        }
        Doorbell();
        while (completed < total) completed += Reap(null, ref status, countOk: true);
        long ok = _succeeded;
        _succeeded = 0;
        return ok;
    }

    private long _succeeded;   // lent writes that succeeded, for WriteBatch
    private BlockRequest _done; // the last moved request completed with nowhere to go (RunOne)

    private BlockRequest RunOne(BlockRequest r, byte op)
    {
        var data = r.Data;
        r.Data = default;
        int slot = Submit(r, op);
        _sq.Attach(slot, data);
        _lent[slot] = false;
        Doorbell();
        int status = 0;
        while (Reap(null, ref status) == 0) { }
        var done = _done;
        _done = default;
        return done;
    }

    /// <summary>Writes one command into the next slot (its buffer is attached or lent by the caller).</summary>
    private int Submit(BlockRequest r, byte op)
    {
        int slot = _sqTail;
        _sq.Write8(slot, NvmeRegs.Opcode, op);
        _sq.Write16(slot, NvmeRegs.CommandId, (ushort)slot);
        _sq.Write32(slot, NvmeRegs.Namespace, 1);
        _sq.Write64(slot, NvmeRegs.StartBlock, (ulong)r.Block);
        _sq.Write16(slot, NvmeRegs.BlockCount, (ushort)(r.Blocks - 1));
        _inflight[slot] = r;
        _sqTail = (slot + 1) & _mask;
        _outstanding++;
        return slot;
    }

    private void Doorbell() => _regs.Write32(NvmeRegs.SubmissionTail, (uint)_sqTail);

    /// <summary>Collects posted completions (polling the device until at least one, or giving up).
    /// Moved buffers go back into their request, pushed to <paramref name="into"/>; lent ones are released.</summary>
    private int Reap(RRefDeque<BlockRequest>? into, ref int lastStatus, bool countOk = false)
    {
        int n = 0;
        for (int polls = 0; n == 0; polls++)
        {
            while (true)
            {
                int status = _cq.Read16(_cqHead, NvmeRegs.CqStatus);
                if ((status & 1) != _phase) break;
                int slot = _cq.Read16(_cqHead, NvmeRegs.CqCommandId) & _mask;
                Complete(slot, status >> 1, into, ref lastStatus, countOk);
                _cqHead = (_cqHead + 1) & _mask;
                if (_cqHead == 0) _phase ^= 1;
                n++;
            }
            if (n > 0) break;
            if (polls == GiveUpPolls) return GiveUp(into, ref lastStatus, countOk);
            _regs.Read32(NvmeRegs.Status); // let the device post what is due
        }
        _regs.Write32(NvmeRegs.CompletionHead, (uint)_cqHead);
        return n;
    }

    private void Complete(int slot, int status, RRefDeque<BlockRequest>? into, ref int lastStatus, bool countOk)
    {
        var r = _inflight[slot];
        _outstanding--;
        lastStatus = status;
        if (status == 0 && countOk) _succeeded++;
        if (_lent[slot]) { _sq.Release(slot); return; }
        r.Data = _sq.Detach(slot);
        r.Status = status;
        if (into is null) _done = r;
        else into.Value.TryPushBack(r);
    }

    /// <summary>Lost completions: reset the controller (it forgets everything), take every buffer back.</summary>
    private int GiveUp(RRefDeque<BlockRequest>? into, ref int lastStatus, bool countOk)
    {
        _regs.Write32(NvmeRegs.Configuration, 0);
        int n = 0;
        for (int slot = 0; slot < _sq.Count; slot++)
        {
            if (!_sq.Holds(slot)) continue;
            Complete(slot, NvmeRegs.TimedOut, into, ref lastStatus, countOk);
            n++;
        }
        Enable();
        return n;
    }
}

// tests/machine/Devices: a minimal trusted driver written against the machine directly (pointers, no kernel),
// so the device models are tested on their own: buffers at fixed places in physical memory, commands
// and descriptors written by hand as a real driver writes them.
using RedLeaf.Hardware;
using RedLeaf.Hardware.Devices;

using EmulatedMachine = RedLeaf.Hardware.Machine;

namespace RedLeaf.Tests.Devices;

internal sealed unsafe class HostNvme : IDisposable
{
    public readonly EmulatedMachine Machine;
    public readonly NvmeDevice Device;
    public int Tail, Head;
    public ushort Phase = 1;
    public ushort NextId = 1;

    public HostNvme(BlockStore store, NvmeTiming? timing = null, int entries = 16)
    {
        Machine = new EmulatedMachine(new MachineConfig { Cpus = 1, MemoryBytes = 4L << 20 });
        Device = Machine.Attach(new NvmeDevice("nvme0", store, entries, timing));
        Device.WriteRegister(NvmeRegisters.Configuration, NvmeRegisters.Enable);
    }

    public DescriptorRing Sq => Device.Rings[0];
    public DescriptorRing Cq => Device.Rings[1];

    /// <summary>A span over physical memory at <paramref name="address"/>.</summary>
    public Span<byte> Memory(long address, int bytes) => new(Machine.Memory.Base + address, bytes);

    public ushort Submit(byte opcode, long block, int blocks, long address, int capacity)
    {
        byte* e = Sq.Slot(Tail);
        new Span<byte>(e, NvmeSubmission.Bytes).Clear();
        ushort id = NextId++;
        e[NvmeSubmission.Opcode] = opcode;
        *(ushort*)(e + NvmeSubmission.CommandId) = id;
        *(uint*)(e + NvmeSubmission.Namespace) = 1;
        *(ulong*)(e + NvmeSubmission.Buffer) = DmaBuffer.Encode(address, capacity);
        *(long*)(e + NvmeSubmission.StartBlock) = block;
        *(ushort*)(e + NvmeSubmission.BlockCount) = (ushort)(blocks - 1);
        Tail = (Tail + 1) % Sq.Count;
        Device.WriteRegister(NvmeRegisters.SubmissionTailDoorbell, (uint)Tail);
        return id;
    }

    /// <summary>The next completion (id, status code), or null if none is posted.</summary>
    public (ushort Id, ushort Code)? Poll()
    {
        _ = Device.ReadRegister(NvmeRegisters.Status);
        byte* e = Cq.Slot(Head);
        ushort status = *(ushort*)(e + NvmeCompletion.Status);
        if ((status & 1) != Phase) return null;
        ushort id = *(ushort*)(e + NvmeCompletion.CommandId);
        Head = (Head + 1) % Cq.Count;
        if (Head == 0) Phase ^= 1;
        Device.WriteRegister(NvmeRegisters.CompletionHeadDoorbell, (uint)Head);
        return (id, (ushort)(status >> 1));
    }

    public void Dispose()
    {
        Machine.Dispose();
    }
}

internal sealed unsafe class HostNic : IDisposable
{
    public readonly EmulatedMachine Machine;
    public readonly IxgbeDevice Device;
    public int RxTail, RxClean, TxTail;
    public const int BufferBytes = 2048;
    public const long RxArea = 1 << 20, TxArea = 2 << 20;

    public HostNic(TrafficGenerator wire, int entries = 64)
    {
        Machine = new EmulatedMachine(new MachineConfig { Cpus = 1, MemoryBytes = 4L << 20 });
        Device = Machine.Attach(new IxgbeDevice("nic0", wire, entries));
        Device.WriteRegister(IxgbeRegisters.RxControl, IxgbeRegisters.RxEnable);
        Device.WriteRegister(IxgbeRegisters.TxControl, IxgbeRegisters.TxEnable);
    }

    public DescriptorRing Rx => Device.Rings[0];
    public DescriptorRing Tx => Device.Rings[1];
    public int Entries => Rx.Count;

    public static long RxBuffer(int slot) => RxArea + (long)slot * BufferBytes;
    public static long TxBuffer(int slot) => TxArea + (long)slot * BufferBytes;
    public Span<byte> Memory(long address, int bytes) => new(Machine.Memory.Base + address, bytes);

    /// <summary>Gives the device receive buffers until one slot short of full (as ixgbe drivers do).</summary>
    public void FillRx()
    {
        while (((RxTail + 1) & (Entries - 1)) != RxClean)
        {
            byte* d = Rx.Slot(RxTail);
            *(ulong*)d = DmaBuffer.Encode(RxBuffer(RxTail), BufferBytes);
            d[IxgbeDescriptor.Status] = 0;
            RxTail = (RxTail + 1) & (Entries - 1);
        }
        Device.WriteRegister(IxgbeRegisters.RxTail, (uint)RxTail);
    }

    /// <summary>Received descriptors in order: (slot, length, status) while the done bit is set.</summary>
    public List<(int Slot, int Length, byte Status)> Reap()
    {
        var got = new List<(int, int, byte)>();
        while (RxClean != RxTail)
        {
            byte* d = Rx.Slot(RxClean);
            byte st = d[IxgbeDescriptor.Status];
            if ((st & IxgbeDescriptor.Done) == 0) break;
            got.Add((RxClean, *(ushort*)(d + IxgbeDescriptor.Length), st));
            RxClean = (RxClean + 1) & (Entries - 1);
        }
        return got;
    }

    /// <summary>Queues one frame from <paramref name="address"/> for transmission (no doorbell).</summary>
    public void Queue(long address, int length)
    {
        byte* d = Tx.Slot(TxTail);
        *(ulong*)d = DmaBuffer.Encode(address, BufferBytes);
        *(ushort*)(d + IxgbeDescriptor.Length) = (ushort)length;
        d[IxgbeDescriptor.Command] = IxgbeDescriptor.EndOfPacket | IxgbeDescriptor.ReportStatus;
        d[IxgbeDescriptor.Status] = 0;
        TxTail = (TxTail + 1) & (Entries - 1);
    }

    public void Doorbell() => Device.WriteRegister(IxgbeRegisters.TxTail, (uint)TxTail);

    public void Dispose() => Machine.Dispose();
}

// machine/Devices/Nvme: the controller's register map and the layout of its queue entries, after the
// NVMe base specification (the registers and fields a polling driver needs; offsets in bytes).
namespace RedLeaf.Hardware.Devices;

public static class NvmeRegisters
{
    /// <summary>Capabilities (read-only): low 16 bits, queue entries minus one.</summary>
    public const int Capabilities = 0x00;
    public const int Version = 0x08;
    /// <summary>Interrupt enable (ours: bit 0 raises the vector when completions are posted).</summary>
    public const int InterruptEnable = 0x0C;
    /// <summary>Controller configuration: bit 0 EN.</summary>
    public const int Configuration = 0x14;
    /// <summary>Controller status: bit 0 RDY (also the driver's poll: reading it lets the device catch up).</summary>
    public const int Status = 0x1C;
    /// <summary>Namespace 1: size in blocks (low, high) and block size in bytes (ours; a real driver asks with Identify).</summary>
    public const int BlockCountLow = 0x30;
    public const int BlockCountHigh = 0x34;
    public const int BlockSize = 0x38;
    /// <summary>I/O submission queue 1 tail doorbell, completion queue 1 head doorbell.</summary>
    public const int SubmissionTailDoorbell = 0x1000;
    public const int CompletionHeadDoorbell = 0x1004;
    public const int Bytes = 0x2000;

    public const uint Enable = 1, Ready = 1;
}

/// <summary>A 64-byte submission queue entry.</summary>
public static class NvmeSubmission
{
    public const int Bytes = 64;
    public const int Opcode = 0;       // byte
    public const int CommandId = 2;    // ushort
    public const int Namespace = 4;    // uint
    public const int Buffer = 24;      // DmaBuffer field (PRP1's place)
    public const int StartBlock = 40;  // ulong (SLBA)
    public const int BlockCount = 48;  // ushort, zero-based (NLB)

    public const byte Flush = 0x00, Write = 0x01, Read = 0x02;
}

/// <summary>A 16-byte completion queue entry.</summary>
public static class NvmeCompletion
{
    public const int Bytes = 16;
    public const int SubmissionHead = 8; // ushort
    public const int CommandId = 12;     // ushort
    public const int Status = 14;        // ushort: bit 0 phase tag, bits 1.. status code

    public const ushort Success = 0, InvalidOpcode = 0x01, InvalidField = 0x02, DataTransferError = 0x04,
        LbaOutOfRange = 0x80, MediaError = 0x281;

    public static string Describe(ushort code) => code switch
    {
        Success => "success",
        InvalidOpcode => "invalid opcode",
        InvalidField => "invalid field (buffer)",
        DataTransferError => "data transfer error",
        LbaOutOfRange => "block out of range",
        MediaError => "media error",
        _ => $"status 0x{code:x}",
    };
}

// domains/drivers/blk: the NVMe-like controller's registers and queue entry layout, as the driver's
// own header (must match machine/Devices/Nvme/NvmeRegisters.cs; the device tests pin that down).
namespace Domains.Drivers.Blk;

internal static class NvmeRegs
{
    public const int Configuration = 0x14, Status = 0x1C, BlockCountLow = 0x30, BlockCountHigh = 0x34, BlockSize = 0x38;
    public const int SubmissionTail = 0x1000, CompletionHead = 0x1004;
    public const uint Enable = 1, Ready = 1;

    // submission entry
    public const int Opcode = 0, CommandId = 2, Namespace = 4, StartBlock = 40, BlockCount = 48;
    public const byte Write = 0x01, Read = 0x02;
    // completion entry
    public const int CqCommandId = 12, CqStatus = 14;

    /// <summary>Status the driver reports for a command the device never completed.</summary>
    public const int TimedOut = 0x7FFF;
}

// domains/drivers/nic: the ixgbe-like NIC's registers and descriptor layout, as the driver's own
// header (a driver domain cannot see machine/; these must match machine/Devices/Ixgbe/IxgbeRegisters.cs,
// which the device tests pin down).
namespace Domains.Drivers.Nic;

internal static class IxgbeRegs
{
    public const int Control = 0x0000, Status = 0x0008, InterruptMaskClear = 0x0888;
    public const int RxHead = 0x1010, RxTail = 0x1018, RxControl = 0x3000;
    public const int TxHead = 0x6010, TxTail = 0x6018, TxControl = 0x6028;
    public const uint Reset = 1u << 26, RxEnable = 1, TxEnable = 1u << 25;

    // descriptor
    public const int Length = 8, Command = 10, StatusByte = 11;
    public const byte EndOfPacket = 1, ReportStatus = 8;
    public const byte Done = 1, Error = 0x80;
}

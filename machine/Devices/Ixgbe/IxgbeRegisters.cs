// machine/Devices/Ixgbe: the NIC's register map (offsets after the 82599's where it has the same
// register) and the 16-byte descriptor both rings use (a simplified legacy layout).
namespace RedLeaf.Hardware.Devices;

public static class IxgbeRegisters
{
    /// <summary>Device control: bit 26 RST resets the device.</summary>
    public const int Control = 0x0000;
    /// <summary>Device status: bit 1 link up.</summary>
    public const int Status = 0x0008;
    /// <summary>Interrupt cause (read clears): bit 0 receive, bit 1 transmit.</summary>
    public const int InterruptCause = 0x0800;
    /// <summary>Interrupt mask set (write 1s to enable causes) and clear.</summary>
    public const int InterruptMaskSet = 0x0880;
    public const int InterruptMaskClear = 0x0888;
    public const int RxDescriptorCount = 0x1008;
    public const int RxHead = 0x1010;
    /// <summary>Receive tail: the doorbell (descriptors before it belong to the device).</summary>
    public const int RxTail = 0x1018;
    /// <summary>Receive control: bit 0 enable.</summary>
    public const int RxControl = 0x3000;
    public const int RxErrors = 0x4000;
    public const int MissedPackets = 0x3FA0;
    public const int GoodPacketsReceived = 0x4074;
    public const int GoodPacketsTransmitted = 0x4080;
    public const int TxDescriptorCount = 0x6008;
    public const int TxHead = 0x6010;
    /// <summary>Transmit tail: the doorbell.</summary>
    public const int TxTail = 0x6018;
    /// <summary>Transmit control: bit 25 enable.</summary>
    public const int TxControl = 0x6028;
    public const int Bytes = 0x8000;

    public const uint Reset = 1u << 26, LinkUp = 2, RxEnable = 1, TxEnable = 1u << 25;
    public const uint CauseRx = 1, CauseTx = 2;
}

/// <summary>A 16-byte descriptor, receive or transmit.</summary>
public static class IxgbeDescriptor
{
    public const int Bytes = 16;
    public const int Buffer = 0;   // DmaBuffer field
    public const int Length = 8;   // ushort: transmit, packet length; receive, written back
    public const int Command = 10; // byte: transmit, EOP | RS
    public const int Status = 11;  // byte: DD | EOP | ERR, written back by the device

    public const byte EndOfPacket = 1, ReportStatus = 8;
    public const byte Done = 1, StatusEndOfPacket = 2, Error = 0x80;
}

// machine/Devices/Console: the UART's register map, after the 16550's (one register per 4 bytes here).
namespace RedLeaf.Hardware.Devices;

public static class UartRegisters
{
    /// <summary>Write: transmit a byte. Read: the next received byte (0 if none).</summary>
    public const int Data = 0x00;
    /// <summary>Bit 0: interrupt when a byte is received.</summary>
    public const int InterruptEnable = 0x04;
    /// <summary>Line status: bit 0 data ready, bit 2 parity error on the last byte read, bit 5 transmitter empty.</summary>
    public const int LineStatus = 0x14;
    public const int Bytes = 0x20;

    public const uint DataReady = 1, ParityError = 4, TransmitterEmpty = 0x20;
}

// machine/Devices/Timer: the timer's register map (32-bit registers, byte offsets).
namespace RedLeaf.Hardware.Devices;

public static class TimerRegisters
{
    /// <summary>Bit 0: enabled; bit 1: periodic (re-arms itself); bit 2: interrupt enabled.</summary>
    public const int Control = 0x00;
    /// <summary>Interval in TSC cycles, low and high halves; writing High arms the timer from now.</summary>
    public const int IntervalLow = 0x04;
    public const int IntervalHigh = 0x08;
    /// <summary>Read-only: how many times the timer has fired.</summary>
    public const int Fired = 0x0C;
    /// <summary>Read-only: the TSC's low 32 bits (the driver's cheap clock).</summary>
    public const int Now = 0x10;
    public const int Bytes = 0x20;

    public const uint Enable = 1, Periodic = 2, InterruptEnable = 4;
}

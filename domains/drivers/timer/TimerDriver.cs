// domains/drivers/timer: the timer's driver: programs a periodic interrupt and counts the interrupts
// the kernel delivers to it (its IInterruptHandler, registered on the line it was granted). Reading a
// register is what lets the emulated timer notice its deadline, so Poll reads one.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Timer;

namespace Domains.Drivers.Timer;

public sealed class TimerDriver : ITicker, IInterruptHandler
{
    private const int Control = 0x00, IntervalLow = 0x04, IntervalHigh = 0x08, Fired = 0x0C;
    private const uint Enable = 1, Periodic = 2, InterruptEnable = 4;
    private readonly MmioRegion _regs;
    private long _ticks;
    private readonly long _cyclesPerMicrosecond;

    public TimerDriver(DeviceAccess timer, long cyclesPerMicrosecond)
    {
        _regs = timer.Registers;
        _cyclesPerMicrosecond = cyclesPerMicrosecond;
        timer.Interrupt.Register(this);
    }

    public RpcResult Start(long microseconds)
    {
        long cycles = microseconds * _cyclesPerMicrosecond;
        _regs.Write32(IntervalLow, (uint)cycles);
        _regs.Write32(IntervalHigh, (uint)(cycles >> 32));
        _regs.Write32(Control, Enable | Periodic | InterruptEnable);
        return RpcResult.Ok;
    }

    public RpcResult<long> Ticks() => _ticks;

    public RpcResult<long> Poll()
    {
        _regs.Read32(Fired);
        return _ticks;
    }

    public RpcResult Interrupt(int vector)
    {
        _ticks++;
        return RpcResult.Ok;
    }
}

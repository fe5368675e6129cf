// machine/Devices/Timer: a programmable interval timer on the TSC. It fires when it is polled (any
// register access, or the machine's Poll) at or after its deadline: it counts the firing, raises its
// interrupt if enabled and, if periodic, re-arms one interval after the deadline it missed most
// recently (so a late poll does not drift the period, it just reports several firings at once).
namespace RedLeaf.Hardware.Devices;

public sealed class TimerDevice : Device
{
    private uint _control;
    private ulong _interval;
    private ulong _deadline;
    private long _fired;

    public TimerDevice(string name = "timer0") : base(name) { }

    public override int RegisterBytes => TimerRegisters.Bytes;

    public long Fired => Volatile.Read(ref _fired);

    public override uint ReadRegister(int offset)
    {
        Poll();
        return offset switch
        {
            TimerRegisters.Control => _control,
            TimerRegisters.IntervalLow => (uint)_interval,
            TimerRegisters.IntervalHigh => (uint)(_interval >> 32),
            TimerRegisters.Fired => (uint)_fired,
            TimerRegisters.Now => (uint)Tsc.Read(),
            _ => 0,
        };
    }

    public override void WriteRegister(int offset, uint value)
    {
        switch (offset)
        {
            case TimerRegisters.Control:
                _control = value & 7;
                if ((_control & TimerRegisters.Enable) != 0 && _interval > 0) _deadline = Tsc.Read() + _interval;
                break;
            case TimerRegisters.IntervalLow: _interval = (_interval & 0xFFFF_FFFF_0000_0000) | value; break;
            case TimerRegisters.IntervalHigh:
                _interval = (_interval & 0xFFFF_FFFF) | ((ulong)value << 32);
                _deadline = Tsc.Read() + _interval;
                break;
        }
        Poll();
    }

    /// <summary>Fires if the deadline has passed. Returns how many firings this poll found.</summary>
    public int Poll()
    {
        if ((_control & TimerRegisters.Enable) == 0 || _interval == 0) return 0;
        ulong now = Tsc.Read();
        if (now < _deadline) return 0;
        int fired = 1;
        if ((_control & TimerRegisters.Periodic) != 0)
        {
            ulong late = (now - _deadline) / _interval;
            fired += (int)Math.Min(late, int.MaxValue - 1);
            _deadline += (late + 1) * _interval;
        }
        else _control &= ~TimerRegisters.Enable;
        _fired += fired;
        if ((_control & TimerRegisters.InterruptEnable) != 0 && Faults.Check() != DeviceFault.LostCompletion) RaiseInterrupt();
        return fired;
    }

    public override void Reset()
    {
        _control = 0;
        _interval = 0;
        _deadline = 0;
    }
}

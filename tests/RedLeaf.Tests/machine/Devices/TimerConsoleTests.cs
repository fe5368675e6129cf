// tests/machine/Devices: the timer (one-shot and periodic, by the TSC, with interrupts) and the UART console
// (output, typed input with receive interrupts, faults).
using System.Diagnostics;
using RedLeaf.Hardware;
using RedLeaf.Hardware.Devices;
using Xunit;

using EmulatedMachine = RedLeaf.Hardware.Machine;

namespace RedLeaf.Tests.Devices;

[Trait("suite", "devices")]
public class TimerConsoleTests
{
    private static void Program(TimerDevice t, double microseconds, uint control)
    {
        ulong cycles = (ulong)(microseconds * 1e-6 * Tsc.Hz);
        t.WriteRegister(TimerRegisters.IntervalLow, (uint)cycles);
        t.WriteRegister(TimerRegisters.IntervalHigh, (uint)(cycles >> 32));
        t.WriteRegister(TimerRegisters.Control, control);
    }

    [Fact]
    public void APeriodicTimerFiresByTheTscAndInterrupts()
    {
        using var m = new EmulatedMachine(new MachineConfig { Cpus = 1, MemoryBytes = 1 << 20 });
        var t = m.Attach(new TimerDevice());
        int interrupts = 0;
        m.Interrupts.Connect(t.Vector, v => { Assert.Equal(t.Vector, v); interrupts++; });
        ulong t0 = Tsc.Read();
        Program(t, 1000, TimerRegisters.Enable | TimerRegisters.Periodic | TimerRegisters.InterruptEnable);
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < 30) t.Poll();
        t.Poll();
        // Judged by the device's own clock: one firing per elapsed millisecond of TSC (a busy host only delays polls).
        double periods = (Tsc.Read() - t0) / (1e-3 * Tsc.Hz);
        Assert.InRange(t.Fired, (long)periods - 2, (long)periods + 1);
        uint register = t.ReadRegister(TimerRegisters.Fired); // reading polls, so read first, then compare
        Assert.Equal(t.Fired, (long)register);
        Assert.InRange(interrupts, 1, (int)t.Fired); // a late poll (a busy host) reports several firings with one interrupt
    }

    [Fact]
    public void AOneShotTimerFiresOnceAndNotBeforeItsDeadline()
    {
        using var m = new EmulatedMachine(new MachineConfig { Cpus = 1, MemoryBytes = 1 << 20 });
        var t = m.Attach(new TimerDevice());
        ulong t0 = Tsc.Read();
        Program(t, 5000, TimerRegisters.Enable);
        Assert.Equal(0, t.Poll());
        var sw = Stopwatch.StartNew();
        while (t.Fired == 0 && sw.ElapsedMilliseconds < 1000) t.Poll();
        Assert.Equal(1, t.Fired);
        Assert.True(Tsc.Read() - t0 >= (ulong)(5e-3 * Tsc.Hz), "fired before its deadline");
        Thread.Sleep(10);
        t.Poll();
        Assert.Equal(1, t.Fired);
        Assert.Equal(0u, t.ReadRegister(TimerRegisters.Control) & TimerRegisters.Enable);
    }

    [Fact]
    public void AMaskedTimerInterruptIsLatchedAndDeliveredOnUnmask()
    {
        using var m = new EmulatedMachine(new MachineConfig { Cpus = 1, MemoryBytes = 1 << 20 });
        var t = m.Attach(new TimerDevice());
        int interrupts = 0;
        m.Interrupts.Connect(t.Vector, _ => interrupts++);
        m.Interrupts.Mask(t.Vector, true);
        Program(t, 100, TimerRegisters.Enable | TimerRegisters.InterruptEnable);
        var sw = Stopwatch.StartNew();
        while (t.Fired == 0 && sw.ElapsedMilliseconds < 1000) t.Poll();
        Assert.Equal(0, interrupts);
        Assert.Equal(1, m.Interrupts.Pending(t.Vector));
        m.Interrupts.Mask(t.Vector, false);
        Assert.Equal(1, interrupts);
        Assert.Equal(0, m.Interrupts.Pending(t.Vector));
    }

    [Fact]
    public void TheConsoleTransmitsReceivesAndInterruptsOnInput()
    {
        using var m = new EmulatedMachine(new MachineConfig { Cpus = 1, MemoryBytes = 1 << 20 });
        var host = new StringWriter();
        var u = m.Attach(new Uart(host: host));
        foreach (char c in "hello") u.WriteRegister(UartRegisters.Data, c);
        Assert.Equal("hello", u.Output);
        Assert.Equal("hello", host.ToString());

        int interrupts = 0;
        m.Interrupts.Connect(u.Vector, _ => interrupts++);
        u.WriteRegister(UartRegisters.InterruptEnable, 1);
        u.Type("ok");
        Assert.Equal(1, interrupts);
        Assert.Equal(UartRegisters.DataReady, u.ReadRegister(UartRegisters.LineStatus) & UartRegisters.DataReady);
        Assert.Equal((uint)'o', u.ReadRegister(UartRegisters.Data));
        Assert.Equal((uint)'k', u.ReadRegister(UartRegisters.Data));
        Assert.Equal(0u, u.ReadRegister(UartRegisters.LineStatus) & UartRegisters.DataReady);
    }

    [Fact]
    public void ConsoleFaultsDropGarbleAndMarkBytes()
    {
        using var m = new EmulatedMachine(new MachineConfig { Cpus = 1, MemoryBytes = 1 << 20 });
        var u = m.Attach(new Uart());
        u.Faults.Next(DeviceFault.LostCompletion);
        u.WriteRegister(UartRegisters.Data, 'a');
        u.Faults.Next(DeviceFault.CorruptDescriptor);
        u.WriteRegister(UartRegisters.Data, 'b');
        u.WriteRegister(UartRegisters.Data, 'c');
        Assert.Equal("Bc", u.Output);
        u.Type("x");
        u.Faults.Next(DeviceFault.IoError);
        Assert.Equal((uint)'x', u.ReadRegister(UartRegisters.Data));
        Assert.Equal(UartRegisters.ParityError, u.ReadRegister(UartRegisters.LineStatus) & UartRegisters.ParityError);
    }
}

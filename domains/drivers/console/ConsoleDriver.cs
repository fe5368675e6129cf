// domains/drivers/console: the console driver on the UART (xv6's kernel/console.c and uart.c, as a
// domain). Writes go out byte by byte through the data register. Reads follow consoleread: wait for
// input, return at most one line, and ^D (0x04) at the start of a read is end of input. Waiting
// sleeps on the driver's WaitLock; the UART's receive interrupt, delivered to this driver, wakes it
// (a bounded sleep also re-polls, so a missed interrupt costs at most a few milliseconds).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Drivers.Console;

public sealed class ConsoleDriver : IConsole, IInterruptHandler
{
    private const int Data = 0x00, InterruptEnable = 0x04, LineStatus = 0x14;
    private const uint DataReady = 1;
    private const byte CtrlD = 0x04;
    private readonly MmioRegion _regs;
    private readonly WaitLock _lock = new();
    private readonly WaitLock _writing = new(); // one write at a time, so processes' lines do not interleave
    private int _pending = -1; // a byte read from the UART but not yet returned (the ^D after a line)

    public ConsoleDriver(DeviceAccess uart)
    {
        _regs = uart.Registers;
        uart.Interrupt.Register(this);
        _regs.Write32(InterruptEnable, 1);
    }

    public RpcResult<int> Write(in RRefArray<byte> data, int n)
    {
        if (n < 0 || n > data.Length) return -1;
        _writing.Acquire();
        try
        {
            for (int i = 0; i < n; i++) _regs.Write32(Data, data[i]);
        }
        finally { _writing.Release(); }
        return n;
    }

    public RpcResult<RRef<IoVec>> Read(RRef<IoVec> io)
    {
        var v = io.Value;
        int want = Math.Min(v.Count, v.Data.Length), got = 0;
        while (got < want)
        {
            int c = NextByte(wait: got == 0);
            if (c < 0) break;               // a line is under way and no more input yet: return what we have
            if (c == CtrlD)
            {
                if (got > 0) _pending = c;  // end the line here; the next read sees end of input
                break;
            }
            v.Data[got++] = (byte)c;
            if (c == '\n') break;
        }
        v.Count = got;
        io.Value = v;
        return io;
    }

    /// <summary>The next input byte; waits for one if <paramref name="wait"/>, else -1 when none is there.</summary>
    private int NextByte(bool wait)
    {
        if (_pending >= 0)
        {
            int p = _pending;
            _pending = -1;
            return p;
        }
        _lock.Acquire();
        try
        {
            while ((_regs.Read32(LineStatus) & DataReady) == 0)
            {
                if (!wait) return -1;
                _lock.Sleep(5);
            }
            return (int)(_regs.Read32(Data) & 0xff);
        }
        finally { _lock.Release(); }
    }

    /// <summary>The UART's receive interrupt: wake a reader.</summary>
    public RpcResult Interrupt(int vector)
    {
        _lock.Wakeup();
        return RpcResult.Ok;
    }
}

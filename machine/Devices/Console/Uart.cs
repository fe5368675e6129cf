// machine/Devices/Console: a UART, the machine's console. Bytes the driver transmits collect in an
// output buffer (and go to a host writer if one is attached); bytes the host types wait in a receive
// FIFO and raise the UART's interrupt when receive interrupts are enabled. Injected faults: an
// I/O error marks the next received byte with a parity error; a lost completion drops a transmitted
// byte on the floor; a corrupted descriptor garbles a transmitted byte.
using System.Text;

namespace RedLeaf.Hardware.Devices;

public sealed class Uart : Device
{
    private readonly object _gate = new();
    private readonly Queue<byte> _rx = new();
    private readonly List<byte> _tx = new();
    private uint _ier;
    private bool _parity;

    public Uart(string name = "console0", TextWriter? host = null) : base(name) => Host = host;

    /// <summary>Where transmitted text also goes (null: only the output buffer).</summary>
    public TextWriter? Host { get; set; }

    /// <summary>Where transmitted bytes also go, byte for byte (null: nowhere). Unlike <see cref="Host"/>,
    /// bytes that are not UTF-8 text pass unchanged (rv6's `-c` output goes to stdout this way).</summary>
    public Stream? HostStream { get; set; }

    /// <summary>Bytes transmitted since <paramref name="start"/> (a value of <see cref="BytesTransmitted"/>).</summary>
    public byte[] OutputSince(long start)
    {
        lock (_gate)
        {
            int from = (int)Math.Clamp(start, 0, _tx.Count);
            return _tx.GetRange(from, _tx.Count - from).ToArray();
        }
    }

    /// <summary>The host types bytes at the console (0x04, ^D, ends input for xv6's console).</summary>
    public void Type(ReadOnlySpan<byte> bytes)
    {
        bool raise;
        lock (_gate)
        {
            foreach (var b in bytes) _rx.Enqueue(b);
            raise = (_ier & 1) != 0 && _rx.Count > 0;
        }
        if (raise) RaiseInterrupt();
    }

    public override int RegisterBytes => UartRegisters.Bytes;

    /// <summary>Everything transmitted so far, as UTF-8 text.</summary>
    public string Output { get { lock (_gate) return Encoding.UTF8.GetString(_tx.ToArray()); } }

    public long BytesTransmitted { get { lock (_gate) return _tx.Count; } }

    /// <summary>The host types text at the console.</summary>
    public void Type(string text) => Type(Encoding.UTF8.GetBytes(text));

    public override uint ReadRegister(int offset)
    {
        lock (_gate)
        {
            switch (offset)
            {
                case UartRegisters.Data:
                    if (_rx.Count == 0) return 0;
                    _parity = Faults.Check() == DeviceFault.IoError;
                    return _rx.Dequeue();
                case UartRegisters.InterruptEnable: return _ier;
                case UartRegisters.LineStatus:
                    return (_rx.Count > 0 ? UartRegisters.DataReady : 0) | (_parity ? UartRegisters.ParityError : 0) | UartRegisters.TransmitterEmpty;
                default: return 0;
            }
        }
    }

    public override void WriteRegister(int offset, uint value)
    {
        bool raise = false;
        lock (_gate)
        {
            switch (offset)
            {
                case UartRegisters.Data:
                    byte b = (byte)value;
                    switch (Faults.Check())
                    {
                        case DeviceFault.LostCompletion: return;
                        case DeviceFault.CorruptDescriptor: b ^= 0x20; break;
                    }
                    _tx.Add(b);
                    Host?.Write((char)b);
                    HostStream?.WriteByte(b);
                    break;
                case UartRegisters.InterruptEnable:
                    _ier = value & 1;
                    raise = _ier != 0 && _rx.Count > 0;
                    break;
            }
        }
        if (raise) RaiseInterrupt();
    }

    public override void Reset()
    {
        lock (_gate)
        {
            _ier = 0;
            _parity = false;
        }
    }
}

// machine/Devices/Console: a UART, the machine's console. Bytes the driver transmits collect in an
// output buffer (and go to a host writer if one is attached); bytes the host types wait in a receive
// FIFO and raise the UART's interrupt when receive interrupts are enabled. Injected faults: an
// I/O error marks the next received byte with a parity error; a lost completion drops a transmitted
// byte on the floor; a corrupted descriptor garbles a transmitted byte.
// The output buffer is a ring of at most KeepBytes (1 MiB by default): a program may print without end, and
// what is kept for views (a run's output, a notebook's shell view) holds its last KeepBytes, preceded by a
// line saying how many bytes were dropped before them. A host writer or stream attached still sees every byte.
using System.Text;

namespace RedLeaf.Hardware.Devices;

public sealed class Uart : Device
{
    private readonly object _gate = new();
    private readonly Queue<byte> _rx = new();
    private byte[] _tx = new byte[4096]; // a ring: the last _held bytes transmitted, the oldest at _first
    private int _first, _held;
    private long _total;                  // bytes transmitted since the UART was made
    private uint _ier;
    private bool _parity;

    /// <summary>How much output a UART keeps by default: 1 MiB.</summary>
    public const int DefaultKeepBytes = 1 << 20;

    public Uart(string name = "console0", TextWriter? host = null, int keepBytes = DefaultKeepBytes) : base(name)
    {
        if (keepBytes < 1) throw new ArgumentOutOfRangeException(nameof(keepBytes), "a UART keeps at least one byte of output");
        Host = host;
        KeepBytes = keepBytes;
    }

    /// <summary>The most output kept for <see cref="Output"/> and <see cref="OutputSince"/>: older bytes are dropped.</summary>
    public int KeepBytes { get; }

    /// <summary>Where transmitted text also goes (null: only the output buffer).</summary>
    public TextWriter? Host { get; set; }

    /// <summary>Where transmitted bytes also go, byte for byte (null: nowhere). Unlike <see cref="Host"/>,
    /// bytes that are not UTF-8 text pass unchanged (rv6's `-c` output goes to stdout this way).</summary>
    public Stream? HostStream { get; set; }

    /// <summary>Bytes transmitted since <paramref name="start"/> (a value of <see cref="BytesTransmitted"/>): those still
    /// kept, after a line "[console: N bytes dropped ...]" if some of them were already dropped.</summary>
    public byte[] OutputSince(long start)
    {
        lock (_gate)
        {
            long oldest = _total - _held;
            long from = Math.Clamp(start, 0, _total);
            long dropped = Math.Max(0, oldest - from);
            from = Math.Max(from, oldest);
            var marker = dropped == 0 ? Array.Empty<byte>()
                : Encoding.ASCII.GetBytes($"[console: {dropped} bytes dropped; the last {KeepBytes} are kept]\n");
            int n = (int)(_total - from);
            var result = new byte[marker.Length + n];
            marker.CopyTo(result, 0);
            int at = (_first + (int)(from - oldest)) % _tx.Length;
            int part = Math.Min(n, _tx.Length - at);
            _tx.AsSpan(at, part).CopyTo(result.AsSpan(marker.Length));
            _tx.AsSpan(0, n - part).CopyTo(result.AsSpan(marker.Length + part));
            return result;
        }
    }

    /// <summary>Keeps a transmitted byte: the ring grows (doubling) up to KeepBytes, then the oldest byte goes.</summary>
    private void Keep(byte b)
    {
        _total++;
        if (_held == _tx.Length && _tx.Length < KeepBytes)
        {
            var bigger = new byte[Math.Min((long)_tx.Length * 2, KeepBytes)];
            int part = _tx.Length - _first;
            _tx.AsSpan(_first, part).CopyTo(bigger);
            _tx.AsSpan(0, _first).CopyTo(bigger.AsSpan(part));
            _tx = bigger;
            _first = 0;
        }
        if (_held < _tx.Length) _tx[(_first + _held++) % _tx.Length] = b;
        else
        {
            _tx[_first] = b;
            _first = (_first + 1) % _tx.Length;
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

    /// <summary>Everything transmitted so far that is still kept (see KeepBytes), as UTF-8 text.</summary>
    public string Output => Encoding.UTF8.GetString(OutputSince(0));

    /// <summary>Bytes transmitted since the UART was made, kept or not.</summary>
    public long BytesTransmitted { get { lock (_gate) return _total; } }

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
                    Keep(b);
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

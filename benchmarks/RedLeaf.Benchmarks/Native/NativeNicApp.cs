// benchmarks/RedLeaf.Benchmarks/Native: the managed half of the C applications on the NIC model (NativeMaglev,
// NativeKv; their C side is maglev.c and kv.c over nic_driver.h). It sets up what the C driver drives: a machine
// with no kernel on it, the ixgbe-like NIC attached to it, buffers in the machine's physical memory, and the
// NIC's registers reached from C through two function pointers back into the device (the emulated MMIO: the C
// code's calls run on the thread that set Driving, which names the device). It owns the C object and frees it.
using System.Runtime.InteropServices;
using RedLeaf.Hardware;
using RedLeaf.Hardware.Devices;

namespace RedLeaf.Benchmarks.Native;

public abstract unsafe class NativeNicApp : IDisposable
{
    [ThreadStatic] private static IxgbeDevice? t_device; // the device the C code on this thread is driving

    private readonly Machine _machine;
    private readonly delegate* unmanaged<IntPtr, void> _free;
    private readonly string _constructor;
    private IntPtr _app;

    /// <summary>A machine with room for <paramref name="batch"/> + <paramref name="receiveBuffers"/> 2048-byte buffers;
    /// the C object will be made by <paramref name="constructor"/> (named in errors) and freed by <paramref name="free"/>.</summary>
    protected NativeNicApp(int batch, int receiveBuffers, string constructor, delegate* unmanaged<IntPtr, void> free)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "a batch holds at least one frame");
        _constructor = constructor;
        _free = free;
        Buffers = batch + receiveBuffers;
        _machine = new Machine(new MachineConfig { Cpus = 1, MemoryBytes = ((long)Buffers * 2048 + (1 << 20)) & ~4095L });
    }

    public IxgbeDevice Device { get; private set; } = null!;

    /// <summary>Buffers the C side may use, at Memory (the start of physical memory).</summary>
    protected int Buffers { get; }
    protected byte* Memory => _machine.Memory.Base;
    protected static delegate* unmanaged<int, uint, void> WriteRegisterEntry => &WriteRegister;
    protected static delegate* unmanaged<int, uint> ReadRegisterEntry => &ReadRegister;

    /// <summary>Attaches the NIC, its wire <paramref name="wire"/>, with rings of <paramref name="ringEntries"/> descriptors.</summary>
    protected IxgbeDevice Attach(TrafficGenerator wire, int ringEntries) => Device = _machine.Attach(new IxgbeDevice("nic0", wire, ringEntries));

    /// <summary>Keeps the C object the constructor returned; null means it ran out of memory.</summary>
    protected void Adopt(IntPtr app) => _app = app != IntPtr.Zero ? app : throw new OutOfMemoryException($"{_constructor} failed: out of memory");

    /// <summary>The C object; throws once disposed.</summary>
    protected IntPtr Live => _app != IntPtr.Zero ? _app : throw new ObjectDisposedException(GetType().Name);

    /// <summary>Names this NIC as the one the C code on this thread drives, until the scope is disposed.</summary>
    protected DeviceScope Driving()
    {
        t_device = Device;
        return default;
    }

    protected readonly struct DeviceScope : IDisposable
    {
        public void Dispose() => t_device = null;
    }

    [UnmanagedCallersOnly]
    private static void WriteRegister(int offset, uint value) => t_device!.WriteRegister(offset, value);

    [UnmanagedCallersOnly]
    private static uint ReadRegister(int offset) => t_device!.ReadRegister(offset);

    public void Dispose()
    {
        if (_app != IntPtr.Zero) _free(_app);
        _app = IntPtr.Zero;
        _machine.Dispose();
    }
}

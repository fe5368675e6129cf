// machine/Devices/Interrupts: the machine's interrupt controller. Devices raise a vector; the OS
// connects one handler per vector (the kernel's, which calls the driver domain registered for it).
// A raise is delivered at once, on the raising thread (devices work on the thread that touched them),
// unless the vector is masked or its handler is already running: then it stays pending (latched, as an
// edge-triggered line coalesces) and is delivered when the handler returns or the vector is unmasked.
// A handler that throws is the OS's problem, not the machine's: the controller counts it and goes on.
namespace RedLeaf.Hardware.Devices;

public sealed class InterruptController
{
    public const int VectorCount = 64;

    private readonly Action<int>?[] _handlers = new Action<int>?[VectorCount];
    private readonly bool[] _masked = new bool[VectorCount];
    private readonly int[] _inService = new int[VectorCount];
    private readonly long[] _pending = new long[VectorCount];
    private readonly long[] _raised = new long[VectorCount];
    private readonly long[] _delivered = new long[VectorCount];
    private readonly long[] _handlerFaults = new long[VectorCount];
    private int _nextVector = 32; // below 32: reserved, as on x86

    /// <summary>Hands out the next free vector (the machine does, when a device is attached).</summary>
    internal int AllocateVector()
    {
        int v = Interlocked.Increment(ref _nextVector) - 1;
        if (v >= VectorCount) throw new InvalidOperationException($"the interrupt controller has no free vector left ({VectorCount} in all)");
        return v;
    }

    /// <summary>Connects the handler for a vector (one per vector); raises latched while none was connected are delivered now.</summary>
    public void Connect(int vector, Action<int> handler)
    {
        Check(vector);
        ArgumentNullException.ThrowIfNull(handler);
        if (Interlocked.CompareExchange(ref _handlers[vector], handler, null) is not null)
            throw new InvalidOperationException($"interrupt vector {vector} already has a handler");
        DeliverPending(vector);
    }

    public void Disconnect(int vector)
    {
        Check(vector);
        Volatile.Write(ref _handlers[vector], null);
    }

    public bool IsConnected(int vector) => Volatile.Read(ref _handlers[Check(vector)]) is not null;

    /// <summary>Masks or unmasks a vector; unmasking delivers what was latched meanwhile.</summary>
    public void Mask(int vector, bool masked)
    {
        Volatile.Write(ref _masked[Check(vector)], masked);
        if (!masked) DeliverPending(vector);
    }

    public bool IsMasked(int vector) => Volatile.Read(ref _masked[Check(vector)]);

    /// <summary>A device signals its vector.</summary>
    public void Raise(int vector)
    {
        Check(vector);
        Interlocked.Increment(ref _raised[vector]);
        Interlocked.Increment(ref _pending[vector]);
        DeliverPending(vector);
    }

    /// <summary>Raises latched and not yet delivered on this vector.</summary>
    public long Pending(int vector) => Volatile.Read(ref _pending[Check(vector)]);
    public long Raised(int vector) => Volatile.Read(ref _raised[Check(vector)]);
    public long Delivered(int vector) => Volatile.Read(ref _delivered[Check(vector)]);
    /// <summary>Deliveries whose handler threw (the handler's fault; the machine carries on).</summary>
    public long HandlerFaults(int vector) => Volatile.Read(ref _handlerFaults[Check(vector)]);

    private void DeliverPending(int vector)
    {
        while (Volatile.Read(ref _pending[vector]) > 0 && !Volatile.Read(ref _masked[vector]))
        {
            var handler = Volatile.Read(ref _handlers[vector]);
            if (handler is null) return;
            if (Interlocked.CompareExchange(ref _inService[vector], 1, 0) != 0) return; // the running handler will see it
            try
            {
                if (Interlocked.Exchange(ref _pending[vector], 0) == 0) continue; // another thread took it
                Interlocked.Increment(ref _delivered[vector]);
                try { handler(vector); }
                catch (Exception) { Interlocked.Increment(ref _handlerFaults[vector]); }
            }
            finally { Volatile.Write(ref _inService[vector], 0); }
        }
    }

    private static int Check(int vector) => (uint)vector < VectorCount ? vector
        : throw new ArgumentOutOfRangeException(nameof(vector), vector, $"interrupt vectors are 0..{VectorCount - 1}");
}

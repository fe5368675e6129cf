// os/abi/Devices: a descriptor ring as a driver domain holds it: descriptors it reads and writes by
// (slot, offset), bounds-checked, and buffers it hands the device by moving them, never by address.
// Attach moves an RRefArray<byte> the driver owns to the device (the kernel owns it while the device
// may write it) and writes the descriptor's buffer field itself; Detach moves it back and clears the
// field. Lend lets the device read a buffer the driver may only read (a borrowed write request);
// Release ends that. The buffer field cannot be written any other way, so a driver can make the device
// touch its own buffers and nothing else. When the driver dies, the kernel resets the device and frees
// (or gives back) whatever the ring still holds.
using System.Runtime.CompilerServices;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public sealed unsafe class DmaRing : Capability
{
    private readonly string _device;
    private readonly byte* _ring;
    private readonly int _bufferField;
    private readonly int _fieldStart, _fieldEnd; // [start, end) of the buffer field; empty if none
    private readonly DomainCell* _deviceCell;
    private readonly byte* _memoryBase;
    private readonly ulong[] _held;    // handle per slot while the device holds a buffer
    private readonly int[] _lentFrom;  // for lent buffers: the borrower to restore; -1 for moved ones

    /// <summary>The largest buffer one descriptor can name (the buffer field keeps 16 bits of length).</summary>
    public const int MaxBufferBytes = ushort.MaxValue;

    internal DmaRing(string device, string name, byte* ring, int count, int stride, int bufferField,
        DomainCell* holder, DomainCell* deviceCell, byte* memoryBase) : base(holder)
    {
        _device = device;
        Name = name;
        _ring = ring;
        Count = count;
        Stride = stride;
        _bufferField = bufferField;
        _fieldStart = bufferField < 0 ? int.MaxValue : bufferField;
        _fieldEnd = bufferField < 0 ? int.MinValue : bufferField + 8;
        _deviceCell = deviceCell;
        _memoryBase = memoryBase;
        _held = new ulong[count];
        _lentFrom = new int[count];
    }

    public string Name { get; }
    /// <summary>Descriptors in the ring.</summary>
    public int Count { get; }
    /// <summary>Bytes per descriptor.</summary>
    public int Stride { get; }

    public override string Describe() => $"ring {Name} of {_device}, {Count} x {Stride} bytes";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Read8(int slot, int offset) => *At(slot, offset, 1);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort Read16(int slot, int offset) => *(ushort*)At(slot, offset, 2);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Read32(int slot, int offset) => *(uint*)At(slot, offset, 4);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Read64(int slot, int offset) => *(ulong*)At(slot, offset, 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write8(int slot, int offset, byte value) => *At(slot, offset, 1) = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write16(int slot, int offset, ushort value) => *(ushort*)At(slot, offset, 2) = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write32(int slot, int offset, uint value) => *(uint*)At(slot, offset, 4) = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write64(int slot, int offset, ulong value) => *(ulong*)At(slot, offset, 8) = value;

    /// <summary>True while the device holds a buffer in <paramref name="slot"/>.</summary>
    public bool Holds(int slot) => _held[CheckSlot(slot)] != 0;

    /// <summary>Moves <paramref name="buffer"/> to the device and names it in the slot's buffer field.</summary>
    public void Attach(int slot, RRefArray<byte> buffer)
    {
        var e = Prepare(slot, buffer.Handle, lend: false);
        HeapAccess.Move(buffer.Handle, CurrentDomain.Cell, _deviceCell);
        _held[slot] = buffer.Handle;
        _lentFrom[slot] = -1;
        Publish(slot, e);
    }

    /// <summary>Lends <paramref name="buffer"/> (owned or borrowed by the driver) to the device, read-only.</summary>
    public void Lend(int slot, in RRefArray<byte> buffer)
    {
        var e = Prepare(slot, buffer.Handle, lend: true);
        _lentFrom[slot] = HeapAccess.Borrow(buffer.Handle, CurrentDomain.Cell, _deviceCell);
        _held[slot] = buffer.Handle;
        Publish(slot, e);
    }

    /// <summary>Moves the buffer in <paramref name="slot"/> back to the driver and clears the buffer field.</summary>
    public RRefArray<byte> Detach(int slot)
    {
        ulong h = _held[CheckSlot(slot)];
        CheckLive();
        if (h == 0) Violation($"detach from slot {slot}, which holds no buffer");
        if (_lentFrom[slot] >= 0) Violation($"detach from slot {slot}, whose buffer is lent (release it)");
        Unpublish(slot);
        HeapAccess.Move(h, _deviceCell, CurrentDomain.Cell);
        return new RRefArray<byte>(h);
    }

    /// <summary>Ends the device's borrow of the buffer lent in <paramref name="slot"/>.</summary>
    public void Release(int slot)
    {
        ulong h = _held[CheckSlot(slot)];
        CheckLive();
        if (h == 0 || _lentFrom[slot] < 0) Violation($"release of slot {slot}, which holds no lent buffer");
        Unpublish(slot);
        HeapAccess.ReturnLend(h, _deviceCell, _deviceCell, _lentFrom[slot]);
    }

    private HeapEntry* Prepare(int slot, ulong handle, bool lend)
    {
        CheckSlot(slot);
        CheckLive();
        if (_bufferField < 0) Violation($"ring {Name} has no buffer field");
        if (_held[slot] != 0) Violation($"slot {slot} already holds a buffer (detach or release it first)");
        var e = lend ? HeapAccess.ForRead(handle, TypeIds<byte>.Id, HeapKind.Array) : HeapAccess.ForWrite(handle, TypeIds<byte>.Id, HeapKind.Array);
        if (e->Length > MaxBufferBytes) Violation($"a buffer of {e->Length} bytes is larger than one descriptor can name ({MaxBufferBytes})");
        return e;
    }

    private void Publish(int slot, HeapEntry* e)
    {
        // The buffer field: physical address in the low 48 bits, capacity above (machine/Devices/Dma/DmaBuffer.cs).
        ulong field = ((ulong)(uint)e->Length << 48) | (ulong)(e->Data - _memoryBase);
        Volatile.Write(ref *(ulong*)(_ring + slot * Stride + _bufferField), field);
    }

    private void Unpublish(int slot)
    {
        Volatile.Write(ref *(ulong*)(_ring + slot * Stride + _bufferField), 0UL);
        _held[slot] = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte* At(int slot, int offset, int size)
    {
        if ((uint)slot >= (uint)Count || (uint)offset > (uint)(Stride - size)) OutOfRange(slot, offset, size);
        if (offset < _fieldEnd && offset + size > _fieldStart) BufferField(offset);
        CheckLive();
        return _ring + slot * Stride + offset;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CheckSlot(int slot)
    {
        if ((uint)slot >= (uint)Count) OutOfRange(slot, 0, 0);
        return slot;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OutOfRange(int slot, int offset, int size) =>
        Violation((uint)slot >= (uint)Count
            ? $"slot {slot} is outside the ring (0..{Count - 1})"
            : $"{size} bytes at offset {offset} are outside a {Stride}-byte descriptor");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void BufferField(int offset) =>
        Violation($"offset {offset} touches the buffer field (bytes {_bufferField}..{_bufferField + 7}), which only Attach and Lend write");

    /// <summary>Kernel, at revocation (the device is already reset): frees moved buffers, returns lent ones.</summary>
    internal void Revoke()
    {
        for (int i = 0; i < Count; i++)
        {
            ulong h = _held[i];
            if (h == 0) continue;
            _held[i] = 0;
            if (_lentFrom[i] >= 0) HeapAccess.ReturnLend(h, _deviceCell, _deviceCell, _lentFrom[i]);
            else HeapAccess.Discard(h, _deviceCell);
        }
    }

    /// <summary>Buffers the device holds now (tests and the kernel's report).</summary>
    internal int HeldCount => _held.Count(h => h != 0);
}

// os/abi/Devices: a descriptor ring as a driver domain holds it: descriptors it reads and writes by
// (slot, offset), bounds-checked, and buffers it hands the device by moving them, never by address.
// Attach moves an RRefArray<byte> the driver owns to the device (the kernel owns it while the device
// may write it) and writes the descriptor's buffer field itself; Detach moves it back and clears the
// field. Lend lets the device read a buffer the driver may only read (a borrowed write request);
// Release ends that. The buffer field cannot be written any other way, so a driver can make the device
// touch its own buffers and nothing else. When the driver dies, the kernel resets the device and frees
// (or gives back) whatever the ring still holds.
// Attach and Detach run once per packet per ring on a NIC driver's hot path: their refusals are built
// in methods of their own (no message formatting in the hot bodies), the slot's state is one array
// element, and Attach reads the running domain once (the owner check tells whether it is the holder).
// A holder with two threads (DomainCell.Shared) changes slots under the ring's lock, and waits out a change its
// first thread began before it turned Shared (EnterAlone, AwaitAlone): two threads cannot both find a slot free
// and lose a buffer in it (red team, 2026-12-07). A single-threaded driver pays two plain stores and a compare.
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
    private readonly Held[] _held;     // per slot: the buffer the device holds, if any; its lock, for a Shared holder
    private int _alone;                // 1 while a single-threaded holder changes a slot without the lock

    /// <summary>A slot change by a holder that has had one thread so far goes ahead without the lock, announced in
    /// _alone; false (announcement withdrawn) if the holder is Shared: take the lock. The flag is read after the
    /// announcement, so the settling barrier that made the holder Shared (Accesses.Settle) leaves two cases: this
    /// thread sees the flag set, or its announcement is visible to the thread that set it (AwaitAlone).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool EnterAlone()
    {
        if (Holder->Shared != 0) return false; // settled: never writes the flag (only the first thread ever does)
        Volatile.Write(ref _alone, 1);
        if (Holder->Shared == 0) return true;
        Volatile.Write(ref _alone, 0);
        return false;
    }

    /// <summary>Under the lock: waits out a change begun by the holder's first thread before it turned Shared.</summary>
    private void AwaitAlone()
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref _alone) != 0) spin.SpinOnce();
    }

    private struct Held
    {
        internal ulong Handle;   // 0: the slot holds no buffer
        internal int LentFrom;   // for lent buffers: the borrower to restore; -1 for moved ones
    }

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
        _held = new Held[count];
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
    public bool Holds(int slot) => _held[CheckSlot(slot)].Handle != 0;

    /// <summary>Moves <paramref name="buffer"/> to the device and names it in the slot's buffer field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // per packet in drivers: lets the JIT share work with the loop around it
    public void Attach(int slot, RRefArray<byte> buffer)
    {
        if (!EnterAlone()) { lock (_held) { AwaitAlone(); AttachOne(slot, buffer); } return; }
        try { AttachOne(slot, buffer); }
        finally { Volatile.Write(ref _alone, 0); }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AttachOne(int slot, RRefArray<byte> buffer)
    {
        ulong h = buffer.Handle;
        var e = Prepare(slot, h, lend: false);
        HeapAccess.Move(h, Holder, _deviceCell);
        ref var held = ref _held[slot];
        held.Handle = h;
        held.LentFrom = -1;
        Publish(slot, e);
    }

    /// <summary>Lends <paramref name="buffer"/> (owned or borrowed by the driver) to the device, read-only.</summary>
    public void Lend(int slot, in RRefArray<byte> buffer)
    {
        if (!EnterAlone()) { lock (_held) { AwaitAlone(); LendOne(slot, in buffer); } return; }
        try { LendOne(slot, in buffer); }
        finally { Volatile.Write(ref _alone, 0); }
    }

    private void LendOne(int slot, in RRefArray<byte> buffer)
    {
        var e = Prepare(slot, buffer.Handle, lend: true);
        ref var held = ref _held[slot];
        held.LentFrom = HeapAccess.Borrow(buffer.Handle, CurrentDomain.Cell, _deviceCell);
        held.Handle = buffer.Handle;
        Publish(slot, e);
    }

    /// <summary>Moves the buffer in <paramref name="slot"/> back to the driver and clears the buffer field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // per packet in drivers: lets the JIT share work with the loop around it
    public RRefArray<byte> Detach(int slot)
    {
        if (!EnterAlone()) { lock (_held) { AwaitAlone(); return DetachOne(slot); } }
        try { return DetachOne(slot); }
        finally { Volatile.Write(ref _alone, 0); }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private RRefArray<byte> DetachOne(int slot)
    {
        ref var held = ref _held[CheckSlot(slot)];
        CheckLive();
        ulong h = held.Handle;
        if (h == 0 || held.LentFrom >= 0) DetachRefused(slot, h);
        Unpublish(slot, ref held);
        HeapAccess.Move(h, _deviceCell, Holder); // back to the holder: the running domain (see Prepare)
        return new RRefArray<byte>(h);
    }

    /// <summary>Ends the device's borrow of the buffer lent in <paramref name="slot"/>.</summary>
    public void Release(int slot)
    {
        if (!EnterAlone()) { lock (_held) { AwaitAlone(); ReleaseOne(slot); } return; }
        try { ReleaseOne(slot); }
        finally { Volatile.Write(ref _alone, 0); }
    }

    private void ReleaseOne(int slot)
    {
        ref var held = ref _held[CheckSlot(slot)];
        CheckLive();
        ulong h = held.Handle;
        if (h == 0 || held.LentFrom < 0) Violation($"release of slot {slot}, which holds no lent buffer");
        int lentFrom = held.LentFrom;
        Unpublish(slot, ref held);
        HeapAccess.ReturnLend(h, _deviceCell, _deviceCell, lentFrom);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private HeapEntry* Prepare(int slot, ulong handle, bool lend)
    {
        CheckSlot(slot);
        CheckLive();
        if (_bufferField < 0) NoBufferField();
        if (_held[slot].Handle != 0) SlotTaken(slot);
        // Attach checks the buffer against the holder, not the thread's running domain: only the holder's code
        // can reach this object (capabilities never cross an interface), so the two are the same domain, and
        // the thread-static read is saved on a per-packet path.
        var e = lend ? HeapAccess.ForRead(handle, TypeIds<byte>.Id, HeapKind.Array) : HeapAccess.ForWrite(Holder, handle, TypeIds<byte>.Id, HeapKind.Array);
        HeapAccess.Done(); // the buffer is moved or lent to the device next, by this same thread
        if (e->Length > MaxBufferBytes) TooLarge(e->Length);
        return e;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Publish(int slot, HeapEntry* e)
    {
        // The buffer field: physical address in the low 48 bits, capacity above (machine/Devices/Dma/DmaBuffer.cs).
        ulong field = ((ulong)(uint)e->Length << 48) | (ulong)(e->Data - _memoryBase);
        Volatile.Write(ref *(ulong*)(_ring + slot * Stride + _bufferField), field);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Unpublish(int slot, ref Held held)
    {
        Volatile.Write(ref *(ulong*)(_ring + slot * Stride + _bufferField), 0UL);
        held.Handle = 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void NoBufferField() => Violation($"ring {Name} has no buffer field");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SlotTaken(int slot) => Violation($"slot {slot} already holds a buffer (detach or release it first)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void TooLarge(int length) => Violation($"a buffer of {length} bytes is larger than one descriptor can name ({MaxBufferBytes})");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void DetachRefused(int slot, ulong handle) =>
        Violation(handle == 0 ? $"detach from slot {slot}, which holds no buffer" : $"detach from slot {slot}, whose buffer is lent (release it)");

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
        lock (_held) // the holder is dead: its threads make no more changes once they meet a check
        {
            bool lent = false;
            foreach (var h in _held) lent |= h.Handle != 0 && h.LentFrom >= 0;
            if (!lent)
            {
                RevokeAll();
                return;
            }
            // Ending a lent buffer's device lend here races the end of the lend of the call that lent it to the driver,
            // which takes no lock while no domain is Shared: both take the lock meanwhile (Accesses.LockReturns).
            var kernel = _deviceCell->Host;
            Accesses.LockReturns(kernel);
            try { RevokeAll(); }
            finally { Accesses.UnlockReturns(kernel); }
        }
    }

    private void RevokeAll()
    {
        for (int i = 0; i < Count; i++)
        {
            ref var held = ref _held[i];
            ulong h = held.Handle;
            if (h == 0) continue;
            held.Handle = 0;
            if (held.LentFrom >= 0) HeapAccess.ReturnLend(h, _deviceCell, _deviceCell, held.LentFrom);
            else HeapAccess.Discard(h, _deviceCell);
        }
    }

    /// <summary>Buffers the device holds now (tests and the kernel's report).</summary>
    internal int HeldCount => _held.Count(h => h.Handle != 0);
}

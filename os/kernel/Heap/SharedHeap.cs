// os/kernel/Heap: the shared heap, RedLeaf's exchange heap. It lives in the machine's physical memory
// (native, outside the GC heap): first a registry of allocation slots, then the objects, handed out
// by power-of-two size classes. Every allocation records its owner domain, borrow count, type and
// size, so the kernel can walk what a crashed domain owned and drop it, children first, and the
// notebooks can draw the whole heap as an ownership graph.
//
// Allocation and free take a lock (they are not on the call path); moves and borrows are plain
// writes by the owning thread, done in HeapAccess (os/abi) and MoveChildren below.
// No allocator metadata lives in object memory: the free lists are managed stacks of block addresses
// here, and the slot free list is in the registry, which no RRef reaches. A domain that reads or writes
// a block through a stale handle (a race it lost) can neither learn an address nor steer an allocation.
using System.Runtime.InteropServices;
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;
using RedLeaf.Hardware;

namespace RedLeaf.Os.Heap;

public sealed unsafe partial class SharedHeap
{
    private const int MinBlock = 16;
    private const int Classes = 40;
    private readonly object _gate = new();
    private readonly PhysicalMemory _memory;
    private readonly Table _table;
    private readonly int _slots;
    private readonly Dictionary<int, long> _allocatedBy = new(); // live bytes by allocating domain (limits)
    private readonly Stack<nint>[] _freeBlocks = NewFreeLists();
    private byte* _bump;
    private readonly byte* _end;
    private int _freeSlot;     // head of the free slot list (0 = none)
    private int _highWater = 1; // slots below this have been used at least once
    private long _liveBytes;
    private int _liveObjects;
    private long _bytesAllocated;   // ever handed out, freed or not: a meter of what allocation has cost
    private long _allocations;

    /// <summary>Builds the heap over <paramref name="memory"/> with room for <paramref name="slots"/> live allocations.</summary>
    public SharedHeap(PhysicalMemory memory, int slots = 1 << 16)
    {
        _memory = memory;
        _slots = slots;
        long tableBytes = ((long)slots + 1) * sizeof(HeapEntry); // slot 0 is never used
        if (slots < 1 || tableBytes + 4096 > memory.Size)
            throw new ArgumentOutOfRangeException(nameof(slots), slots, $"{slots} slots do not fit in {memory.Size} bytes of physical memory");
        memory.Claim(this);
        NativeMemory.Clear(memory.Base, (nuint)tableBytes); // a previous kernel on this machine may have left slots behind
        _table = new Table(this) { Entries = (HeapEntry*)memory.Base, Capacity = (uint)slots + 1 };
        _bump = AlignUp(memory.Base + tableBytes, 64);
        ObjectsStart = _bump - memory.Base;
        _end = memory.Base + memory.Size;
    }

    internal HeapTable AbiView => _table;

    private static Stack<nint>[] NewFreeLists()
    {
        var lists = new Stack<nint>[Classes];
        for (int i = 0; i < Classes; i++) lists[i] = new Stack<nint>();
        return lists;
    }

    /// <summary>Physical address of the first object (the registry lies below it).</summary>
    public long ObjectsStart { get; private set; }

    /// <summary>Invalidates every handle and gives the physical memory back (kernel shutdown).</summary>
    internal void Shutdown()
    {
        lock (_gate)
        {
            _table.Capacity = 1;
            _highWater = 1; // walks, snapshots and counts see nothing from now on
            _liveObjects = 0;
            _liveBytes = 0;
            _freeSlot = 0;
            _allocatedBy.Clear();
            Interlocked.Add(ref HeapTable.Orphans, -_orphans.Count); // they go with the heap
            _orphans.Clear();
            foreach (var list in _freeBlocks) list.Clear();
            _bump = _end; // and nothing more is carved out of memory another kernel may now use
            _memory.Release(this);
        }
    }

    public override string ToString() => $"the shared heap at 0x{_memory.Address:x}";

    /// <summary>How many objects can be live at once.</summary>
    public int Capacity => _slots;
    public int LiveObjects { get { lock (_gate) return _liveObjects; } }
    public long LiveBytes { get { lock (_gate) return _liveBytes; } }
    /// <summary>Bytes of objects allocated since the heap was built, freed ones included (as LiveBytes counts them):
    /// read before and after some calls, what they allocated on the shared heap, a copy's cost made visible.</summary>
    public long BytesAllocated { get { lock (_gate) return _bytesAllocated; } }
    /// <summary>Objects allocated since the heap was built, freed ones included.</summary>
    public long Allocations { get { lock (_gate) return _allocations; } }
    /// <summary>Bytes of physical memory the heap has carved out so far (high-water mark).</summary>
    public long PhysicalBytesUsed => _bump - _memory.Base;
    public PhysicalMemory Memory => _memory;

    /// <summary>True if <paramref name="address"/> lies in the heap's physical memory (used by tests).</summary>
    public bool Contains(void* address) => _memory.Contains(address);

    /// <summary>Where an RRef's object lives (host-side diagnostics; no ownership check).</summary>
    public nint AddressOf<T>(RRef<T> r) where T : unmanaged => (nint)Raw(r.Handle)->Data;

    // A generation is this heap's tag (12 bits) above a per-slot reuse counter (20 bits), so a handle
    // from another kernel in the process never matches a slot here, and a stale handle matches again
    // only after its slot was reused a million times.
    private static int _heapSerial;
    private readonly int _tag = (Interlocked.Increment(ref _heapSerial) % 4095 + 1) << 20;

    private int NextGeneration(int g) => _tag | ((g & 0xFFFFF) % 0xFFFFF + 1);

    private static byte* AlignUp(byte* p, int a) => (byte*)(((nint)p + (a - 1)) & ~(nint)(a - 1));

    private static int ClassOf(long bytes)
    {
        int c = 0;
        long size = MinBlock;
        while (size < bytes) { size <<= 1; c++; }
        return c;
    }

    private ulong Allocate(DomainToken owner, int typeId, int elementSize, int length, HeapKind kind)
    {
        long bytes = (long)elementSize * length + (kind == HeapKind.Deque ? RRefDeque<byte>.HeaderBytes : 0);
        var layout = TypeLayout.Of(typeId);
        if (bytes > _memory.Size)
            HeapAccess.Fault(owner.Cell, $"shared heap out of physical memory: {bytes} bytes of {TypeRegistry.NameOf(typeId)} requested, more than the machine's {_memory.Size} bytes");
        lock (_gate)
        {
            // A domain stopped (faulted or killed) gets nothing more: its other threads run on until their next
            // check, and an object allocated after the crash cleanup scanned the registry would belong to nobody.
            if (owner.Cell->IsKernel == 0 && owner.Cell->State != DomainState.Running)
                throw new DomainStoppedException($"domain {owner.Id} has been stopped and cannot allocate");
            long mine = _allocatedBy.GetValueOrDefault(owner.Id);
            if (mine + bytes > owner.Cell->HeapQuota)
                HeapAccess.Fault(owner.Cell, $"shared heap limit: domain {owner.Id} has {mine} bytes live and asked for {bytes} more; its limit is {owner.Cell->HeapQuota} bytes");
            // Take the memory first, then the slot: a refusal must leave both as they were.
            int cls = ClassOf(Math.Max(bytes, 1));
            byte* block;
            if (_freeBlocks[cls].TryPop(out var reused)) block = (byte*)reused;
            else
            {
                long blockBytes = (long)MinBlock << cls;
                if (blockBytes > _end - _bump)
                    HeapAccess.Fault(owner.Cell, $"shared heap out of physical memory: {bytes} bytes of {TypeRegistry.NameOf(typeId)} requested, {(long)(_end - _bump)} left");
                block = _bump;
                _bump += blockBytes;
            }

            int index = _freeSlot;
            if (index != 0) _freeSlot = _table.Entries[index].NextFree;
            else if (_highWater < _table.Capacity) index = _highWater++;
            else
            {
                _freeBlocks[cls].Push((nint)block);
                HeapAccess.Fault(owner.Cell, $"shared heap full: all {Capacity} allocation slots are in use");
            }
            NativeMemory.Clear(block, (nuint)Math.Max(bytes, MinBlock));

            HeapEntry* e = _table.Entries + index;
            e->Data = block;
            e->Generation = NextGeneration(e->Generation);
            e->Owner = owner.Id;
            e->Borrows = 0;
            e->Borrower = 0;
            e->TypeId = typeId;
            e->ElementSize = elementSize;
            e->Length = length;
            e->Kind = kind;
            // A deque's leaves are owned through it (HeapAccess.Contain): it walks on moves only once it holds more.
            e->Flags = !layout.HasChildren ? (byte)0 : kind == HeapKind.Deque ? HeapEntry.HasChildren : (byte)(HeapEntry.HasChildren | HeapEntry.Eager);
            e->ChildAt = layout.ChildOffsets switch { [] => 0, [var only] when only < short.MaxValue => (short)(only + 1), _ => -1 };
            e->NextFree = 0;
            e->ContainerGeneration = 0;
            e->LentChildren = 0;
            e->Footprint = (int)Math.Min(int.MaxValue, (long)MinBlock << cls);
            e->Allocator = owner.Id;
            _allocatedBy[owner.Id] = mine + bytes;
            _liveObjects++;
            _liveBytes += bytes;
            _allocations++;
            _bytesAllocated += bytes;
            return HeapAccess.MakeHandle(index, e->Generation);
        }
    }

    /// <summary>Frees what <paramref name="handle"/> names if it is still <paramref name="owner"/>'s (a domain that
    /// stopped while the object was moved to it): out of the registry under the lock (the crash cleanup may take it
    /// first), then every access in flight is waited for (the sender's other threads), then the memory is freed.</summary>
    internal void DropIfOwnedBy(ulong handle, int owner)
    {
        List<nint> order;
        lock (_gate)
        {
            var e = Raw(handle);
            if (e == null || e->Owner != owner) return;
            order = Gather(e);
            foreach (var x in order) ((HeapEntry*)x)->Owner = 0;
        }
        Accesses.WaitFor(0);
        lock (_gate) FreeGathered(order, null);
    }

    /// <summary>Bytes the object itself takes (elements, plus a deque's header).</summary>
    internal static long ObjectBytes(HeapEntry* e) =>
        (long)e->ElementSize * e->Length + (e->Kind == HeapKind.Deque ? RRefDeque<byte>.HeaderBytes : 0);

    /// <summary>Returns one slot and its block to the free lists (caller holds the lock).</summary>
    private void FreeOne(HeapEntry* e, Quarantine? quarantine = null)
    {
        int cls = ClassOf(Math.Max(ObjectBytes(e), 1));
        if (quarantine is not null) quarantine.Blocks.Add(((nint)e->Data, cls));
        else _freeBlocks[cls].Push((nint)e->Data);
        _liveObjects--;
        _liveBytes -= ObjectBytes(e);
        if (_allocatedBy.TryGetValue(e->Allocator, out var had))
        {
            if (had - ObjectBytes(e) <= 0) _allocatedBy.Remove(e->Allocator);
            else _allocatedBy[e->Allocator] = had - ObjectBytes(e);
        }
        e->Owner = 0;
        e->Borrows = 0;
        e->Borrower = 0;
        // Data keeps pointing at the block (quarantined, free or reused: heap memory either way, never null):
        // a thread whose check passed just before a crash cleanup freed the object (a borrower reading what
        // the dead domain lent it, or the dead domain's own thread) reads or writes that block, not address 0.
        e->NextFree = _freeSlot;
        _freeSlot = (int)(e - _table.Entries);
    }

    /// <summary>Memory of a crashed domain's objects, held back from reuse until no thread can still be
    /// in the domain's code (its context was collected): a thread of the dead domain that checked an RRef
    /// just before the crash may still write to the block, and must not write into someone else's object.
    /// The objects themselves are gone at once (slots freed, counts down, handles stale).</summary>
    public sealed class Quarantine
    {
        internal readonly List<(nint Block, int Class)> Blocks = new();
        public int Count => Blocks.Count;
    }

    /// <summary>Returns quarantined memory to the free lists.</summary>
    public void Release(Quarantine quarantine)
    {
        lock (_gate)
        {
            if (_table.Capacity <= 1) return; // shut down: the memory may belong to a new heap now
            foreach (var (block, cls) in quarantine.Blocks) _freeBlocks[cls].Push(block);
            quarantine.Blocks.Clear();
        }
    }

    /// <summary>The live slot a handle names, or null; no ownership check (kernel use only).</summary>
    internal HeapEntry* Raw(ulong handle)
    {
        uint index = (uint)handle;
        if (index - 1 >= _table.Capacity - 1) return null;
        HeapEntry* e = _table.Entries + index;
        return e->Generation == (int)(handle >> 32) && e->Owner != 0 ? e : null;
    }

    internal int IndexOf(HeapEntry* e) => (int)(e - _table.Entries);

    /// <summary>The domain that owns <paramref name="e"/>: its own Owner, or for a leaf inside a deque the deque's.</summary>
    internal int EffectiveOwner(HeapEntry* e)
    {
        if (e->Owner >= 0) return e->Owner;
        var c = _table.Entries + -e->Owner;
        return -e->Owner < _highWater && c->Generation == e->ContainerGeneration ? c->Owner : 0;
    }

    /// <summary>The HeapTable the ABI sees; forwards the kernel-side operations to the heap.</summary>
    private sealed class Table : HeapTable
    {
        private readonly SharedHeap _heap;
        public Table(SharedHeap heap) => _heap = heap;
        internal override ulong Allocate(DomainToken owner, int typeId, int elementSize, int length, HeapKind kind) =>
            _heap.Allocate(owner, typeId, elementSize, length, kind);
        internal override void Drop(HeapEntry* entry, DomainCell* waitFor, ulong expect) => _heap.DropTree(entry, null, waitFor, expect);
        internal override void DropIfOwnedBy(ulong handle, int owner) => _heap.DropIfOwnedBy(handle, owner);
        internal override void MoveChildren(HeapEntry* entry, int from, int to) => _heap.MoveChildren(entry, from, to);
        internal override bool ChildrenOwned(HeapEntry* entry, int owner) => _heap.ChildrenOwned(entry, owner);
        internal override void BorrowChildren(HeapEntry* entry, int owner, int borrower, int delta) =>
            _heap.BorrowChildren(entry, owner, borrower, delta);
        internal override void ReapOrphans() => _heap.ReapOrphans();
    }
}

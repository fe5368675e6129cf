// os/abi/Runtime: the kernel's per-domain-instance record as the ABI knows it: the native cell the
// hot path reads, plus what only slow paths need (why it faulted, the kernel's own record of it).
using System.Runtime.InteropServices;

namespace RedLeaf.Abi.Runtime;

internal sealed unsafe class DomainToken
{
    internal readonly DomainCell* Cell;
    internal readonly HeapTable Heap;
    /// <summary>Why the domain faulted, set by the check that caught it.</summary>
    internal string? FaultReason;
    /// <summary>The kernel's record of this instance (opaque to the ABI).</summary>
    internal object? Owner;
    /// <summary>Kernel calls besides the heap's (threads).</summary>
    internal KernelServices? Services;

    internal DomainToken(int id, HeapTable heap, DomainToken? host)
    {
        Heap = heap;
        Cell = (DomainCell*)NativeMemory.AllocZeroed((nuint)sizeof(DomainCell));
        Cell->Id = id;
        Cell->Entries = heap.Entries;
        Cell->Capacity = heap.Capacity;
        Cell->IsKernel = host is null ? 1 : 0;
        Cell->Host = host is null ? Cell : host.Cell;
        Cell->Token = GCHandle.ToIntPtr(GCHandle.Alloc(this, GCHandleType.Weak));
        Cell->MaxArrayLength = int.MaxValue;
        Cell->HeapQuota = long.MaxValue;
        Cell->AllocationQuota = long.MaxValue;
        Cell->WindowStart = Environment.TickCount64;
        if (host is not null) AllocationMeter.StartClock();
    }

    internal int Id => Cell->Id;
    internal bool IsKernel => Cell->IsKernel != 0;
    internal int State { get => Cell->State; set => Cell->State = value; }

    /// <summary>Called when the heap goes away: from now on every handle fails its check.</summary>
    internal void Revoke() => Cell->Capacity = 1;

    /// <summary>The managed token of a cell; null if the kernel that made it is gone.</summary>
    internal static DomainToken? Of(DomainCell* cell) =>
        cell == null ? null : GCHandle.FromIntPtr(cell->Token).Target as DomainToken;
}

// os/abi/Runtime: the part of a domain instance's record that the hot path reads, in native memory.
// The running thread's current domain is a pointer to one of these, so switching domains on a call
// is a plain store (no GC write barrier) and every RRef check starts from one pointer: the domain's
// id and state, and the heap registry's base and size, side by side.
// Cells are never freed: a proxy that outlives its kernel must still find a cell that says "gone".
using System.Runtime.InteropServices;

namespace RedLeaf.Abi.Runtime;

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct DomainCell
{
    internal int Id;
    internal volatile int State;
    internal HeapEntry* Entries;
    /// <summary>Registry size. Checks test <c>index - 1 &lt; Capacity - 1</c>: slot 0 is never valid, and 1 makes none valid.</summary>
    internal uint Capacity;
    internal int IsKernel;
    /// <summary>The kernel's cell: the caller when host code (no domain) calls through a proxy.</summary>
    internal DomainCell* Host;
    /// <summary>Weak GC handle to the managed DomainToken (slow paths only).</summary>
    internal nint Token;
    /// <summary>The first thread that entered the domain (its access record's address), 0 before any.</summary>
    internal nint Resident;
    /// <summary>Nonzero once a second thread has entered: the domain may race itself, so its accesses fence their
    /// announcements and its ownership changes take the heap's ownership lock and wait for its other threads'
    /// accesses (Accesses.WaitFor). 1 while the change is being settled, then Accesses.Settled (2). On the kernel's cell: 1 while
    /// <see cref="AbandonedCalls"/> is nonzero, else 0.</summary>
    internal int Shared;
    /// <summary>On the kernel's cell (every cell's <see cref="Host"/>): how many of the kernel's domain instances have ever
    /// had a second thread in them, plus the crash cleanups ending device lends meanwhile (Accesses.LockReturns). While it is 0 the end of a lend by the kernel's domains takes no lock
    /// (HeapAccess.Return): no borrower has another thread to wait for, and no lend-on can race the count.</summary>
    internal int SharedDomains;
    /// <summary>On the kernel's cell: host-call workers given up on (Accesses.Abandon) that have not yet left the domain they
    /// ran in. While it is nonzero the host's cell counts as Shared (its lends and moves take the ownership lock).</summary>
    internal int AbandonedCalls;
    /// <summary>Largest array (elements) the domain may create in one allocation (instrumentation checks it).</summary>
    internal int MaxArrayLength;
    /// <summary>Shared-heap bytes the domain may have live among the objects it allocated.</summary>
    internal long HeapQuota;

    // Private allocation (AllocationMeter): GC-heap bytes allocated while the domain's code ran,
    // charged by its threads' samples. Written only on the meter's slow path.
    /// <summary>Most private bytes the domain may allocate within one window.</summary>
    internal long AllocationQuota;
    /// <summary>When the current window began (Environment.TickCount64, ms).</summary>
    internal long WindowStart;
    /// <summary>Bytes charged in the current window.</summary>
    internal long WindowBytes;
    /// <summary>Bytes charged since the instance started.</summary>
    internal long AllocatedTotal;
    /// <summary>The most bytes charged in one window so far.</summary>
    internal long WindowPeak;
}

// os/abi/Runtime: the private-allocation limit. The runtime counts, per thread, the GC-heap bytes the
// thread has allocated; the instrumentation's stop check (Guard.Tick and Guard.Loop, at method entries
// and loop back-edges) counts down a thread-static and every Interval-th check reads that counter and
// charges what the thread allocated since its last read to the domain running on it. The proxies do
// nothing: reading the counter costs about as much as a whole cross-domain call, so it is read only here.
//
// What is limited: bytes allocated within a one-second window, per domain instance, summed over its
// threads. Not bytes since start: a long-lived domain (a driver, rv6's file system) allocates garbage
// all its life and would reach any fixed total. Not live bytes: the runtime cannot say which live
// objects belong to which domain (no per-AssemblyLoadContext accounting), and a full collection to ask
// costs more than it saves. A runaway allocator (a list grown without end, a string built by repeated
// concatenation, ToList over an endless sequence) allocates gigabytes a second and is stopped within a
// second, its live memory bounded by about twice the limit; an ordinary domain allocates far less.
//
// Attribution is exact within a stretch of one domain's code and approximate at a crossing: what a
// thread allocated between its last sample and a cross-domain call (or a return) is charged to the
// domain that samples next on that thread, in the caller or the callee. At most one interval's
// allocation moves that way (Interval checks; one base-library call, such as a List growing, can be large).
using System.Runtime.CompilerServices;

namespace RedLeaf.Abi.Runtime;

internal static unsafe class AllocationMeter
{
    /// <summary>Checks between two reads of the thread's counter. A read costs a few nanoseconds; a check
    /// a fraction of one, so amortised over this many the meter is lost in the check's own cost.</summary>
    internal const int Interval = 256;

    /// <summary>The window a domain's allocation is limited within.</summary>
    internal const long WindowMs = 1000;

    /// <summary>Reads this thread's counter and charges the bytes since the last read to the running domain.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Sample()
    {
        CurrentDomain.SampleCountdown = Interval;
        long now = GC.GetAllocatedBytesForCurrentThread();
        long mark = CurrentDomain.AllocatedMark;
        CurrentDomain.AllocatedMark = now;
        var c = CurrentDomain.Cell;
        // The first sample on a thread only sets the mark: what the thread allocated before (host code,
        // the thread's start) is nobody's.
        if (mark == 0 || c == null || c->IsKernel != 0 || now <= mark) return;
        Charge(c, now - mark);
    }

    /// <summary>Adds <paramref name="bytes"/> to the domain's totals; faults it if its window is over the limit.</summary>
    internal static void Charge(DomainCell* c, long bytes)
    {
        Interlocked.Add(ref c->AllocatedTotal, bytes);
        long now = Environment.TickCount64;
        long start = Volatile.Read(ref c->WindowStart);
        if (now - start >= WindowMs && Interlocked.CompareExchange(ref c->WindowStart, now, start) == start)
        {
            Interlocked.Exchange(ref c->WindowBytes, 0); // a new window (threads racing here only blur its edge)
            start = now;
        }
        long window = Interlocked.Add(ref c->WindowBytes, bytes);
        if (window > Volatile.Read(ref c->WindowPeak)) Volatile.Write(ref c->WindowPeak, window); // a racy maximum is still a peak
        if (window > c->AllocationQuota)
            HeapAccess.Fault(c, $"private allocation limit: domain {c->Id} allocated {window:N0} bytes in {Math.Max(now - start, 1)} ms; " +
                                $"its limit is {c->AllocationQuota:N0} bytes per second");
    }
}

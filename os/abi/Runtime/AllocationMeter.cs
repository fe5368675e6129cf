// os/abi/Runtime: the private-allocation limit. The runtime counts, per thread, the GC-heap bytes the
// thread has allocated; a sample reads that counter and charges what the thread allocated since its last
// sample to the domain running on it. Samples are taken by the instrumentation's stop check (Guard.Tick
// and Guard.Loop, at method entries and loop back-edges) when the meter's clock asks: every PeriodMs it
// sets a bit in the word the check already loads (Guard.StopsPending), and the first check to see it
// clears it and samples. The checks and the proxies pay nothing more: a thread-static countdown in every
// check cost a compute-bound domain a third more time, and reading the counter at every crossing would
// cost about half a cross-domain call.
//
// What is limited: bytes allocated within a one-second window, per domain instance, summed over its
// threads. Not bytes since start: a long-lived domain (a driver, rv6's file system) allocates garbage
// all its life and would reach any fixed total. Not live bytes: the runtime cannot say which live
// objects belong to which domain (no per-AssemblyLoadContext accounting). A runaway allocator (a list
// grown without end, a string built by repeated concatenation, ToList over an endless sequence)
// allocates at or near the machine's allocation rate and is stopped within about a second; a list that
// doubles is stopped at the latest when one doubling alone passes the limit; an ordinary domain
// allocates far less. A domain that leaks slower than its limit's rate is not stopped by it.
//
// Attribution is exact within a stretch of one domain's code and approximate at a crossing: what a
// thread allocated between its last sample and a cross-domain call (or a return) is charged to the
// domain that samples next on that thread, the caller or the callee. When several threads run domain
// code at once, each request goes to one of them; the others are charged in full at a later sample.
//
// The heap budget, a safety net for what the rate misses (a leak slower than the limit would fill the
// machine, and the host with it): the clock also reads the process's managed heap size; while it is over
// the budget (three quarters of the memory the GC may use, or REDLEAF_HEAP_BUDGET_MB), a sample faults its
// domain if that domain has allocated at least a quarter of what the heap holds (live objects cannot be
// attributed, but a leaker has allocated at least what it holds). After such a fault the budget rests
// for two seconds, so the kernel can unload the domain and collect what it held before the next one.
using System.Runtime.CompilerServices;
using RedLeaf.Abi;

namespace RedLeaf.Abi.Runtime;

internal static unsafe class AllocationMeter
{
    /// <summary>The bit of Guard.StopsPending that asks the next check for a sample.</summary>
    internal const int SampleRequested = 1 << 30;

    /// <summary>How often the clock asks for a sample: at 10 GB/s a domain allocates 100 MB in between.</summary>
    internal const int PeriodMs = 10;

    /// <summary>The window a domain's allocation is limited within.</summary>
    internal const long WindowMs = 1000;

    private static int s_clockStarted;

    /// <summary>The environment variable that sets the heap budget, in MiB (0: off).</summary>
    internal const string HeapBudgetVariable = "REDLEAF_HEAP_BUDGET_MB";

    /// <summary>Managed-heap bytes above which an allocating domain may be faulted (see above); 0: off.</summary>
    internal static long HeapBudget = DefaultHeapBudget();

    /// <summary>How long the budget rests after it faulted a domain.</summary>
    internal const long PressureQuietMs = 2000;

    private static long s_heapBytes;
    private static long s_quietUntil;

    private static long DefaultHeapBudget()
    {
        if (long.TryParse(Environment.GetEnvironmentVariable(HeapBudgetVariable), out long mb) && mb >= 0) return mb << 20;
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 * 3;
    }

    /// <summary>Starts the clock (once per process, when the first domain instance is made). It runs on a
    /// thread of its own, so a starved thread pool cannot stop the meter.</summary>
    internal static void StartClock()
    {
        if (Interlocked.Exchange(ref s_clockStarted, 1) != 0) return;
        new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(PeriodMs);
                Volatile.Write(ref s_heapBytes, GC.GetTotalMemory(forceFullCollection: false));
                if ((Volatile.Read(ref Guard.StopsPending) & SampleRequested) == 0) Interlocked.Or(ref Guard.StopsPending, SampleRequested);
            }
        })
        { IsBackground = true, Name = "redleaf allocation meter" }.Start();
    }

    /// <summary>Takes the clock's request (if no other thread took it first) and samples this thread.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void TakeRequest()
    {
        if ((Interlocked.And(ref Guard.StopsPending, ~SampleRequested) & SampleRequested) != 0) Sample();
    }

    /// <summary>Reads this thread's counter and charges the bytes since the last read to the running domain.</summary>
    internal static void Sample()
    {
        long now = GC.GetAllocatedBytesForCurrentThread();
        long mark = CurrentDomain.AllocatedMark;
        CurrentDomain.AllocatedMark = now;
        var c = CurrentDomain.Cell;
        // The first sample on a thread only sets the mark: what the thread allocated before (host code,
        // the thread's start) is nobody's.
        if (mark == 0 || c == null || c->IsKernel != 0 || now <= mark) return;
        Charge(c, now - mark);
    }

    /// <summary>What the kernel allocated on this thread since <paramref name="since"/> (a reading of
    /// GC.GetAllocatedBytesForCurrentThread) is accounted elsewhere and not charged to the running domain: a RISC-V
    /// process's memory, bounded by the kernel's page pool, grows on the interpreter domain's thread, and one
    /// domain serves every RISC-V process (one process's sbrk must not use up the domain's allocation window).</summary>
    internal static void NotCharged(long since)
    {
        if (CurrentDomain.AllocatedMark != 0) CurrentDomain.AllocatedMark += GC.GetAllocatedBytesForCurrentThread() - since;
    }

    /// <summary>Host code about to run a domain on this thread (the kernel loading or restarting one) forgets what
    /// the thread allocated in host code since its last sample: compiling, verifying and loading a domain
    /// allocates hundreds of megabytes, which would otherwise be charged to the next domain sampled here.</summary>
    internal static void ForgetHostAllocation()
    {
        if (CurrentDomain.AllocatedMark != 0) CurrentDomain.AllocatedMark = GC.GetAllocatedBytesForCurrentThread();
    }

    /// <summary>Adds <paramref name="bytes"/> to the domain's totals; faults it if its window is over the limit.</summary>
    internal static void Charge(DomainCell* c, long bytes)
    {
        long total = Interlocked.Add(ref c->AllocatedTotal, bytes);
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
        long heap = Volatile.Read(ref s_heapBytes), budget = HeapBudget;
        if (budget > 0 && heap > budget && total >= heap / 4 && now >= Volatile.Read(ref s_quietUntil))
        {
            Volatile.Write(ref s_quietUntil, now + PressureQuietMs);
            HeapAccess.Fault(c, $"managed heap budget: the process's managed heap holds {heap:N0} bytes, over the kernel's budget of {budget:N0}, " +
                                $"and domain {c->Id} has allocated {total:N0} bytes (set {HeapBudgetVariable} or Microkernel.ManagedHeapBudget to change the budget)");
        }
    }
}

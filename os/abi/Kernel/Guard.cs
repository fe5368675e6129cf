// os/abi/Kernel: what the trusted compiler's instrumentation calls from domain code. A check at every
// method entry and loop back-edge (Tick: a few thread-static loads and compares, in the spirit of
// wasmtime's epoch interruption) stops a domain the kernel has killed or that failed a runtime check,
// stops recursion before it can overflow the thread's stack, and, when the allocation meter's clock
// asks (every 10 ms), charges what the thread allocated to the running domain; catch clauses are
// rewritten to ask Catchable first, so domain code cannot swallow the kernel's stop; array sizes pass
// through Length.
// Domain code never calls these itself (the compiler inserts them); calling them does no harm.
using System.Runtime.CompilerServices;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public static unsafe class Guard
{
    /// <summary>Domains that have been stopped (killed, or faulted) but whose code may still be running
    /// somewhere. While it is 0, which is almost always, a check is one load of a global and a branch;
    /// otherwise every check also asks whether its own domain is the stopped one. The kernel counts a
    /// domain down once its unloaded code is confirmed collected: then no thread can be in it. Bit 30
    /// (AllocationMeter.SampleRequested) is the meter's request for a sample, set by its clock and
    /// cleared by the first check that takes it: the same load and branch carry both.</summary>
    internal static int StopsPending;

    /// <summary>The check at method entries: the kernel's stop, and the stack-depth guard.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tick()
    {
        if (Volatile.Read(ref StopsPending) != 0) CheckStop(); // volatile: the JIT must not hoist it out of a loop
        byte probe;
        // One compare covers both "limit not measured yet" (0: the distance is huge) and "below the
        // limit" (the subtraction wraps): either way, the slow path decides.
        if ((nuint)(&probe) - CurrentDomain.StackLimit > MaxStack) Deep((nuint)(&probe));
    }

    /// <summary>The check at loop back-edges and before gotos: the kernel's stop only (loops do not grow the stack).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Loop()
    {
        if (Volatile.Read(ref StopsPending) != 0) CheckStop(); // volatile: the JIT must not hoist it out of a loop
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CheckStop()
    {
        if ((StopsPending & AllocationMeter.SampleRequested) != 0) AllocationMeter.TakeRequest();
        var c = CurrentDomain.Cell;
        if (c != null && c->State != DomainState.Running) Stop(c);
    }

    /// <summary>The expression-bodied form of <see cref="Tick"/> (always true).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Enter()
    {
        Tick();
        return true;
    }

    /// <summary>Filter added to every catch clause in domain code: the kernel's stop passes through.</summary>
    public static bool Catchable(Exception e)
    {
        if (e is DomainStoppedException) return false;
        var c = CurrentDomain.Cell;
        return c == null || c->State == DomainState.Running;
    }

    /// <summary>Wraps every array size in domain code: refuses one huge allocation before it happens.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Length(int n)
    {
        var c = CurrentDomain.Cell;
        if (c != null && (uint)n > (uint)c->MaxArrayLength && n >= 0) TooLong(c, n);
        return n;
    }

    public static long Length(long n) => Length(checked((int)n));

    /// <summary>Wraps the first size of a multi-dimensional array: checks the element count (the product);
    /// returns <paramref name="first"/>.</summary>
    public static int Area(int first, params int[] rest)
    {
        long product = first;
        foreach (int n in rest) product *= Math.Max(n, 0);
        var c = CurrentDomain.Cell;
        if (c != null && product > c->MaxArrayLength && first >= 0) TooLong(c, product > int.MaxValue ? int.MaxValue : (int)product);
        return first;
    }

    private const nuint MaxStack = 1u << 30; // no thread has a gigabyte of stack

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Stop(DomainCell* c)
    {
        string why = c->State switch
        {
            DomainState.Killed => "killed",
            DomainState.Faulted => "stopped after a failed runtime check",
            _ => "no longer running",
        };
        throw new DomainStoppedException($"domain {c->Id} was {why}");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Deep(nuint here)
    {
        if (CurrentDomain.StackLimit == 0)
        {
            CurrentDomain.StackLimit = StackBounds.MeasureLimit(here);
            if (here > CurrentDomain.StackLimit) return;
        }
        var c = CurrentDomain.Cell;
        if (c == null || c->IsKernel != 0) return; // only domains are held to the guard
        HeapAccess.Fault(c, $"stack depth limit: recursion went within {StackBounds.Headroom / 1024} KiB of the end of the thread's stack");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TooLong(DomainCell* c, int n) =>
        HeapAccess.Fault(c, $"array length limit: {n} elements requested, the domain may create at most {c->MaxArrayLength} in one array");
}

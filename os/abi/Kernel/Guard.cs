// os/abi/Kernel: what the trusted compiler's instrumentation calls from domain code. A check at every
// method entry and loop back-edge (Tick: a few thread-static loads and compares, in the spirit of
// wasmtime's epoch interruption) stops a domain the kernel has killed or that failed a runtime check,
// stops recursion before it can overflow the thread's stack, and, when the allocation meter's clock
// asks (every 10 ms), charges what the thread allocated to the running domain; catch clauses are
// rewritten to ask Catchable first, so domain code cannot swallow the kernel's stop; array sizes pass
// through Length.
// Domain code never calls these itself (the compiler inserts them); calling them does no harm.
using System.Linq;
using System.Runtime.CompilerServices;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public static unsafe partial class Guard
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

    /// <summary>Wraps the body of every finally block in domain code: false once the running domain has been
    /// stopped (killed or faulted), so a stopped domain's finally blocks do not run, as a killed process
    /// runs none of its own; the kernel cleans up what it held. While the stop unwinds, the runtime runs
    /// finally blocks on top of the frames being unwound, and a loop or a recursion there could neither
    /// be stopped nor fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Cleanup() => Volatile.Read(ref StopsPending) == 0 && HasStackToSpare() ? true : MayHandle();

    /// <summary>Filter added to every catch clause in domain code: the kernel's stop passes through, and so does
    /// everything once the domain is stopped.</summary>
    public static bool Catchable(Exception e) => e is not DomainStoppedException && MayHandle();

    /// <summary>Whether the running domain may run a handler (a catch or a finally) here. Not once it has been
    /// stopped; and not where the stack is short: the runtime runs handlers on top of the frames an
    /// exception unwinds, and a handler that throws again (`catch { throw new X(); }` at each level of a
    /// deep recursion) nests one exception dispatch, kilobytes of the runtime's frames, on top of the last,
    /// until the stack overflows and the process ends. There the domain is faulted instead, and the
    /// exception goes on to its caller with no more of its handlers run.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool MayHandle()
    {
        var c = CurrentDomain.Cell;
        if (c == null || c->IsKernel != 0) return true;
        if (c->State != DomainState.Running) return false;
        if (HasStackToSpare()) return true;
        HeapAccess.MarkFaulted(c, $"exception handling nested too deep: a catch or finally block ran within 64 KiB of the stack guard's limit, where another throw would overflow the stack");
        CurrentDomain.NoteStopThrown();
        return false;
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

    /// <summary>The widest alignment a domain may format with (`{x,n}`, AppendFormatted(x, n)): the base library's
    /// own limit for string.Format. An interpolated string pads to its alignment in one call, so
    /// `$"{x,1000000000}"` would allocate and fill two gigabytes where no check runs.</summary>
    public const int MaxAlignment = 1_000_000;

    /// <summary>Wraps an alignment handed to the base library: faults the domain past <see cref="MaxAlignment"/>.</summary>
    public static int Alignment(int n)
    {
        if (n is >= -MaxAlignment and <= MaxAlignment) return n;
        var c = CurrentDomain.Cell;
        if (c != null && c->IsKernel == 0)
            HeapAccess.Fault(c, $"alignment limit: text aligned to {n} characters, a domain may align to at most {MaxAlignment} (the base library pads in one call)");
        return n;
    }

    /// <summary>The longest chain of inner exceptions a domain may build. Exception.ToString prints its
    /// inner exception's ToString, in the base library, where the stack guard does not reach: a chain
    /// of 200,000 would overflow the stack. Real code wraps a handful of times.</summary>
    public const int MaxInnerExceptions = 32;

    /// <summary>Wraps every inner exception handed to a base-library exception constructor (`new
    /// InvalidOperationException("...", e)`, `: base(message, e)`): faults the domain if the new
    /// exception's chain would be longer than <see cref="MaxInnerExceptions"/>; returns <paramref name="inner"/>.</summary>
    public static Exception? Inner(Exception? inner)
    {
        int depth = 0;
        for (var e = inner; e != null; e = e.InnerException)
        {
            if (++depth < MaxInnerExceptions) continue;
            var c = CurrentDomain.Cell;
            if (c != null && c->IsKernel == 0)
                HeapAccess.Fault(c, $"exception chain limit: a domain may wrap an exception at most {MaxInnerExceptions} deep (inner exceptions), because the base library prints and walks the chain without the stack guard");
            break;
        }
        return inner;
    }

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

    /// <summary>Wraps every sequence a LINQ operator returns to domain code (GuardedSequence), unless it
    /// is not the base library's LINQ (a collection, the domain's own type) or is wrapped already.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(sequence))]
    public static IEnumerable<T>? Chain<T>(IEnumerable<T>? sequence) =>
        sequence is null || sequence is GuardedSequence<T> || sequence is GuardedOrderedSequence<T> || sequence.GetType().Assembly != LinqAssembly
            ? sequence : new GuardedSequence<T>(sequence);

    /// <summary>Wraps what OrderBy, OrderByDescending, Order and OrderDescending return (GuardedOrderedSequence);
    /// ThenBy's results come from the wrapper itself, which counts their keys.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(sequence))]
    public static IOrderedEnumerable<T>? Ordered<T>(IOrderedEnumerable<T>? sequence) =>
        sequence is null || sequence is GuardedOrderedSequence<T> || sequence.GetType().Assembly != LinqAssembly
            ? sequence : new GuardedOrderedSequence<T>(sequence, 1);

    private static readonly System.Reflection.Assembly LinqAssembly = typeof(Enumerable).Assembly;

    /// <summary>The most sort keys one ordering may have (OrderBy, then ThenBy after ThenBy): the base
    /// library compares through the chain of keys recursively, without the stack guard.</summary>
    public const int MaxSortKeys = 64;

    internal static void SortKeys(int keys)
    {
        if (keys <= MaxSortKeys) return;
        var c = CurrentDomain.Cell;
        if (c != null && c->IsKernel == 0)
            HeapAccess.Fault(c, $"sort key limit: an ordering may have at most {MaxSortKeys} keys (OrderBy, then ThenBy), because the base library compares through them without the stack guard");
    }

    private const nuint MaxStack = 1u << 30; // no thread has a gigabyte of stack

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Stop(DomainCell* c)
    {
        // Finally blocks run on top of the frames an exception unwinds. After the stack guard fired deep
        // in a recursion, each level's finally runs with only the guard's headroom below it; if a check
        // in each threw the stop again, every throw would nest one exception dispatch (kilobytes) on the
        // last until the stack overflowed. So while a stop is in flight below where it was thrown and
        // the stack is short, the check lets the cleanup run; the stop already thrown ends the call.
        byte probe;
        nuint here = (nuint)(&probe), thrown = CurrentDomain.StopThrownAt;
        if (thrown != 0)
        {
            if (here >= thrown) CurrentDomain.StopThrownAt = 0; // above it: that stop was caught, this is a new one
            else if (!HasStackToSpare()) return;
        }
        CurrentDomain.NoteStopThrown();
        string why = c->State switch
        {
            DomainState.Killed => "killed",
            DomainState.Faulted => "stopped after a failed runtime check",
            _ => "no longer running",
        };
        throw new DomainStoppedException($"domain {c->Id} was {why}");
    }

    /// <summary>Whether this thread has stack to spare above the guard's limit (64 KiB or more), without
    /// faulting: for cleanup that may run while a fault unwinds, when finally blocks run on top of the
    /// deepest frame (GuardedSequence.Dispose skips disposing what it wraps instead of overflowing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool HasStackToSpare()
    {
        byte probe;
        nuint here = (nuint)(&probe);
        if (CurrentDomain.StackLimit == 0) CurrentDomain.StackLimit = StackBounds.MeasureLimit(here);
        return here > CurrentDomain.StackLimit && here - CurrentDomain.StackLimit > 64 * 1024;
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

// os/abi/Runtime: where this thread's stack ends, so the instrumentation's depth guard can stop deep
// recursion with room to spare: a stack overflow cannot be caught in .NET and would end the whole
// process, kernel included. Asked of the C library once per thread (trusted code; domains cannot).
using System.Runtime.InteropServices;

namespace RedLeaf.Abi.Runtime;

internal static unsafe class StackBounds
{
    /// <summary>The largest value type (struct, inline array, generic struct instantiated) a domain may
    /// declare or use: the trusted compiler's IL gate refuses bigger ones (RLGATE019).</summary>
    internal const int MaxValueSize = 64 * 1024;

    /// <summary>The largest stack frame the gate lets a domain method have, as it estimates it (locals,
    /// struct temporaries, and the frames of domain callees the JIT may inline into it).</summary>
    internal const int MaxFrame = 128 * 1024;

    /// <summary>The most stack a chain of domain methods without the depth guard may use between two
    /// checks (the compiler's StackChecks leaves the guard out only within this budget).</summary>
    internal const int UnguardedChain = 32 * 1024;

    /// <summary>Headroom kept below the guard: the rest of the frame that passed the last check, the
    /// unguarded chain below it, the next method's whole frame (allocated before its first check runs),
    /// and the kernel's own frames and the exception unwind of the fault. A frame larger than this would
    /// jump over the guard into the thread's guard page, which ends the process.</summary>
    internal const int Headroom = 512 * 1024;

    /// <summary>What the headroom must at least cover besides frames: the fault's throw and unwind,
    /// proxies, and base-library calls made from the deepest domain frame.</summary>
    internal const int RuntimeSlack = 128 * 1024;

    // The build checks the rule above: a negative constant does not convert to uint (error CS0221), so
    // raising MaxFrame or UnguardedChain without the headroom, or a type limit above the frame limit,
    // does not compile.
    private const uint HeadroomCoversTwoFrames = (uint)(Headroom - (2 * MaxFrame + UnguardedChain + RuntimeSlack));
    private const uint FrameHoldsTheLargestValue = (uint)(MaxFrame - MaxValueSize);

    /// <summary>The lowest address domain code may use on this thread.</summary>
    internal static nuint MeasureLimit(nuint here)
    {
        try
        {
            byte* attr = stackalloc byte[128];
            if (pthread_getattr_np(pthread_self(), attr) == 0)
            {
                void* low;
                nuint size;
                int rc = pthread_attr_getstack(attr, &low, &size);
                pthread_attr_destroy(attr);
                if (rc == 0 && (nuint)low < here && here <= (nuint)low + size)
                    return (nuint)low + Math.Min((nuint)Headroom, size / 2); // threads of at least 1 MiB get the full headroom
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        return here - 512 * 1024; // unknown platform: allow half a megabyte below the first check
    }

    [DllImport("libc")] private static extern nint pthread_self();
    [DllImport("libc")] private static extern int pthread_getattr_np(nint thread, void* attr);
    [DllImport("libc")] private static extern int pthread_attr_getstack(void* attr, void** stackaddr, nuint* stacksize);
    [DllImport("libc")] private static extern int pthread_attr_destroy(void* attr);
}

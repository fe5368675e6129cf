// os/abi/Runtime: where this thread's stack ends, so the instrumentation's depth guard can stop deep
// recursion with room to spare: a stack overflow cannot be caught in .NET and would end the whole
// process, kernel included. Asked of the C library once per thread (trusted code; domains cannot).
using System.Runtime.InteropServices;

namespace RedLeaf.Abi.Runtime;

internal static unsafe class StackBounds
{
    /// <summary>Headroom kept below the guard for the kernel's own frames and the exception unwind.</summary>
    internal const int Headroom = 256 * 1024;

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
                    return (nuint)low + Math.Min((nuint)Headroom, size / 4);
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

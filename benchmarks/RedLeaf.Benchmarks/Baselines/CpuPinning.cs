// benchmarks/RedLeaf.Benchmarks/Baselines: pins threads and processes to one CPU for the IPC baselines. The paper measured
// on one core; here, a wake-up sent to the other core of this VM costs tens of thousands of cycles
// (an inter-processor interrupt through the hypervisor) while a switch on the same core costs a few
// thousand, so an unpinned round trip is bimodal depending on where the scheduler put the two ends.
// Pinned, both ends share one core and the row measures the kernel's IPC path itself.
using System.Runtime.InteropServices;

namespace RedLeaf.Benchmarks.Baselines;

public static unsafe class CpuPinning
{
    const int SetBytes = 128; // cpu_set_t for up to 1024 CPUs

    /// <summary>The CPU the calling thread is running on now.</summary>
    public static int CurrentCpu()
    {
        int cpu = sched_getcpu();
        return cpu >= 0 ? cpu : throw new InvalidOperationException($"sched_getcpu failed (errno {Marshal.GetLastSystemError()})");
    }

    /// <summary>Pins the calling thread to one CPU; returns its previous CPU set, for Restore.</summary>
    public static byte[] PinCurrentThread(int cpu)
    {
        var previous = new byte[SetBytes];
        fixed (byte* p = previous)
            if (sched_getaffinity(0, SetBytes, p) != 0)
                throw new InvalidOperationException($"sched_getaffinity failed (errno {Marshal.GetLastSystemError()})");
        Pin(0, cpu);
        return previous;
    }

    /// <summary>Gives the calling thread back a CPU set from PinCurrentThread.</summary>
    public static void Restore(byte[] set)
    {
        fixed (byte* p = set)
            if (sched_setaffinity(0, SetBytes, p) != 0)
                throw new InvalidOperationException($"sched_setaffinity (restore) failed (errno {Marshal.GetLastSystemError()})");
    }

    /// <summary>Pins a thread or process (by id; 0 = the calling thread) to one CPU.</summary>
    public static void Pin(int id, int cpu)
    {
        if (cpu < 0 || cpu >= SetBytes * 8) throw new ArgumentOutOfRangeException(nameof(cpu), cpu, "CPU number out of range");
        var set = stackalloc byte[SetBytes];
        new Span<byte>(set, SetBytes).Clear();
        set[cpu / 8] = (byte)(1 << (cpu % 8));
        if (sched_setaffinity(id, SetBytes, set) != 0)
            throw new InvalidOperationException($"sched_setaffinity({id}, cpu {cpu}) failed (errno {Marshal.GetLastSystemError()})");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_getcpu();

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_getaffinity(int pid, nint size, byte* mask);

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setaffinity(int pid, nint size, byte* mask);
}

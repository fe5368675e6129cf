// benchmarks/RedLeaf.Benchmarks/Baselines: a round trip between two threads of this process through the kernel's wait
// primitive, the `thread-pingpong` row of Table 1 (the nearest thing on Linux to an L4/seL4 IPC
// call and reply, minus the address-space switch). The primitive is a raw Linux futex (Native/futex.c)
// on one 32-bit word in its own cache line: the caller stores Request and wakes the partner, then
// futex-waits while the word still says Request; the partner futex-waits while the word says Idle,
// stores Idle back and wakes the caller. No spinning anywhere (a SemaphoreSlim or ManualResetEventSlim
// would spin first and, on a quiet machine, never reach the kernel), so each round trip is two
// futex wakes, up to two futex sleeps and the thread switches they cause. Both threads are pinned to
// the CPU the caller was on (CpuPinning says why); the caller's CPU set is restored on Dispose.
// Create, use and dispose it on one thread.
using RedLeaf.Benchmarks.Native;

namespace RedLeaf.Benchmarks.Baselines;

public sealed unsafe class ThreadPingPong : IDisposable
{
    const int Idle = 0, Request = 1, Stop = 2;

    static readonly delegate* unmanaged<int*, int, int> s_wait = (delegate* unmanaged<int*, int, int>)NativeBenchLibrary.Export("rl_futex_wait");
    static readonly delegate* unmanaged[SuppressGCTransition]<int*, int> s_wake = (delegate* unmanaged[SuppressGCTransition]<int*, int>)NativeBenchLibrary.Export("rl_futex_wake");

    readonly int* _word;
    readonly Thread _partner;
    readonly int _cpu;
    readonly byte[] _callerCpus;
    long _served;
    bool _disposed;

    public ThreadPingPong()
    {
        _word = (int*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(64, 64);
        *_word = Idle;
        _cpu = CpuPinning.CurrentCpu();
        _callerCpus = CpuPinning.PinCurrentThread(_cpu);
        _partner = new Thread(Serve) { IsBackground = true, Name = "thread-pingpong partner" };
        _partner.Start();
    }

    /// <summary>Round trips the partner has answered.</summary>
    public long Served => Volatile.Read(ref _served);

    /// <summary>The CPU both threads run on.</summary>
    public int Cpu => _cpu;

    /// <summary>One request to the partner thread and its reply, each through the kernel.</summary>
    public void RoundTrip()
    {
        Volatile.Write(ref *_word, Request);
        s_wake(_word);
        while (Volatile.Read(ref *_word) == Request)
            s_wait(_word, Request);
    }

    void Serve()
    {
        CpuPinning.Pin(0, _cpu);
        for (; ; )
        {
            int w;
            while ((w = Volatile.Read(ref *_word)) == Idle)
                s_wait(_word, Idle);
            if (w == Stop) return;
            _served++;
            Volatile.Write(ref *_word, Idle);
            s_wake(_word);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Volatile.Write(ref *_word, Stop);
        s_wake(_word);
        if (!_partner.Join(TimeSpan.FromSeconds(10)))
            throw new InvalidOperationException("the thread-pingpong partner did not stop within 10 s");
        System.Runtime.InteropServices.NativeMemory.AlignedFree(_word);
        CpuPinning.Restore(_callerCpus);
    }
}

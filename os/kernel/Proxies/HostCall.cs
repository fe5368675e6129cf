// os/kernel/Proxies: how plain host code waits on a domain. .NET cannot abort a thread, so a thread that
// runs a domain's code is the domain's until that code returns, and a killed domain stuck inside one long
// base-library call (Array.Sort of 16 M elements: no check runs there) returns only when the call ends.
// Host code (a notebook cell, a test, the CLI: a thread with no domain current) must not be held by
// that: its calls (a generated proxy called with no domain current) and the loader's run of an entry
// point go to a host-call worker thread, and the host waits for the worker; once the callee is no longer
// running (killed, faulted) the host waits at most KillGrace more, then gives up on the worker
// (abandons it: it leaves the domain's code whenever the stuck call ends, its results are dropped by the
// proxy it runs in, and then it ends) and returns the error. Domain-to-domain calls, and host code
// running as the kernel (Microkernel.Enter: the benchmarks), do not come here: they run on the caller's
// thread, allocation-free, as ARCHITECTURE.md's call path says.
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Os.Proxies;

public static unsafe class HostCall
{
    /// <summary>How long a host caller still waits after its callee stopped running before it gives up on
    /// the thread the call runs on (the goal after a kill is 100 ms in all).</summary>
    public static readonly TimeSpan KillGrace = TimeSpan.FromMilliseconds(50);

    private const int PollMs = 5;
    private const int WorkerStack = 4 << 20; // as a kernel thread's

    /// <summary>Each host thread has a worker of its own, reused for all its calls, so a domain called from one host
    /// thread is entered by one thread only, as when the host called it directly: the shared heap treats a domain
    /// entered by a second thread as one that may race itself (os/README, section 2), and a pool handing calls to
    /// whichever worker was idle made every domain a host called look multi-threaded (shadows could then no
    /// longer pass on what they were lent). A worker given up on, or retired, is replaced.</summary>
    [ThreadStatic] private static Worker? t_worker;
    /// <summary>Per domain instance: workers running a call into it (abandoned ones included) until they leave.</summary>
    private static readonly ConcurrentDictionary<int, int> InFlight = new();
    private static int s_abandoned;

    /// <summary>Host-call workers given up on and still inside a domain's code (they leave when its call ends).</summary>
    public static int Abandoned => Volatile.Read(ref s_abandoned);

    /// <summary>True if a call from this thread to <paramref name="callee"/> must go through a worker: no domain
    /// is current here (plain host code), and the callee is a domain (not a host object the kernel granted).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool FromHost(nint previous, nint callee) => previous == 0 && ((DomainCell*)callee)->IsKernel == 0;

    /// <summary>Runs a generated proxy's call for plain host code: on a worker running as the callee's kernel
    /// (so the proxy takes its ordinary path there), waiting as described above. Returns the call's result,
    /// or sets <paramref name="gaveUp"/> to the error if the host stopped waiting. An exception the call
    /// threw to its caller (a bad argument: the caller's fault) is thrown here.</summary>
    public static T Run<T>(nint callee, Func<T> call, out RpcError gaveUp)
    {
        var host = (nint)((DomainCell*)callee)->Host;
        var work = new Work<T>(call, host) { Cell = callee };
        gaveUp = Wait(work, (DomainCell*)callee, deadline: null, onDeadline: null);
        if (gaveUp.IsError) return default!;
        return work.Take();
    }

    /// <summary>The loader's form: <paramref name="run"/> switches to the domain itself. After
    /// <paramref name="deadline"/>, <paramref name="onDeadline"/> is called once (the kernel kills the domain),
    /// and the wait goes on as after any kill.</summary>
    internal static T Run<T>(DomainCell* domain, Func<T> run, TimeSpan deadline, Action onDeadline, out RpcError gaveUp)
    {
        var work = new Work<T>(run, host: 0) { Cell = (nint)domain };
        gaveUp = Wait(work, domain, deadline, onDeadline);
        if (gaveUp.IsError) return default!;
        return work.Take();
    }

    private static RpcError Wait(WorkItem work, DomainCell* callee, TimeSpan? deadline, Action? onDeadline)
    {
        var w = t_worker ??= new Worker();
        // The worker makes its RRef accesses under this thread's access record: this thread waits while the worker
        // runs, so to the shared heap the two are one thread (a domain the host loads on a worker and then calls
        // directly, inside Microkernel.Enter, is not a domain racing itself).
        work.Record = (nint)Accesses.Register();
        InFlight.AddOrUpdate(callee->Id, 1, (_, n) => n + 1); // until the worker leaves the domain (RunOne)
        w.Start(work);
        long start = Environment.TickCount64, stoppedAt = -1;
        while (!work.Done.Wait(PollMs))
        {
            long now = Environment.TickCount64;
            if (deadline is { } d && onDeadline is not null && now - start >= d.TotalMilliseconds)
            {
                var once = onDeadline;
                onDeadline = null;
                KillUnderOwnRecord(once);
            }
            if (callee->State == DomainState.Running) continue;
            if (stoppedAt < 0) stoppedAt = now;
            else if (now - stoppedAt >= KillGrace.TotalMilliseconds && w.TryAbandon((AccessRecord*)work.Record, callee->Host))
            {
                t_worker = null;
                // The abandoned worker keeps this thread's record until it leaves; this thread takes a new one.
                w.KeepRecord(CurrentDomain.RecordOwner);
                CurrentDomain.Record = null;
                CurrentDomain.RecordOwner = null;
                // The worker may still end the call's lends, late: none of its ends in flight is left to race this
                // thread's next lend of the same object (Accesses.BeginAbandon).
                Accesses.SettleAbandon();
                var error = ProxyRuntime.AfterFailedCall(callee);
                ProxyRuntime.AwaitCleanup(callee); // a cleanup another thread started (the worker's proxy, a kill) has finished
                return error;
            }
        }
        w.Finished.Wait(); // Done is set just before; the worker may still be on its way back
        if (w.Retired) t_worker = null;
        return default;
    }

    /// <summary>Runs the deadline's kill on this thread under an access record of its own. The worker is still in the
    /// domain under this thread's record, and the kill's crash cleanup waits for every access in flight but its own
    /// thread's (Accesses.WaitFor(0)): under the shared record it would not wait for the worker's, and would free a
    /// slot the worker's write had just checked (red team, 2026-12-07, ReturnAttacks.cs: the write landed in another
    /// domain's object that took the slot). The record is this thread's again afterwards, for the worker's call.</summary>
    private static void KillUnderOwnRecord(Action kill)
    {
        var record = CurrentDomain.Record;
        var owner = CurrentDomain.RecordOwner;
        CurrentDomain.Record = null;
        CurrentDomain.RecordOwner = null;
        try { kill(); }
        finally
        {
            CurrentDomain.Record = record;
            CurrentDomain.RecordOwner = owner;
        }
    }

    /// <summary>Completes when every worker that was running a call into domain instance <paramref name="id"/>
    /// (given up on or not) has left it, or after <paramref name="bound"/>: the kernel confirms collection only
    /// after that, since a thread still in the domain's code roots it.</summary>
    internal static Task Left(int id, TimeSpan bound) => StillIn(id) ? WaitLeft(id, bound) : Task.CompletedTask;

    private static bool StillIn(int id) => InFlight.TryGetValue(id, out int n) && n > 0;

    private static Task WaitLeft(int id, TimeSpan bound) => Task.Run(() =>
    {
        var until = Environment.TickCount64 + (long)bound.TotalMilliseconds;
        while (StillIn(id) && Environment.TickCount64 < until) Thread.Sleep(20);
    });

    private abstract class WorkItem
    {
        public readonly ManualResetEventSlim Done = new(false);
        public ExceptionDispatchInfo? Thrown;
        /// <summary>The callee's (or the starting domain's) cell.</summary>
        public nint Cell;
        /// <summary>The waiting host thread's access record (AccessRecord*), used by the worker for the call.</summary>
        public nint Record;
        public abstract void Execute();
    }

    private sealed class Work<T>(Func<T> call, nint host) : WorkItem
    {
        public T Result = default!;

        /// <summary>The result (or the exception, thrown), leaving the work holding nothing of the call.</summary>
        public T Take()
        {
            var r = Result;
            Result = default!;
            call = null!;
            var thrown = Thrown;
            Thrown = null;
            thrown?.Throw();
            return r;
        }

        public override void Execute()
        {
            CurrentDomain.Cell = (DomainCell*)host; // the callee's kernel: the proxy's ordinary host path
            try { Result = call(); }
            catch (Exception e) { Thrown = ExceptionDispatchInfo.Capture(e); } // the proxy's own (caller's) errors: kernel types
            finally
            {
                CurrentDomain.Cell = null;
                CurrentDomain.StopThrownAt = 0;
                Done.Set();
            }
        }
    }

    private sealed class Worker
    {
        private const int Busy = 0, Finished_ = 1, Given_up = 2;
        private readonly SemaphoreSlim _go = new(0);
        public readonly ManualResetEventSlim Finished = new(false);
        private WorkItem? _work;
        private int _state;
        private object? _keptRecord;

        /// <summary>Holds the record's owner (so the record is not handed to another thread) while this abandoned
        /// worker may still be using it.</summary>
        public void KeepRecord(object? owner) => _keptRecord = owner;

        /// <summary>Set when the call's domain stopped: the thread ends instead of serving again, because a thread
        /// keeps the last exception thrown on it, which may be the domain's, rooting its code.</summary>
        public bool Retired;

        public Worker()
        {
            new Thread(Loop, WorkerStack) { IsBackground = true, Name = "redleaf host call" }.Start();
        }

        public void Start(WorkItem work)
        {
            _work = work;
            _state = Busy;
            Finished.Reset();
            _go.Release();
        }

        /// <summary>Gives up on the worker unless it finished meanwhile (then false: the caller takes its result). The call's
        /// late ends of lends are set apart first (Accesses.BeginAbandon; undone when the worker leaves).</summary>
        public bool TryAbandon(AccessRecord* record, DomainCell* host)
        {
            Interlocked.Increment(ref s_abandoned);
            _abandonedRecord = (nint)record;
            _abandonedHost = (nint)host;
            Accesses.BeginAbandon(record, host);
            if (Interlocked.CompareExchange(ref _state, Given_up, Busy) == Busy) return true;
            Accesses.EndAbandon(record, host);
            Interlocked.Decrement(ref s_abandoned);
            return false;
        }

        private nint _abandonedRecord, _abandonedHost;

        private void Loop()
        {
            // Sampled from the start (AllocationMeter): what a domain allocates here is charged to it even in
            // the worker's first call (a thread's first sample only sets its mark).
            CurrentDomain.AllocatedMark = Math.Max(1, GC.GetAllocatedBytesForCurrentThread());
            while (true)
            {
                _go.Wait();
                if (!RunOne()) return;
            }
        }

        /// <summary>Runs the work handed over; false if the thread must end. Out of line, so no reference to the
        /// work (whose closure may hold the domain's objects) stays on the thread's stack while it is idle.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private bool RunOne()
        {
            var work = _work!;
            _work = null;
            var own = CurrentDomain.Record;
            CurrentDomain.Record = (AccessRecord*)work.Record;
            try { work.Execute(); }
            finally { CurrentDomain.Record = own; }
            var cell = (DomainCell*)work.Cell;
            bool retire = cell->State != DomainState.Running;
            if (InFlight.AddOrUpdate(cell->Id, 0, (_, n) => n - 1) == 0) InFlight.TryRemove(new KeyValuePair<int, int>(cell->Id, 0));
            if (Interlocked.CompareExchange(ref _state, Finished_, Busy) == Given_up)
            {
                // Given up on while it was inside a domain: it has left now. The thread ends, and its
                // results (already dropped by the proxy it ran in) with it.
                Interlocked.Decrement(ref s_abandoned);
                Accesses.EndAbandon((AccessRecord*)_abandonedRecord, (DomainCell*)_abandonedHost); // its call's lends are all ended
                _keptRecord = null; // the host thread's old record may be reused once this thread is gone
                return false;
            }
            Retired = retire;
            Finished.Set();
            return !retire;
        }
    }
}

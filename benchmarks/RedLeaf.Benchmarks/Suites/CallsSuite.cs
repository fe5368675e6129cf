// benchmarks/RedLeaf.Benchmarks/Suites: Table 1 of the paper on this machine: what one cross-domain call costs, next to a
// plain interface call. The callee is domains/workloads/null_domain, loaded by the kernel and reached
// only through its generated proxy (CallTargets); the caller is host code running as the kernel's
// domain, so each call takes the same proxy path a domain-to-domain call takes.
// Beside them, measured in the same run with the same sampler, the hardware-isolation baselines
// (Baselines/): a trivial system call, a futex round trip between two threads, and a pipe round trip
// between two processes. Every row has its own call site: the operations are generic over a marker type
// per row (NullOp<Direct>, NullOp<Proxy>, ...), and the JIT compiles a struct instantiation, and the
// sampler's loop around it, separately for each, so no interface call site sees two targets (a shared
// one made `direct`, `proxy-null` and `shadow-null` one polymorphic dispatch).
// The shadow-domain rows of Table 1 (shadow-null, shadow-rref) go through workloads/shadow_bench; `proxy-crash`, a call
// whose callee throws (the path where .NET pays for the paper's cheap calls), is CrashCall's, in a kernel of its own.
using System.Text.Json.Nodes;
using RedLeaf.Abi;
using RedLeaf.Benchmarks.Baselines;
using RedLeaf.Hardware;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Measure;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;

namespace RedLeaf.Benchmarks.Suites;

public static class CallsSuite
{
    public const string Name = "calls";

    /// <summary>Every row this suite produces, in order.</summary>
    public static readonly string[] RowNames =
        { "direct", "proxy-null", "proxy-arg", "proxy-rref", "proxy-borrow", "shadow-null", "shadow-rref", CrashCall.RowName, "syscall", "thread-pingpong", "pipe-pingpong" };

    /// <summary>Timed crashing calls of the proxy-crash row (each needs a restart and a confirmed collection: milliseconds).</summary>
    public static int ProxyCrashCalls(bool quick) => quick ? 200 : 1_000;

    public static SuiteResult Run(bool quick, Action<string>? progress = null)
    {
        var settings = quick ? SamplerSettings.Quick : SamplerSettings.Full;
        var slow = quick ? SamplerSettings.QuickSlow : SamplerSettings.FullSlow;
        progress ??= _ => { };
        progress($"calls: clock {Tsc.Source} at {Tsc.Hz / 1e9:F3} GHz, read cost {Tsc.ReadCost:F1} cycles");

        var rows = new List<BenchRow>();
        BenchRow Row<T>(string name, T op, SamplerSettings? with = null) where T : struct, IOperation
        {
            progress($"calls: {name} ...");
            var m = Sampler.Measure(ref op, with ?? settings);
            var row = BenchRow.FromMeasurement(name, m);
            progress($"calls: {name} median {m.Batch.Median:F1} cycles, {m.AllocBytesPerOp:F2} bytes/op");
            rows.Add(row);
            return row;
        }

        using (var targets = new CallTargets())
        {
            IBench proxy = targets.Proxy;
            var payload = targets.Payload;
            Row("direct", new NullOp<Direct> { Target = targets.Direct });
            Row("proxy-null", new NullOp<Proxy> { Target = proxy });
            Row("proxy-arg", new ArgOp { Target = proxy });
            Row("proxy-rref", new BounceOp<Proxy> { Target = proxy, Payload = payload });
            Row("proxy-borrow", new BorrowOp { Target = proxy, Payload = payload });
            Row("shadow-null", new NullOp<Shadow> { Target = targets.Shadow });
            Row("shadow-rref", new BounceOp<Shadow> { Target = targets.Shadow, Payload = payload });
            targets.CheckCalleeRunning();
        }

        // In a kernel of its own (crash_domain, restarted before every timed call), after the rows above.
        using (var crash = new CrashCall())
        {
            progress($"calls: {CrashCall.RowName} ({ProxyCrashCalls(quick)} crashes, each on a fresh instance) ...");
            var row = crash.Measure(ProxyCrashCalls(quick), slow);
            progress($"calls: {CrashCall.RowName} median {row.Number("median_cycles"):F0} cycles ({row.Number("median_ns"):F0} ns), restart median {row.Number("restart_median_us"):F0} us");
            rows.Add(row);
        }

        Row("syscall", new SyscallOp(), slow);
        using (var threads = new ThreadPingPong())
        {
            Row("thread-pingpong", new ThreadPingPongOp { Pair = threads }, slow);
            if (threads.Served == 0) throw new InvalidOperationException("thread-pingpong: the partner thread answered no request");
        }
        using (var pipes = new PipePingPong())
            Row("pipe-pingpong", new PipePingPongOp { Pair = pipes }, slow);

        return new SuiteResult(Name, quick, rows) { Details = Details(settings, slow) };
    }

    /// <summary>What each row timed, so a reader of the JSON need not read this code.</summary>
    private static JsonObject Details(SamplerSettings fast, SamplerSettings slow) => new()
    {
        ["sampling"] = $"median/p90/p99/min over batches (per-op cost = batch time minus one timer read, divided by the batch size); "
            + $"proxy rows {fast.Batches} batches of {fast.BatchSize}, baseline rows {slow.Batches} batches of {slow.BatchSize}; "
            + "per-call samples (timer read cost subtracted) kept in memory for histograms; "
            + "*_cycles are TSC ticks (clock.hz), median_ns the median in nanoseconds; each row its own call site (a struct instantiation per row); "
            + $"warm-up {fast.Warmup.TotalMilliseconds:F0} ms then until the JIT compiled nothing for {fast.QuietSlice.TotalMilliseconds:F0} ms; a run whose first and last thirds "
            + $"(median of their batches) differ by more than {fast.ThirdsTolerance:P0} is rejected and re-measured, up to {fast.MaxAttempts} times (attempts, thirds_ratio, settled)",
        ["rows"] = new JsonObject
        {
            ["direct"] = "IBench.Null on a plain C# object through the interface: no domain boundary",
            ["proxy-null"] = "IBench.Null through the generated proxy into domains/workloads/null_domain",
            ["proxy-arg"] = "IBench.Arg(long) through the proxy",
            ["proxy-rref"] = "IBench.Bounce: one RRef<Payload64> moved to the callee and moved back in the result",
            ["proxy-borrow"] = "IBench.Borrow: one RRef<Payload64> lent immutably, the callee reads it",
            [CrashCall.RowName] = "IBench.Arg(-1) through the generated proxy into domains/workloads/crash_domain, which throws: the exception "
                + "dispatched to the proxy's catch, the crash record's reading of it as the callee, the switch back, the crash cleanup on the caller's "
                + "thread (instance marked crashed, its heap objects dropped, proxies unbound, load context unloaded), until RpcErrorKind.CalleeCrashed "
                + "is back in the caller; one timed call per fresh instance (untimed before it: waiting for the previous instance's collection, "
                + "Restart (restart_*, the ordinary path: no standby), and Arg(1) to JIT the instance's method); the first "
                + $"{CrashCall.Discarded} crashes discarded; beside it, measured on their own: kill_*, the kernel's cleanup of a fresh, warmed, idle instance "
                + "(Microkernel.Kill: no exception, no proxy), throw_catch_*, the same exception thrown and caught one frame up in host code (the unwinding alone)",
            ["syscall"] = "getppid(2) via P/Invoke into glibc, SuppressGCTransition (kernel entry/exit plus glibc's wrapper)",
            ["thread-pingpong"] = "round trip to a second thread through a Linux futex word (FUTEX_WAIT/FUTEX_WAKE_PRIVATE, no spinning): two wakes, up to two sleeps; both threads pinned to one CPU",
            ["pipe-pingpong"] = "round trip to a child process (native/pipe_echo, C, gcc) through two pipes: write(2) one byte, read(2) the echo; both processes pinned to one CPU",
            ["shadow-null"] = "IBench.Null through the shadow domain workloads/shadow_bench into null_domain: two crossings and the shadow's check",
            ["shadow-rref"] = "IBench.Bounce through the shadow: the RRef moved host -> shadow -> null_domain and back out the same way",
        },
        ["kernel_mitigations"] = Syscall.Mitigations(),
    };

    // Marker types: one per target, so each row's operation is its own instantiation and call site.
    private struct Direct;
    private struct Proxy;
    private struct Shadow;

    private struct NullOp<TSite> : IOperation where TSite : struct
    {
        public IBench Target;
        public void Run() => Target.Null();
    }

    private struct ArgOp : IOperation
    {
        public IBench Target;
        public void Run() => Target.Arg(42);
    }

    /// <summary>Moves the payload to the callee and back: after every call the host owns it again.</summary>
    private struct BounceOp<TSite> : IOperation where TSite : struct
    {
        public IBench Target;
        public RRef<Payload64> Payload;
        public void Run()
        {
            var r = Target.Bounce(Payload);
            if (!r.IsOk) throw new InvalidOperationException($"bounce failed: {r.Error}");
            Payload = r.Value;
        }
    }

    private struct BorrowOp : IOperation
    {
        public IBench Target;
        public RRef<Payload64> Payload;
        public void Run() => Target.Borrow(in Payload);
    }

    private struct SyscallOp : IOperation
    {
        public void Run() => Syscall.GetParentPid();
    }

    private struct ThreadPingPongOp : IOperation
    {
        public ThreadPingPong Pair;
        public void Run() => Pair.RoundTrip();
    }

    private struct PipePingPongOp : IOperation
    {
        public PipePingPong Pair;
        public void Run() => Pair.RoundTrip();
    }
}

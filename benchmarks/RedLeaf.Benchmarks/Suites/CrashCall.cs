// benchmarks/RedLeaf.Benchmarks/Suites: Table 1's `proxy-crash` row: what a cross-domain call costs when its callee crashes,
// the path where .NET pays for the paper's cheap calls. RedLeaf saves the caller's continuation on every call
// (86 of its 124 cycles) so that a panic can return to it; our proxies save nothing, because .NET unwinds from
// tables, and pay on the crash instead: the exception is dispatched (two passes over the callee's frames) to the
// proxy's catch, which reads what the crash record keeps of it as the callee, switches back, and runs the crash
// cleanup on the caller's thread (the instance marked crashed, its shared-heap objects dropped, its proxies
// unbound, its load context unloaded) before the caller gets RpcErrorKind.CalleeCrashed.
// A crashed domain stays crashed, so each timed call needs a fresh instance: one iteration is
//   wait until the previous instance's code is confirmed collected (the kernel's default cleanup finishes in
//   the background: nothing of it may run during the timed call) -> Restart (timed on its own) -> Arg(1) on the
//   new instance (its JIT and first-arrival bookkeeping, untimed) -> timed: Arg(-1) through the proxy, which
//   throws in domains/workloads/crash_domain, until the error is back in the caller.
// Beside it, to split the cost: the same cleanup alone (kill_*: the kernel kills a fresh, warmed, idle instance; no
// exception, no proxy), and the same exception thrown and caught one frame up in host code (throw_catch_*: no domain,
// no cleanup), which is .NET's unwinding alone.
using System.Runtime.CompilerServices;
using RedLeaf.Abi;
using RedLeaf.Hardware;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Measure;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;

namespace RedLeaf.Benchmarks.Suites;

public sealed class CrashCall : IDisposable
{
    public const string RowName = "proxy-crash";

    /// <summary>Crashes at the start of a run that are not kept: the first exception in the process and the
    /// first crash cleanup compile and warm their paths.</summary>
    public const int Discarded = 5;

    readonly Microkernel _kernel;
    readonly Domain _domain;
    readonly KernelScope _scope;

    /// <summary>Boots a kernel with the default options (crash cleanup confirms collection) and loads crash_domain.
    /// Enters the kernel's domain on the calling thread; use and dispose it there.</summary>
    public CrashCall()
    {
        _kernel = Microkernel.Boot(new MachineConfig { MemoryBytes = 64L << 20 });
        _domain = _kernel.Load(TrustedCompiler.Default.CompileFolder(DomainTree.Folder("workloads/crash_domain")));
        _scope = _kernel.Enter();
    }

    /// <summary>The kernel's records of the crashes so far (a crash and a kill per timed call, and per discarded one).</summary>
    public IReadOnlyList<CrashRecord> Crashes => _domain.Crashes;

    /// <summary>Times <paramref name="crashes"/> crashing calls and as many kills (after <see cref="Discarded"/> untimed
    /// ones); returns the row: the crashing call's ticks as the calls suite's other rows have them, and beside them the
    /// kills (kill_*), the host-only throw and catch (throw_catch_*), the restarts (restart_*).</summary>
    public BenchRow Measure(int crashes, SamplerSettings throwSettings)
    {
        if (crashes < 3) throw new ArgumentOutOfRangeException(nameof(crashes), crashes, "at least 3 crashes (the row reports thirds)");
        double readCost = Tsc.ReadCost;
        var ticks = new double[crashes];
        var kills = new double[crashes];
        var restarts = new double[crashes];
        var collectedMs = new double[crashes];
        long allocated = 0;
        for (int i = -Discarded; i < crashes; i++)
        {
            var proxy = Fresh(i == -Discarded, out double restart, out double waited);
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            ulong t0 = Tsc.Read();
            var r = proxy.Arg(-1);
            ulong t1 = Tsc.Read();
            long a1 = GC.GetAllocatedBytesForCurrentThread();
            if (r.IsOk || r.Error.Kind != RpcErrorKind.CalleeCrashed)
                throw new InvalidOperationException($"{RowName}: Arg(-1) returned {(r.IsOk ? $"a value, {r.Value}" : r.Error)}, not CalleeCrashed");
            if (_domain.Status != DomainStatus.Crashed)
                throw new InvalidOperationException($"{RowName}: after the crashing call crash_domain is {_domain.Status}, not Crashed");

            // The same cleanup with no exception and no proxy: the kernel kills a fresh, warmed, idle instance.
            Fresh(false, out _, out _);
            ulong k0 = Tsc.Read();
            _kernel.Kill(_domain, "killed by bench calls (proxy-crash's cleanup alone)");
            ulong k1 = Tsc.Read();
            if (_domain.Status != DomainStatus.Killed)
                throw new InvalidOperationException($"{RowName}: after the kill crash_domain is {_domain.Status}, not Killed");
            if (i < 0) continue;
            ticks[i] = Math.Max(0, t1 - t0 - readCost);
            kills[i] = Math.Max(0, k1 - k0 - readCost);
            restarts[i] = restart;
            collectedMs[i] = waited;
            allocated += a1 - a0;
        }
        AwaitCollected(); // nothing of the last cleanup runs on into the next row

        double ratio = Sampler.ThirdsRatio(ticks, out double first, out double last);
        bool settled = Math.Max(first, last) <= Math.Min(first, last) * 1.2;
        var m = new Measurement(Stats.Of(ticks), ticks, (double)allocated / crashes, crashes, ticks, 1, ratio, settled);
        var restartStats = Stats.Of(restarts);
        var kill = Stats.Of(kills);
        var throwOp = new HostThrowOp();
        var thrown = Sampler.Measure(ref throwOp, throwSettings);
        if (throwOp.Caught == 0) throw new InvalidOperationException($"{RowName}: the host throw-and-catch loop caught nothing");
        return BenchRow.FromMeasurement(RowName, m)
            .Set("crashes", crashes)
            .Set("kill_median_cycles", BenchRow.Round(kill.Median))
            .Set("kill_median_ns", BenchRow.Round(BenchRow.Nanoseconds(kill.Median)))
            .Set("throw_catch_median_cycles", BenchRow.Round(thrown.Batch.Median))
            .Set("throw_catch_median_ns", BenchRow.Round(BenchRow.Nanoseconds(thrown.Batch.Median)))
            .Set("throw_catch_alloc_bytes_per_op", BenchRow.Round(thrown.AllocBytesPerOp))
            .Set("restart_median_cycles", BenchRow.Round(restartStats.Median))
            .Set("restart_median_us", BenchRow.Round(BenchRow.Nanoseconds(restartStats.Median) / 1000))
            .Set("collected_wait_median_ms", BenchRow.Round(Stats.Of(collectedMs).Median));
    }

    /// <summary>A running, warmed instance: unless <paramref name="first"/> (the one Load started), waits for the last
    /// instance's collection and restarts (timed, in ticks); then Arg(1), which JITs this instance's Arg.</summary>
    IBench Fresh(bool first, out double restartTicks, out double waitedMs)
    {
        restartTicks = waitedMs = 0;
        if (!first || _domain.Status != DomainStatus.Running)
        {
            waitedMs = AwaitCollected();
            ulong r0 = Tsc.Read();
            _kernel.Restart(_domain);
            ulong r1 = Tsc.Read();
            restartTicks = r1 - r0 - Tsc.ReadCost;
        }
        var proxy = _domain.Get<IBench>();
        var warm = proxy.Arg(1);
        if (!warm.IsOk || warm.Value != 1) throw new InvalidOperationException($"{RowName}: crash_domain's warming call Arg(1) returned {(warm.IsOk ? warm.Value : warm.Error)}, not 1");
        return proxy;
    }

    /// <summary>Waits until the last crashed instance's load context is confirmed collected (so no background
    /// collection runs during the next timed call); returns how long that took, in milliseconds.</summary>
    double AwaitCollected()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        if (_domain.LastCrash is { } crash && !crash.Collection.Wait(TimeSpan.FromSeconds(30)))
            throw new TimeoutException($"{RowName}: crash_domain#{crash.InstanceId}'s load context was not collected within 30 s");
        return sw.Elapsed.TotalMilliseconds;
    }

    public void Dispose()
    {
        _scope.Dispose();
        _kernel.Dispose();
    }

    /// <summary>The same exception type and message as crash_domain's, thrown one frame down in host code and caught.</summary>
    struct HostThrowOp : IOperation
    {
        public long Caught;

        public void Run()
        {
            try { Throw(); }
            catch (InvalidOperationException) { Caught++; }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static void Throw() => throw new InvalidOperationException("crash_domain crashed on purpose (a negative argument)");
    }
}

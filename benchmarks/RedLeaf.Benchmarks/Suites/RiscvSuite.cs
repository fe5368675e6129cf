// benchmarks/RedLeaf.Benchmarks/Suites: the RISC-V interpreter's speed inside rv6 (issue 6): RISC-V programs compiled at -O2
// (domains/rv6/cuser) run as rv6 processes, from `sh -c` to exit, and we count the instructions the
// machine's interpreter actually retired (RiscvHart.RetiredTotal) over the wall time of the whole run,
// including the process's spawn, its domain's load and the ELF load. Rows: `compute` (a sieve and a
// matrix multiply: almost no system calls) and `syscall` (getpid, uptime, and a one-byte pipe write and
// read per round: each ecall leaves the interpreter for a cross-domain call into rv6's core; us_per_call
// subtracts the time of a process that does nothing, `true`).
using System.Diagnostics;
using RedLeaf.Hardware.Riscv;
using RedLeaf.Measure;
using RedLeaf.Systems.Rv6;

namespace RedLeaf.Benchmarks.Suites;

public static class RiscvSuite
{
    public const string Name = "riscv";

    public static SuiteResult Run(bool quick, Action<string>? progress = null)
    {
        progress ??= _ => { };
        using var rv6 = Rv6System.Boot(new Rv6Options { Image = RiscvPrograms.Image(), ConfirmCollection = false });
        Expect(rv6, "sieve 1000 1", "sieve: 168 primes below 1000");        // warm: the interpreter domain compiled, JIT warm
        Expect(rv6, "matmul 8 1", "matmul: n=8");
        Expect(rv6, "sysbench 10", "sysbench: 10 rounds");

        int passes = quick ? 3 : 5;
        var sieve = MedianPass(rv6, quick ? "sieve 200000 30" : "sieve 200000 100", "sieve: 17984 primes below 200000", quick, passes, progress);
        var matmul = MedianPass(rv6, quick ? "matmul 128 3" : "matmul 160 8", "matmul: n=", quick, passes, progress);
        int rounds = quick ? 50000 : 200000;
        var empty = MedianPass(rv6, "true", "", quick, passes, progress);   // a process that does nothing: spawn to exit
        var sys = MedianPass(rv6, $"sysbench {rounds}", $"sysbench: {rounds} rounds", quick, passes, progress);

        int forks = quick ? 50 : 200;
        // What the JIT still compiles per fork (with a domain per process it compiled the interpreter's methods
        // again in each fresh collectible load context; now one domain serves them all), by the runtime's JIT counters over
        // the fork passes themselves (every pass's forks, not only the median pass's).
        var jit0 = System.Runtime.JitInfo.GetCompilationTime();
        long methods0 = System.Runtime.JitInfo.GetCompiledMethodCount();
        var fork = MedianPass(rv6, $"forkbench {forks}", $"forkbench: {forks} fork", quick, passes, progress);
        double jitMsPerFork = (System.Runtime.JitInfo.GetCompilationTime() - jit0).TotalMilliseconds / (forks * passes);
        double methodsPerFork = (double)(System.Runtime.JitInfo.GetCompiledMethodCount() - methods0) / (forks * passes);
        var forkExec = MedianPass(rv6, $"forkbench {forks} exec", $"forkbench: {forks} fork+exec", quick, passes, progress);
        double copyUs = CopyMicroseconds(rv6, 24 * 1024);

        double computeMips = (sieve.Retired + matmul.Retired) / (sieve.Seconds + matmul.Seconds) / 1e6;
        progress($"riscv: fork {(fork.Seconds - empty.Seconds) * 1e6 / forks:F0} us, fork+exec {(forkExec.Seconds - empty.Seconds) * 1e6 / forks:F0} us, copy of 24 KiB alone {copyUs:F1} us");
        progress($"riscv: compute {computeMips:F1} MIPS (sieve {sieve.Mips:F1}, matmul {matmul.Mips:F1}); syscall {sys.Mips:F1} MIPS, {rounds * 4 / sys.Seconds:F0} calls/s");
        var rows = new List<BenchRow>
        {
            new BenchRow("compute").Set("mips", BenchRow.Round(computeMips))
                .Set("sieve_mips", BenchRow.Round(sieve.Mips)).Set("matmul_mips", BenchRow.Round(matmul.Mips))
                .Set("retired", sieve.Retired + matmul.Retired).Set("seconds", BenchRow.Round(sieve.Seconds + matmul.Seconds))
                .Set("programs", $"{sieve.Command}; {matmul.Command}"),
            new BenchRow("syscall").Set("mips", BenchRow.Round(sys.Mips))
                .Set("calls_per_s", BenchRow.Round(rounds * 4 / sys.Seconds)).Set("us_per_call", BenchRow.Round((sys.Seconds - empty.Seconds) * 1e6 / (rounds * 4)))
                .Set("empty_process_ms", BenchRow.Round(empty.Seconds * 1e3))
                .Set("retired", sys.Retired).Set("seconds", BenchRow.Round(sys.Seconds)).Set("programs", sys.Command),
            // What a process costs: fork = copy the address space, park it, spawn `riscv -fork` (a new program
            // object of the one interpreter domain, on a pooled kernel thread), adopt; jit_ms_per_fork is what
            // the JIT still compiles per fork (near 0 since one domain serves every RISC-V process: with a
            // domain per process it was 4.5 ms); copy_us, what copying the same address space alone costs.
            new BenchRow("fork").Set("us_per_fork", BenchRow.Round((fork.Seconds - empty.Seconds) * 1e6 / forks))
                .Set("us_per_fork_exec", BenchRow.Round((forkExec.Seconds - empty.Seconds) * 1e6 / forks))
                .Set("jit_ms_per_fork", BenchRow.Round(jitMsPerFork)).Set("methods_jitted_per_fork", BenchRow.Round(methodsPerFork))
                .Set("copy_us", BenchRow.Round(copyUs)).Set("forks", forks).Set("programs", $"{fork.Command}; {forkExec.Command}"),
        };
        return new SuiteResult(Name, quick, rows)
        {
            Details =
            {
                ["method"] = "instructions retired by the interpreter / wall time of `sh -c PROGRAM` (spawn, domain load, ELF load, run, exit); the median pass (by MIPS; by time for fork and empty), as every suite reports medians",
                ["compiler"] = $"{RiscvPrograms.Compiler} {string.Join(' ', RiscvPrograms.Flags)}",
                ["passes"] = passes,
                ["confirm_collection"] = false, // C# processes (the shell) are domains: a collection confirmed per exit would time the GC, not the process
            },
        };
    }

    /// <summary>Microseconds to copy an address space of <paramref name="bytes"/> (RiscvAddressSpace.Clone, fork's uvmcopy), median of 201.</summary>
    private static double CopyMicroseconds(Rv6System rv6, int bytes)
    {
        var space = new RiscvAddressSpace(rv6.Loader.Riscv.Pool);
        if (!space.Resize((ulong)bytes)) throw new InvalidOperationException("riscv bench: no memory for the copy measurement");
        try
        {
            var us = new double[201];
            for (int i = 0; i < us.Length; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                var c = space.Clone() ?? throw new InvalidOperationException("riscv bench: no memory for the copy measurement");
                us[i] = (Stopwatch.GetTimestamp() - t0) * 1e6 / Stopwatch.Frequency;
                c.Free();
            }
            Array.Sort(us);
            return us[us.Length / 2];
        }
        finally { space.Free(); }
    }

    private sealed record Pass(string Command, long Retired, double Seconds)
    {
        public double Mips => Retired / Seconds / 1e6;
    }

    /// <summary>Runs the command <paramref name="passes"/> times and returns the median pass, ranked by
    /// instructions per second (a pass retiring nothing, `true` or a fork loop, by its time).</summary>
    private static Pass MedianPass(Rv6System rv6, string command, string expect, bool quick, int passes, Action<string> progress)
    {
        var all = new List<Pass>(passes);
        for (int i = 0; i < passes; i++)
        {
            long r0 = RiscvHart.RetiredTotal;
            var sw = Stopwatch.StartNew();
            Expect(rv6, command, expect);
            var p = new Pass(command, RiscvHart.RetiredTotal - r0, sw.Elapsed.TotalSeconds);
            progress($"riscv: {command}: {p.Retired:N0} instructions in {p.Seconds * 1e3:F0} ms = {p.Mips:F1} MIPS");
            all.Add(p);
        }
        var ranked = all.OrderBy(p => p.Seconds / Math.Max(1, p.Retired)).ToList();
        return ranked[(ranked.Count - 1) / 2];
    }

    private static void Expect(Rv6System rv6, string command, string expect)
    {
        var r = rv6.Run(command);
        if (r.Status != 0 || !r.Text.Contains(expect))
            throw new InvalidOperationException($"riscv bench: `{command}` exited {r.Status} with output {r.Text.Trim()} (expected {expect})");
    }
}

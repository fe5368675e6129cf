// benchmarks/RedLeaf.Benchmarks/Suites: `redleaf bench rv6`, what a process costs in rv6 (issue 19, item 4), each row beside
// Linux doing the same on this machine in the same run (Native/procbench.c, gcc -O2; exec of a static binary,
// Native/true_static.c). Rows: `fork` and `fork-exec` (RISC-V processes: `forkbench K [exec]`, the child exits at
// once and the parent waits; microseconds per fork, from a pass of 110 (410) forks less one of 10), `pipe` (MB/s through a pipe between two RISC-V processes, `pipebench` of 16 MiB less one of 64 KiB, 4 KiB
// writes and reads; rv6's pipe
// holds 64 KiB, as Linux's, where xv6's holds 512 bytes: domains/rv6/core/param.cs), `spawn-sh` (the shell line `echo hi | wc`: two C# programs, each a
// fresh domain, joined by a pipe) and `boot-warm` (booting another rv6 in the same process: images cached, JIT
// warm). Each has median_us (or median mb_per_s) and p90 over its passes; a pass of fork rows times K forks.
using System.Diagnostics;
using System.Globalization;
using RedLeaf.Benchmarks.Native;
using RedLeaf.Measure;
using RedLeaf.Systems.Rv6;

namespace RedLeaf.Benchmarks.Suites;

public static class Rv6Suite
{
    public const string Name = "rv6";

    public static SuiteResult Run(bool quick, Action<string>? progress = null)
    {
        progress ??= _ => { };
        int passes = quick ? 7 : 21, forks = quick ? 100 : 400, fewForks = 10, pipeKib = quick ? 16384 : 65536, pipeSmallKib = 64;
        var options = new Rv6Options { Image = RiscvPrograms.Image() };
        var rows = new List<BenchRow>();
        using (var rv6 = Rv6System.Boot(options))
        {
            Expect(rv6, "forkbench 5", "forkbench: 5 fork");           // warm: the interpreter domain loaded, JIT warm
            Expect(rv6, "forkbench 5 exec", "forkbench: 5 fork+exec");
            Expect(rv6, "pipebench 64", "pipebench: 64 KiB");
            Expect(rv6, "echo hi | wc", "1 1 3");

            double empty = Median(Times(rv6, "true", "", passes, progress));
            // Per fork from two sizes (as the pipe below): a pass of fewForks + forks less a pass of fewForks, paired in
            // order, over forks; a separate `true` pass subtracted was noisier than 40 forks under load (a median went negative).
            var fork = PerOp(Paired(rv6, ($"forkbench {fewForks}", $"forkbench: {fewForks} fork"),
                ($"forkbench {fewForks + forks}", $"forkbench: {fewForks + forks} fork"), passes, progress), forks);
            var forkExec = PerOp(Paired(rv6, ($"forkbench {fewForks} exec", $"forkbench: {fewForks} fork+exec"),
                ($"forkbench {fewForks + forks} exec", $"forkbench: {fewForks + forks} fork+exec"), passes, progress), forks);
            // The pipe's rate from two sizes (the difference cancels the processes' start and exit, which at 16 MiB
            // would otherwise be most of a pass): passes paired in order, MB/s = extra bytes / extra time.
            var (small, big) = Paired(rv6, ($"pipebench {pipeSmallKib}", $"pipebench: {pipeSmallKib} KiB"), ($"pipebench {pipeKib}", $"pipebench: {pipeKib} KiB"), passes, progress);
            var pipe = big.Select((s, i) => (pipeKib - pipeSmallKib) * 1024.0 / Math.Max(1e-9, s - small[i]) / 1e6).ToArray();
            var sh = Times(rv6, "echo hi | wc", "1 1 3", passes, progress).Select(s => s * 1e6).ToArray();

            double linuxFork = Median(Native(passes, "fork", forks.ToString(CultureInfo.InvariantCulture)));
            double linuxForkExec = Median(Native(passes, "forkexec", forks.ToString(CultureInfo.InvariantCulture), NativeBenchLibrary.TrueStaticPath));
            double linuxPipe = Median(Native(passes, "pipe", pipeKib.ToString(CultureInfo.InvariantCulture)));
            progress($"rv6: fork {Median(fork):F0} us (Linux {linuxFork:F0}), fork+exec {Median(forkExec):F0} us (Linux {linuxForkExec:F0}), pipe {Median(pipe):F0} MB/s (Linux {linuxPipe:F0}), echo hi | wc {Median(sh):F0} us");

            rows.Add(Latency("fork", fork, linuxFork).Set("forks_per_pass", forks).Set("empty_process_us", BenchRow.Round(empty * 1e6)));
            rows.Add(Latency("fork-exec", forkExec, linuxForkExec).Set("forks_per_pass", forks));
            rows.Add(new BenchRow("pipe").Set("mb_per_s", BenchRow.Round(Median(pipe))).Set("p10_mb_per_s", BenchRow.Round(Percentile(pipe, 0.10)))
                .Set("linux_mb_per_s", BenchRow.Round(linuxPipe)).Set("of_linux", BenchRow.Round(Median(pipe) / linuxPipe)).Set("kib", pipeKib));
            rows.Add(Latency("spawn-sh", sh, null).Set("line", "echo hi | wc"));
        }

        var boots = new double[Math.Max(3, passes / 2)];
        for (int i = 0; i < boots.Length; i++)
        {
            var sw = Stopwatch.StartNew();
            using (Rv6System.Boot(options)) { }
            boots[i] = sw.Elapsed.TotalMilliseconds * 1e3;
            progress($"rv6: boot {boots[i] / 1e3:F1} ms (boot and shut down)");
        }
        rows.Add(Latency("boot-warm", boots, null));

        return new SuiteResult(Name, quick, rows)
        {
            Details =
            {
                ["method"] = "wall time of rv6.Run(LINE) (the shell's spawn, the program, exit, wait), a pass per run; fork rows: (a pass of 10 + forks_per_pass forks - a pass of 10) / forks_per_pass; pipe: the same with 16 MiB and 64 KiB; median and p90 over passes",
                ["baseline"] = "Linux on this machine, same run: native/procbench (gcc -O2): fork + _exit + waitpid; fork + execv of a static binary (gcc -static) + waitpid; a pipe, 4 KiB writes and reads",
                ["riscv_process_model"] = "one interpreter domain serves every RISC-V process (domains/rv6/README.md, RISC-V processes)",
                ["passes"] = passes,
                ["confirm_collection"] = true,
            },
        };
    }

    /// <summary>Microseconds per operation: each big pass less the small pass of the same index, over the extra operations.</summary>
    private static double[] PerOp((double[] Small, double[] Big) t, int extra) => t.Big.Select((s, i) => (s - t.Small[i]) * 1e6 / extra).ToArray();

    /// <summary>Passes of two lines, alternated (small, big, small, ...), so a trend (warm-up, a neighbour's load) hits both alike.</summary>
    private static (double[] Small, double[] Big) Paired(Rv6System rv6, (string Line, string Expect) small, (string Line, string Expect) big, int passes, Action<string> progress)
    {
        var s = new double[passes];
        var b = new double[passes];
        for (int i = 0; i < passes; i++)
        {
            s[i] = Times(rv6, small.Line, small.Expect, 1, _ => { })[0];
            b[i] = Times(rv6, big.Line, big.Expect, 1, _ => { })[0];
        }
        progress($"rv6: {small.Line} / {big.Line}: medians {Median(s) * 1e3:F2} / {Median(b) * 1e3:F2} ms over {passes} alternated passes");
        return (s, b);
    }

    private static BenchRow Latency(string name, double[] us, double? linux)
    {
        var row = new BenchRow(name).Set("median_us", BenchRow.Round(Median(us))).Set("p90_us", BenchRow.Round(Percentile(us, 0.90)));
        if (linux is { } l) row.Set("linux_us", BenchRow.Round(l)).Set("of_linux", BenchRow.Round(Median(us) / l));
        return row;
    }

    private static double[] Times(Rv6System rv6, string line, string expect, int passes, Action<string> progress)
    {
        var s = new double[passes];
        for (int i = 0; i < passes; i++)
        {
            var sw = Stopwatch.StartNew();
            Expect(rv6, line, expect);
            s[i] = sw.Elapsed.TotalSeconds;
        }
        progress($"rv6: {line}: median {Median(s) * 1e3:F2} ms over {passes} passes");
        return s;
    }

    private static double[] Native(int passes, params string[] args)
    {
        var r = new double[passes];
        for (int i = 0; i < passes; i++)
        {
            var psi = new ProcessStartInfo(NativeBenchLibrary.ProcBenchPath) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0 || !double.TryParse(output.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out r[i]))
                throw new InvalidOperationException($"rv6 bench: procbench {string.Join(' ', args)} exited {p.ExitCode}: {output.Trim()} {p.StandardError.ReadToEnd().Trim()}");
        }
        return r;
    }

    private static void Expect(Rv6System rv6, string line, string expect)
    {
        var r = rv6.Run(line);
        if (r.Status != 0 || !r.Text.Contains(expect, StringComparison.Ordinal))
            throw new InvalidOperationException($"rv6 bench: `{line}` exited {r.Status} with output {r.Text.Trim()} (expected {expect})");
    }

    private static double Median(double[] v) => Percentile(v, 0.5);

    private static double Percentile(double[] v, double q)
    {
        var s = v.OrderBy(x => x).ToArray();
        return s[Math.Min(s.Length - 1, (int)Math.Round(q * (s.Length - 1)))];
    }
}

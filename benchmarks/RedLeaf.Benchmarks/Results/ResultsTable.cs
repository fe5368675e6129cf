// benchmarks/RedLeaf.Benchmarks/Results: the README's results tables, generated from recorded runs (datasets/results/) and
// the paper's figures (datasets/reference/), by `./redleaf results table`. Each table names the command
// that produced its rows and shows every recorded run of it side by side (noise is part of the
// result); the paper's figure, where there is one, sits in its own column. Nothing here is typed in
// by hand: a row we have not measured is listed as not measured, never filled in.
using System.Text;
using System.Text.Json.Nodes;
using RedLeaf.Benchmarks.Suites;
using RedLeaf.Measure.Results;
using static RedLeaf.Measure.Results.Markdown;

namespace RedLeaf.Benchmarks.Results;

public sealed partial class ResultsTable
{
    readonly ResultsStore _results;
    readonly ReferenceData _reference;
    readonly string? _sourceRoot;

    /// <param name="sourceRoot">The repository whose trusted computing base the table counts (TrustedBase);
    /// null leaves that section out.</param>
    public ResultsTable(ResultsStore results, ReferenceData reference, string? sourceRoot = null)
    {
        _results = results;
        _reference = reference;
        _sourceRoot = sourceRoot;
    }

    public static ResultsTable Default => new(ResultsStore.Default, ReferenceData.Default, Path.GetDirectoryName(Datasets.Folder));

    static readonly Dictionary<string, string> CallLabels = new()
    {
        ["direct"] = "plain interface call",
        ["proxy-null"] = "cross-domain null call",
        ["proxy-arg"] = "call with one integer",
        ["proxy-rref"] = "call moving one RRef in and back out",
        ["proxy-borrow"] = "call lending an RRef immutably",
        ["shadow-null"] = "null call through a shadow domain (two crossings)",
        ["shadow-rref"] = "RRef moved through a shadow domain, in and back out",
        ["proxy-crash"] = "call whose callee throws: unwinding, crash cleanup, error back (a fresh instance each)",
        ["syscall"] = "Linux system call (getppid)",
        ["thread-pingpong"] = "round trip between two threads (futex)",
        ["pipe-pingpong"] = "round trip between two processes (pipes)",
    };

    // Other suites: which field of a row is its headline, and how to say it (keyed "suite/row" where a
    // row name alone would be ambiguous across suites, else by the row name).
    static readonly Dictionary<string, (string Label, string Field, string Unit, double Scale)> Headlines = new()
    {
        ["load-warm"] = ("load + verify signature + start a domain, warm (median)", "median_us", "ms", 1e-3),
        ["live-memory"] = ("resident memory per live domain", "rss_bytes_per_domain", "KB", 1.0 / 1024),
        ["crash-to-collected"] = ("crash to load context confirmed collected (median)", "median_ms", "ms", 1),
        ["cell-compile-warm"] = ("notebook-cell domain: compile, instrument, gate, sign, verify, load, first call (warm, median)", "median_ms", "ms", 1),
        ["cell-interfaces-warm"] = ("notebook interface set (#!idl): compile, check, sign, admit, build proxies; then a domain exporting it, one calling it, first call (warm, median)", "median_ms", "ms", 1),
        ["compute-plain"] = ("compute-bound domain (hash table, FNV), without instrumentation (median)", "median_ms", "ms", 1),
        ["compute-instrumented"] = ("instrumentation overhead on that domain", "overhead_pct", "%", 1),
        ["kill-latency"] = ("kill of a domain spinning in a loop, until its caller has the error (median)", "median_ms", "ms", 1),
        ["riscv/compute"] = ("RISC-V compute-bound programs (sieve, matmul; C at -O2), instructions retired over spawn-to-exit wall time (goal at least 100)", "mips", "MIPS", 1),
        ["riscv/syscall"] = ("RISC-V system-call-heavy program (getpid, uptime, a pipe write and read per round)", "mips", "MIPS", 1),
        ["riscv/fork"] = ("RISC-V fork, child exits, parent waits (one interpreter domain serves every RISC-V process)", "us_per_fork", "ms", 1e-3),
        ["rv6/fork"] = ("rv6: RISC-V fork, child exits, parent waits (median of passes of 100 or 400 forks; goal at most 1 ms)", "median_us", "us", 1),
        ["rv6/fork-exec"] = ("rv6: RISC-V fork + exec of `true` + exit + wait (median)", "median_us", "us", 1),
        ["rv6/pipe"] = ("rv6: bytes through a pipe between two RISC-V processes (median)", "mb_per_s", "MB/s", 1),
        ["rv6/spawn-sh"] = ("rv6: the shell line `echo hi | wc` (two C# programs, a domain each; median)", "median_us", "ms", 1e-3),
        ["rv6/boot-warm"] = ("rv6: boot another rv6 in the same process (images cached, JIT warm; median)", "median_us", "ms", 1e-3),
    };

    // Rows measured beside Linux in the same run: the baseline's field, shown on a line of its own.
    static readonly Dictionary<string, (string Field, string Unit, double Scale)> LinuxBeside = new()
    {
        ["rv6/fork"] = ("linux_us", "us", 1),
        ["rv6/fork-exec"] = ("linux_us", "us", 1),
        ["rv6/pipe"] = ("linux_mb_per_s", "MB/s", 1),
    };

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("_Generated by `./redleaf results table` from `datasets/results/` and `datasets/reference/`; edit those, not this._");
        var suites = _results.Suites();
        if (suites.Count == 0)
        {
            sb.AppendLine().AppendLine("No results recorded yet: run a suite with `--save`.");
            return sb.ToString();
        }
        sb.AppendLine();
        var machines = Machines(suites);
        foreach (var (m, on) in machines)
            sb.AppendLine(machines.Count == 1 ? $"Measured on: {m}." : $"Measured on: {m} ({string.Join(", ", on.Select(s => $"`{s}`"))}).");
        if (_reference.Load("hardware") is { } hw)
            sb.AppendLine($"Paper: {hw["networking"]}; {hw["settings"]}.");

        if (suites.Contains(CallsSuite.Name)) Calls(sb, _results.Runs(CallsSuite.Name));
        if (suites.Contains(LangTaxSuite.Name)) LangTax(sb, _results.Runs(LangTaxSuite.Name));
        foreach (var suite in suites.Where(s => s != CallsSuite.Name && s != LangTaxSuite.Name && s != AppsSuite.Name && !DriverSuites.Contains(s)))
            Other(sb, suite, _results.Runs(suite));
        Drivers(sb, suites);
        if (suites.Contains(AppsSuite.Name)) Apps(sb, _results.Runs(AppsSuite.Name));
        if (_sourceRoot is not null) TrustedComputingBase(sb, _sourceRoot);
        return sb.ToString();
    }

    /// <summary>The TCB by folder and role, counted from the source tree when the table is generated
    /// (notebooks/08-trusted-computing-base.ipynb tells the story).</summary>
    static void TrustedComputingBase(StringBuilder sb, string root)
    {
        var parts = Tcb.TrustedBase.Count(root);
        sb.AppendLine().AppendLine("### Trusted computing base (non-blank source lines, counted when this table was generated)").AppendLine();
        sb.AppendLine("| folder | role | files | lines | what |").AppendLine("|---|---|---:|---:|---|");
        foreach (var p in parts) sb.AppendLine($"| `{p.Folder}` | {p.Role.ToString().ToLowerInvariant()} | {p.Files:N0} | {p.Lines:N0} | {p.What} |");
        int Sum(Tcb.TcbRole r) => parts.Where(p => p.Role == r).Sum(p => p.Lines);
        sb.AppendLine().AppendLine($"Trusted: {Sum(Tcb.TcbRole.Trusted):N0} lines (the machine, `os/` and `systems/`, the tier that boots rv6 and " +
            $"assembles driver stacks with the kernel's authority); untrusted domains and interfaces: {Sum(Tcb.TcbRole.Untrusted):N0}; " +
            $"tools, measurement, front ends and tests: {Sum(Tcb.TcbRole.Tools):N0}. Beside the .NET runtime and Roslyn, which the trusted part rests on.");
    }

    // "AMD EPYC ... (2 cores), rdtsc at 2.096 GHz, .NET 10.0.0, Linux ...", once per distinct machine.
    /// <summary>Each machine the saved runs name, with the suites measured on it (a shared host's VMs differ between sessions).</summary>
    List<(string Machine, List<string> Suites)> Machines(IEnumerable<string> suites) => suites
        .SelectMany(s => _results.Runs(s).Select(r => (Suite: s, Machine: r["machine"] as JsonObject)))
        .Where(x => x.Machine is not null)
        .Select(x => (x.Suite, Name: $"{x.Machine!["cpu"]} ({x.Machine["cores"]} cores), {x.Machine["clock"]?["source"]} at {(double?)x.Machine["clock"]?["hz"] / 1e9:F3} GHz, {x.Machine["runtime"]}, {x.Machine["os"]}"))
        .GroupBy(x => x.Name)
        .Select(g => (g.Key, g.Select(x => x.Suite).Distinct().ToList()))
        .ToList();

    /// <summary>The commands that made the runs, as a reader types them at the repository root (runs record
    /// "redleaf bench ..."; the launcher is ./redleaf).</summary>
    static string Commands(IReadOnlyList<JsonObject> runs) =>
        string.Join(", ", runs.Select(r => (string?)r["command"] is { } c ? $"`{(c.StartsWith("redleaf ", StringComparison.Ordinal) ? "./" + c : c)}`" : "`(command not recorded)`").Distinct());

    static string RunCount(IReadOnlyList<JsonObject> runs) => runs.Count == 1 ? "1 run" : $"{runs.Count} runs";

    /// <summary>What a table's runs ran under, from their JSON: the TSC's rate (which machine: the saved runs span
    /// two VMs), the runtime object (JIT tiering, PGO, GC), and whether crash cleanup confirmed collection.</summary>
    internal static string Settings(IReadOnlyList<JsonObject> runs)
    {
        var parts = new List<string>();
        var hz = runs.Select(r => (double?)r["clock"]?["hz"] ?? (double?)r["machine"]?["clock"]?["hz"]).OfType<double>()
            .Select(v => (v / 1e9).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        if (hz.Count > 0) parts.Add($"TSC {string.Join(" / ", hz)} GHz");
        var runtime = runs.Select(r => r["runtime"] as JsonObject).OfType<JsonObject>().Select(rt =>
            $"{((bool?)rt["tiered_compilation"] == true ? "tiered JIT" : "JIT not tiered")}, PGO {((bool?)rt["tiered_pgo"] == true ? "on" : "off")}, " +
            $"{((bool?)rt["server_gc"] == true ? "server" : "workstation")} GC{((bool?)rt["concurrent_gc"] == true ? " (concurrent)" : "")}").Distinct().ToList();
        parts.Add(runtime.Count > 0 ? string.Join(" / ", runtime) : "runtime settings not recorded (runs before the `runtime` object)");
        var confirm = runs.Select(r => r["details"]?["confirm_collection"]).OfType<JsonNode>().Select(n => (bool?)n).Distinct().ToList();
        if (confirm.Contains(false))
            parts.Add("crash cleanup NOT confirming collection (`KernelOptions.ConfirmCollection = false`: a dead domain's memory is reused without waiting for its code to be collected; the default waits)");
        else if (confirm.Contains(true))
            parts.Add("crash cleanup confirming collection (the default)");
        return string.Join("; ", parts);
    }

    static string Dates(IReadOnlyList<JsonObject> runs) =>
        string.Join(", ", runs.Select(r => ((string?)r["measured_utc"])?[..Math.Min(10, ((string?)r["measured_utc"])!.Length)] ?? "?").Distinct());

    static JsonObject? Row(JsonObject run, string name) =>
        (run["rows"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(r => (string?)r["name"] == name);

    static List<string> RowNames(IReadOnlyList<JsonObject> runs) => runs
        .SelectMany(r => (r["rows"] as JsonArray)?.OfType<JsonObject>() ?? [])
        .Select(r => (string?)r["name"]).OfType<string>().Distinct().ToList();

    void Calls(StringBuilder sb, IReadOnlyList<JsonObject> runs)
    {
        sb.AppendLine().AppendLine($"Table 1, one call, in TSC ticks ({RunCount(runs)}, {Dates(runs)}; median of batches; the spread is the min–max of the runs' medians; {Settings(runs)}):").AppendLine();
        sb.AppendLine(Line($"operation ({Commands(runs)})", "median ticks, per run", "spread", "median ns, per run", "allocated B/call, max", "paper (cycles)"));
        sb.AppendLine(Rule(6));
        var names = RowNames(runs);
        foreach (string name in names)
        {
            string label = CallLabels.TryGetValue(name, out var l) ? $"{l} (`{name}`)" : $"`{name}`";
            var medians = runs.Select(r => Field(Row(r, name), "median_cycles")).ToList();
            var ns = runs.Select(r => Field(Row(r, name), "median_ns")).ToList();
            var alloc = runs.Select(r => Field(Row(r, name), "alloc_bytes_per_op")).OfType<double>().DefaultIfEmpty(double.NaN).Max();
            sb.AppendLine(Line(label, PerRun(medians), Spread(medians), PerRun(ns), double.IsNaN(alloc) ? "" : Number(alloc), _reference.PaperCellFor(name)));
        }
        var tsc = runs.Select(r => (double?)r["clock"]?["core_cycles_per_tick"]).OfType<double>().ToList();
        if (tsc.Count > 0)
            sb.AppendLine().AppendLine($"Ticks are the TSC's ({string.Join(", ", runs.Select(r => (double?)r["clock"]?["hz"] / 1e9).OfType<double>().Select(v => v.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)).Distinct())} GHz), not core cycles: " +
                $"a dependent-add chain measured {Spread(tsc.Select(v => (double?)v), v => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture))} core cycles per tick in these runs (`clock.core_cycles_per_tick`).");
        // Like for like: what the paper's 124 cycles contain (REFERENCE.md: 86 save the continuation) against our call minus a plain call.
        var overhead = runs.Select(r => Field(Row(r, "proxy-null"), "median_cycles") - Field(Row(r, "direct"), "median_cycles")).ToList();
        var overheadCore = runs.Select(r => (Field(Row(r, "proxy-null"), "median_cycles") - Field(Row(r, "direct"), "median_cycles")) * (double?)r["clock"]?["core_cycles_per_tick"]).ToList();
        if (names.Contains("proxy-null") && names.Contains("direct"))
            sb.AppendLine().AppendLine("What the paper's 124 cycles contain: 86 of them save the caller's continuation (all general registers), so a crashing " +
                "callee can unwind to its caller; .NET unwinds from tables and saves nothing on the fast path. Like for like, the paper's other 38 cycles " +
                $"(switch domains, check and return) stand against our `proxy-null` minus `direct` (the interface dispatch both share): {PerRun(overhead)} ticks per run, " +
                $"{PerRun(overheadCore)} core cycles.");
        if (names.Contains("proxy-crash"))
        {
            IEnumerable<double?> Us(string field) => runs.Select(r => Field(Row(r, "proxy-crash"), field) / 1000);
            var calls = runs.Select(r => Field(Row(r, "proxy-crash"), "median_cycles") * (double?)r["clock"]?["core_cycles_per_tick"] / 86);
            sb.AppendLine().AppendLine($"Where .NET pays instead (`proxy-crash`, benchmarks/README.md): a call whose callee throws takes {PerRun(Us("median_ns"))} µs per run; " +
                $"of that, the same exception thrown and caught one frame up in host code takes {PerRun(Us("throw_catch_median_ns"), v => v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))} µs (the unwinding alone), " +
                $"and the kernel's crash cleanup of an idle instance (a kill, no exception) {PerRun(Us("kill_median_ns"))} µs; restarting the instance, not in the row, " +
                $"{PerRun(runs.Select(r => Field(Row(r, "proxy-crash"), "restart_median_us") / 1000), v => v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))} ms. " +
                $"In core cycles one crash costs what the paper's continuation saving (86 cycles) costs over {PerRun(calls)} calls.");
        }
        var mitigations = runs.Select(r => (string?)r["details"]?["kernel_mitigations"]).OfType<string>().Distinct().ToList();
        if (names.Contains("syscall") && mitigations.Count > 0)
        {
            bool pti = mitigations.Any(m => m.Contains("meltdown: Mitigation: PTI", StringComparison.Ordinal));
            // Syscall.Mitigations lists only what is not "Not affected".
            string meltdown = string.Join(" / ", mitigations.Select(m => m.Split("; ").FirstOrDefault(x => x.StartsWith("meltdown", StringComparison.Ordinal)) ?? "meltdown: Not affected").Distinct());
            sb.AppendLine().AppendLine($"The system-call baseline depends on page-table isolation: these runs' kernel reports `{meltdown}`, " +
                (pti ? "so every system call switches page tables on entry and exit; a kernel without PTI pays several times less (benchmarks/README.md)."
                     : "so no page-table switch is paid; with PTI (an earlier VM here, `meltdown: Mitigation: PTI`) the same `syscall` row measured about 2,100 ticks of a 2.096 GHz TSC. The paper's 324 is Linux with mitigations off."));
        }
        var missing = _reference.Table1Entries()
            .Where(e => (string?)e["ours"] is { } ours && !names.Contains(ours))
            .Select(e => $"`{e["ours"]}` (paper {Number((double)e["cycles"]!)}, {e["operation"]})").ToList();
        if (missing.Count > 0)
            sb.AppendLine().AppendLine($"Not measured yet: {string.Join("; ", missing)}.");
        var ratios = new[] { "syscall", "thread-pingpong", "pipe-pingpong" }.Where(names.Contains)
            .Select(n => $"`{n}` {PerRun(runs.Select(r => Field(Row(r, n), "median_cycles") / Field(Row(r, "proxy-null"), "median_cycles")), v => v.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture))}×").ToList();
        if (ratios.Count > 0 && names.Contains("proxy-null"))
            sb.AppendLine().AppendLine($"Per run, as multiples of `proxy-null`: {string.Join("; ", ratios)}.");
    }

    void LangTax(StringBuilder sb, IReadOnlyList<JsonObject> runs)
    {
        var compilers = runs.Select(r => $"{r["details"]?["c_compiler"]} {r["details"]?["c_flags"]}").Distinct();
        sb.AppendLine().AppendLine($"Figure 5, the language tax, in TSC ticks per operation ({RunCount(runs)}, {Dates(runs)}; median of passes; C: {string.Join("; ", compilers)}; {Settings(runs)}):").AppendLine();
        sb.AppendLine("Each cell: the median of the runs, with their min–max in brackets. `idiomatic` is what a senior .NET engineer writes by default " +
            "(`Entry?` slots of 24 B against C's 16, generics, an inlined struct hasher, loops), `linq` every idiom taken literally " +
            "(what idiomatic can cost), `dictionary` .NET's own `Dictionary<ulong, ulong>`; two rows take one abstraction at a time: `unchecked` is " +
            "C-style C# without its bounds checks, `delegate` the idiomatic table calling its hash through a `Func<>` (see benchmarks/README.md).").AppendLine();
        string[] kinds = ["c", "unchecked", "cstyle", "idiomatic", "delegate", "linq", "dictionary"];
        string[] ratioKinds = ["cstyle", "idiomatic", "linq", "dictionary"];
        sb.AppendLine(Line($"slots, op ({Commands(runs)})", "C", "unchecked C#", "C-style C#", "idiomatic C#", "delegate C#", "LINQ C#", "Dictionary", "C-style / C", "idiomatic / C", "LINQ / C", "Dictionary / C", "idiomatic B/op", "LINQ B/op"));
        sb.AppendLine(Rule(14));
        var keys = RowNames(runs)
            .Select(n => n.Split('-'))
            .Where(p => p.Length == 3 && int.TryParse(p[2], out _))
            .Select(p => (Op: p[1], Log2: int.Parse(p[2])))
            .Distinct()
            .OrderBy(k => k.Log2).ThenBy(k => k.Op);
        static string Ratio(double v) => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (op, log2) in keys)
        {
            IEnumerable<double?> Values(string kind, string field) => runs.Select(r => Field(Row(r, $"{kind}-{op}-{log2}"), field));
            string Alloc(string kind) => Values(kind, "alloc_bytes_per_op").OfType<double>().DefaultIfEmpty(double.NaN).Max() is var a && double.IsNaN(a) ? "" : Number(a);
            var cells = new List<string> { $"2^{log2} {op}" };
            cells.AddRange(kinds.Select(k => MedianAndSpread(Values(k, "cycles_per_op"))));
            cells.AddRange(ratioKinds.Select(k => MedianAndSpread(Values(k, "ratio_to_c"), Ratio)));
            cells.Add(Alloc("idiomatic"));
            cells.Add(Alloc("linq"));
            sb.AppendLine(Line([.. cells]));
        }
        if (_reference.Load("figure5") is { } f5 && f5["summary"] is JsonArray summary)
            sb.AppendLine().AppendLine("Paper (Rust, Figure 5): " + string.Join("; ", summary.OfType<JsonObject>()
                .Select(s => $"{s["language"]}: {s["text"]}")) + ".");
    }

    static void Other(StringBuilder sb, string suite, IReadOnlyList<JsonObject> runs)
    {
        sb.AppendLine().AppendLine($"`{suite}` ({RunCount(runs)}, {Dates(runs)}; {Settings(runs)}):").AppendLine();
        sb.AppendLine(Line($"measurement ({Commands(runs)})", "per run", "spread"));
        sb.AppendLine(Rule(3));
        foreach (string name in RowNames(runs))
        {
            if (Headlines.TryGetValue($"{suite}/{name}", out var h) || Headlines.TryGetValue(name, out h))
            {
                var values = runs.Select(r => Field(Row(r, name), h.Field) * h.Scale).ToList();
                sb.AppendLine(Line($"{h.Label} (`{name}`)", $"{PerRun(values)} {h.Unit}", $"{Spread(values)} {h.Unit}"));
                if (LinuxBeside.TryGetValue($"{suite}/{name}", out var l))
                {
                    var linux = runs.Select(r => Field(Row(r, name), l.Field) * l.Scale).ToList();
                    sb.AppendLine(Line($"... Linux on this machine, same run (native/procbench, `{l.Field}`)", $"{PerRun(linux)} {l.Unit}", $"{Spread(linux)} {l.Unit}"));
                }
            }
            else
            {
                // Unknown row: its first numeric field, named.
                string? field = runs.Select(r => Row(r, name)).OfType<JsonObject>()
                    .SelectMany(r => r.Where(kv => Field(r, kv.Key) is not null).Select(kv => kv.Key)).FirstOrDefault();
                if (field is null) continue;
                var values = runs.Select(r => Field(Row(r, name), field)).ToList();
                sb.AppendLine(Line($"`{name}` {field}", PerRun(values), Spread(values)));
            }
        }
    }
}

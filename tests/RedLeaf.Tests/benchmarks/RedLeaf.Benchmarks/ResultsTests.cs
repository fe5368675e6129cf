// tests/benchmarks/RedLeaf.Benchmarks: recorded results and the README table generated from them: the store keeps the
// newest runs of one mode; the generator puts each of our rows beside the paper's figure from
// datasets/reference, lists what is not measured yet, and rewrites only the text between the
// markers. Runs here are small hand-made JSON documents: the generator is tested, not the timings.
using RedLeaf.Benchmarks.Results;
using RedLeaf.Measure;
using RedLeaf.Measure.Results;
using Xunit;

namespace RedLeaf.Tests.Bench;

[Trait("suite", "bench")]
public sealed class ResultsTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("redleaf-results-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static SuiteResult Calls(bool quick, double nullCycles) => new("calls", quick,
    [
        new BenchRow("direct").Set("median_cycles", 3.5).Set("median_ns", 3.5 * 0.4).Set("alloc_bytes_per_op", 0),
        new BenchRow("proxy-null").Set("median_cycles", nullCycles).Set("median_ns", nullCycles * 0.4).Set("alloc_bytes_per_op", 0),
        new BenchRow("proxy-rref").Set("median_cycles", 20.2).Set("median_ns", 20.2 * 0.4).Set("alloc_bytes_per_op", 0),
        new BenchRow("syscall").Set("median_cycles", 2100).Set("median_ns", 2100 * 0.4).Set("alloc_bytes_per_op", 0),
    ]);

    static readonly Dictionary<string, double> LangTaxCycles = new() { ["c"] = 50, ["unchecked"] = 51, ["cstyle"] = 52.5, ["idiomatic"] = 60, ["delegate"] = 65, ["linq"] = 500, ["dictionary"] = 40 };

    /// <summary>A langtax run; <paramref name="idiomatic"/> varies between runs, to show the spread.</summary>
    static SuiteResult LangTax(double idiomatic = 60) => new("langtax", true,
        (from kind in LangTaxCycles.Keys
         from op in new[] { "get", "set" }
         let cycles = kind == "idiomatic" ? idiomatic : LangTaxCycles[kind]
         select new BenchRow($"{kind}-{op}-20")
             .Set("cycles_per_op", cycles)
             .Set("ratio_to_c", cycles / 50)
             .Set("alloc_bytes_per_op", kind == "linq" ? 384.0 : 0.0)).ToList())
    {
        Details = new() { ["c_compiler"] = "gcc 12.2.0", ["c_flags"] = "-O2 -fPIC" },
    };

    [Fact]
    public void SaveKeepsTheNewestRunsOfOneMode()
    {
        var store = new ResultsStore(_dir);
        store.Save(Calls(quick: false, 99), "redleaf bench calls");
        for (int i = 0; i < 5; i++) store.Save(Calls(quick: true, 10 + i), "redleaf bench calls --quick");
        var runs = store.Runs("calls");
        Assert.Equal(ResultsStore.RunsKept, runs.Count);
        Assert.All(runs, r => Assert.True((bool)r["quick"]!));
        Assert.Equal([12.0, 13.0, 14.0], runs.Select(r => Markdown.Field(r["rows"]!.AsArray().Select(x => x!.AsObject()).First(x => (string?)x["name"] == "proxy-null"), "median_cycles")!.Value));
        Assert.All(runs, r => Assert.Equal("redleaf bench calls --quick", (string?)r["command"]));
        Assert.Equal(["calls"], store.Suites());
    }

    [Fact]
    public void ABrokenResultsFileIsAnErrorNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_dir, "calls.json"), "{ not json");
        var e = Assert.Throws<InvalidDataException>(() => new ResultsStore(_dir).Runs("calls"));
        Assert.Contains("calls.json", e.Message);
    }

    [Fact]
    public void TablePutsOursBesideThePapersWithTheCommand()
    {
        var store = new ResultsStore(_dir);
        store.Save(Calls(quick: true, 12), "redleaf bench calls --quick");
        store.Save(Calls(quick: true, 13.5), "redleaf bench calls --quick");
        store.Save(LangTax(), "redleaf bench langtax --quick");
        store.Save(LangTax(idiomatic: 70), "redleaf bench langtax --quick");
        string md = new ResultsTable(store, ReferenceData.Default).ToMarkdown();

        Assert.Contains("| operation (`./redleaf bench calls --quick`) |", md);
        Assert.Contains("| cross-domain null call (`proxy-null`) | 12.0, 13.5 | 12.0–13.5 | 4.8, 5.4 | 0 | 124 (RedLeaf call) |", md);
        Assert.Contains("| call moving one RRef in and back out (`proxy-rref`) | 20.2, 20.2 | 20.2 | 8.1, 8.1 | 0 | 141 (RedLeaf call passing one RRef) |", md);
        Assert.Contains("| Linux system call (getppid) (`syscall`) | 2,100, 2,100 | 2,100 | 840, 840 | 0 | 324 (Linux kernel call, Singularity (EuroSys '06)) |", md);
        Assert.Contains("Not measured yet: `thread-pingpong`", md); // named in the reference, absent from these runs
        Assert.Contains("`shadow-null` (paper 279", md);
        Assert.Contains("`syscall` 175, 156×", md);
        Assert.Contains("| slots, op (`./redleaf bench langtax --quick`) |", md);
        Assert.Contains("| 2^20 get | 50.0 | 51.0 | 52.5 | 60.0 (60.0–70.0) | 65.0 | 500 | 40.0 | 1.05 | 1.20 (1.20–1.40) | 10.00 | 0.80 | 0 | 384 |", md);
        Assert.Contains("C: gcc 12.2.0 -O2 -fPIC", md);
        Assert.Contains("about 25% slower than C", md);
    }

    /// <summary>The applications' table: each run's rate and ratio to its C row, the sink's verdict, the crashing row's
    /// counts, domain over driver at batch 32, and the paper's ratios beside ours.</summary>
    [Fact]
    public void AppsRowsAreTabledWithTheirCRowsCrashCountsAndThePapersRatios()
    {
        var store = new ResultsStore(_dir);
        SuiteResult Apps(double domain, bool clean) => new("apps", true,
        [
            new BenchRow("maglev-c-b32").Set("mpps", 5.0).Set("sink_clean", true),
            new BenchRow("maglev-driver-b32").Set("mpps", 2.5).Set("of_c", 0.5).Set("sink_clean", true),
            new BenchRow("maglev-domain-b32").Set("mpps", domain).Set("of_c", domain / 5).Set("sink_clean", clean),
            new BenchRow("kv-c-get95-b32").Set("mpps", 4.0).Set("sink_clean", true),
            new BenchRow("kv-driver-get95-b32").Set("mpps", 2.0).Set("of_c", 0.5).Set("sink_clean", true),
            new BenchRow("kv-domain-get95-b32").Set("mpps", 1.8).Set("of_c", 0.45).Set("sink_clean", true),
            new BenchRow("kv-shadow-crashing-b32").Set("mpps", 1.5).Set("crashes", 5).Set("lost", 0).Set("repeated", 1)
                .Set("wire_lost", 64).Set("wire_repeated", 32).Set("retransmitted", 65).Set("of_no_crash", 0.9),
        ])
        { Details = new() { ["flows"] = 1048576 } };
        store.Save(Apps(2.4, true), "redleaf bench apps --quick");
        store.Save(Apps(2.0, false), "redleaf bench apps --quick");
        string md = new ResultsTable(store, ReferenceData.Default).ToMarkdown();

        Assert.Contains("(2 runs, quick runs, about 1 s a row, ", md);
        Assert.Equal(1, md.Split("The paper's Maglev (Mpps)").Length - 1);
        Assert.Contains("Maglev over 1,048,576 flows", md);
        Assert.Contains("| `maglev-driver-b32` | 2.5, 2.5 | 0.50, 0.50 | sink clean | 0.74 |", md); // the paper: 7.2 / 9.7
        Assert.Contains("| `maglev-domain-b32` | 2.4, 2.0 | 0.48, 0.40 | sink NOT clean in run 2 |  |", md);
        Assert.Contains("| `kv-domain-get95-b32` | 1.8, 1.8 | 0.45, 0.45 | sink clean | 0.61–0.86 (its range) |", md);
        Assert.Contains("(crashes / lost / repeated at the clients, per run: 5 / 0 / 1; 5 / 0 / 1; on the wire, lost / repeated frames / requests sent again: 64 / 32 / 65; 64 / 32 / 65)", md);
        Assert.Contains("`maglev-domain-b32` / `maglev-driver-b32` 0.96, 0.80", md);
        Assert.Contains("`kv-domain-get95-b32` / `kv-driver-get95-b32` 0.90, 0.90", md);
        Assert.DoesNotContain("`maglev-c-b32` mpps", md); // not also in the generic table
    }

    /// <summary>A row name two suites share (`syscall`) is labelled by its own suite's headline.</summary>
    [Fact]
    public void RiscvRowsGetTheirOwnHeadlines()
    {
        var store = new ResultsStore(_dir);
        store.Save(Calls(quick: true, 12), "redleaf bench calls --quick");
        store.Save(new SuiteResult("riscv", true,
        [
            new BenchRow("compute").Set("mips", 240.9),
            new BenchRow("syscall").Set("mips", 9.24),
            new BenchRow("fork").Set("us_per_fork", 9898.4).Set("copy_us", 1.3),
        ]), "redleaf bench riscv --quick");
        string md = new ResultsTable(store, ReferenceData.Default).ToMarkdown();

        Assert.Contains("instructions retired over spawn-to-exit wall time (goal at least 100) (`compute`) | 241 MIPS | 241 MIPS |", md);
        Assert.Contains("a pipe write and read per round) (`syscall`) | 9.2 MIPS |", md);
        Assert.Contains("(one interpreter domain serves every RISC-V process) (`fork`) | 9.9 ms |", md);
        Assert.Contains("| Linux system call (getppid) (`syscall`) | 2,100 | 2,100 | 840 | 0 |", md);
    }

    [Fact]
    public void DriverSuitesGetTablesWithRatiosChecksAndThePapersFigures()
    {
        var store = new ResultsStore(_dir);
        store.Save(new SuiteResult("net", true,
        [
            new BenchRow("nic-driver-b32").Set("mpps", 14.1).Set("sink_clean", true),
            new BenchRow("nic-domain-b32").Set("mpps", 13.2).Set("of_driver", 0.936).Set("sink_clean", false),
            new BenchRow("nullnet-domain-b1").Set("mpps", 33.2).Set("of_driver", 0.7),
        ]), "redleaf bench net --quick");
        store.Save(new SuiteResult("blk", true, [new BenchRow("read-domain-b32").Set("iops", 3_507_482.0).Set("of_driver", 0.96)]), "redleaf bench blk --quick");
        store.Save(new SuiteResult("recovery", true,
        [
            new BenchRow("read-crashing").Set("mb_per_s", 539.2).Set("of_no_crash", 0.97).Set("restarts", 15),
            new BenchRow("restart").Set("median_us", 392.7).Set("p99_us", 1201.2).Set("count", 30),
        ])
        { Details = new() { ["crash_every_ms"] = 200.0 } }, "redleaf bench recovery --quick");
        string md = new ResultsTable(store, ReferenceData.Default).ToMarkdown();

        Assert.Contains("| `nic-driver-b32` | 14.1 |  | sink clean | 14.2 |", md);
        Assert.Contains("| `nic-domain-b32` | 13.2 | 0.94 | sink NOT clean in run 1 | 14.2 |", md);
        Assert.Contains("| `nullnet-domain-b1` | 33.2 | 0.70 |  |  |", md); // the paper has no nullnet row for a driver domain called from the host
        Assert.Contains("rv6-domain 5.3 / 67", md); // its rv6 rows are named in the note instead
        Assert.Contains("| `read-domain-b32` | 3,507 | 0.96 | 453 |", md);
        Assert.Contains("crashed every 200 ms", md);
        Assert.Contains("| `read-crashing` (MB/s) | 539 | 0.97 | 15 | 2,062 MB/s |", md);
        Assert.Contains("| `restart` median / p99 (ms) | 0.39 / 1.2 |  | 30 |  |", md);
        Assert.DoesNotContain("`nic-driver-b32` mpps", md); // not also listed as an unknown suite
    }

    [Fact]
    public void TheCrashRowIsSplitAndTheCLoopIsLabelledAsTheNearestToDpdk()
    {
        var store = new ResultsStore(_dir);
        var calls = new SuiteResult("calls", true, [.. Calls(quick: true, 12).Rows, new BenchRow("proxy-crash").Set("median_cycles", 260_000.0).Set("median_ns", 100_000.0).Set("alloc_bytes_per_op", 3400.0)
            .Set("throw_catch_median_ns", 1_400.0).Set("kill_median_ns", 60_000.0).Set("restart_median_us", 1_100.0)]);
        store.Save(calls, "redleaf bench calls --quick");
        store.Save(new SuiteResult("net", true,
        [
            new BenchRow("nullnet-driver-b32").Set("mpps", 80.0),
            new BenchRow("nullnet-c-b32").Set("mpps", 400.0).Set("of_driver", 5.0),
        ]), "redleaf bench net --quick");
        string md = new ResultsTable(store, ReferenceData.Default).ToMarkdown();

        Assert.Contains("| call whose callee throws: unwinding, crash cleanup, error back (a fresh instance each) (`proxy-crash`) | 260,000 | 260,000 | 100,000 | 3,400 |  |", md);
        Assert.Contains("takes 100 µs per run", md);
        Assert.Contains("takes 1.4 µs (the unwinding alone)", md);
        Assert.Contains("(a kill, no exception) 60.0 µs", md);
        Assert.Contains("| `nullnet-c-b32` | 400 | 5.00 |  |  |", md);
        Assert.Contains("The nearest thing here to the paper's DPDK row (6.7 / 14.2 Mpps", md);
    }

    /// <summary>Runs saved on two machines (a shared host's VMs differ between sessions): each machine is named once, with the
    /// suites measured on it.</summary>
    [Fact]
    public void EachMachineIsNamedWithTheSuitesMeasuredOnIt()
    {
        var store = new ResultsStore(_dir);
        store.Save(new SuiteResult("calls", true, [new BenchRow("direct").Set("median_cycles", 3.0)]), "redleaf bench calls --quick");
        store.Save(new SuiteResult("riscv", true, [new BenchRow("compute").Set("mips", 250.0)]), "redleaf bench riscv --quick");
        string one = new ResultsTable(store, ReferenceData.Default).ToMarkdown();
        Assert.Single(one.Split('\n'), l => l.StartsWith("Measured on: ", StringComparison.Ordinal));
        Assert.DoesNotContain("(`calls`", one); // one machine: no suites named

        string path = Path.Combine(_dir, "riscv.json");
        var saved = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        saved["runs"]![0]!["machine"]!["clock"]!["hz"] = 1_234_000_000.0; // as if measured on another VM
        File.WriteAllText(path, saved.ToJsonString());
        string two = new ResultsTable(new ResultsStore(_dir), ReferenceData.Default).ToMarkdown();
        var lines = two.Split('\n').Where(l => l.StartsWith("Measured on: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains(lines, l => l.Contains("at 1.234 GHz", StringComparison.Ordinal) && l.TrimEnd().EndsWith("(`riscv`).", StringComparison.Ordinal));
        Assert.Contains(lines, l => !l.Contains("at 1.234 GHz", StringComparison.Ordinal) && l.TrimEnd().EndsWith("(`calls`).", StringComparison.Ordinal));
    }

    [Fact]
    public void TablesSayWhatTheirRunsRanUnderAndHowTheyCompare()
    {
        var store = new ResultsStore(_dir);
        store.Save(new SuiteResult("calls", true,
        [
            new BenchRow("direct").Set("median_cycles", 3.0),
            new BenchRow("proxy-null").Set("median_cycles", 13.0),
            new BenchRow("syscall").Set("median_cycles", 2100.0),
        ])
        { Details = new() { ["kernel_mitigations"] = "meltdown: Mitigation: PTI; spectre_v2: Mitigation: Retpolines" } }, "redleaf bench calls --quick");
        store.Save(new SuiteResult("riscv", true, [new BenchRow("compute").Set("mips", 250.0)]) { Details = new() { ["confirm_collection"] = false } }, "redleaf bench riscv --quick");
        store.Save(new SuiteResult("recovery", true, [new BenchRow("read-crashing").Set("mb_per_s", 500.0).Set("of_no_crash", 0.9).Set("restarts", 15)])
        { Details = new() { ["crash_every_ms"] = 200.0, ["confirm_collection"] = true } }, "redleaf bench recovery --quick");
        string md = new ResultsTable(store, ReferenceData.Default).ToMarkdown();

        Assert.Contains("86 of them save the caller's continuation", md);
        Assert.Matches(@"`proxy-null` minus `direct` \(the interface dispatch both share\): 10(\.0)? ticks per run", md);
        Assert.Contains("`meltdown: Mitigation: PTI`, so every system call switches page tables", md);
        Assert.Contains("tiered JIT", md); // the runtime object of a run saved now
        Assert.Contains("NOT confirming collection", md); // riscv
        Assert.Contains("crash cleanup confirming collection (the default)", md); // recovery
    }

    [Fact]
    public void AnEmptyResultsFolderSaysSo()
    {
        string md = new ResultsTable(new ResultsStore(Path.Combine(_dir, "none")), ReferenceData.Default).ToMarkdown();
        Assert.Contains("No results recorded yet", md);
    }

    [Fact]
    public void OnlyTheTextBetweenTheMarkersIsReplaced()
    {
        string text = $"# Title\nintro\n{ReadmeSection.Begin}\nold table\n{ReadmeSection.End}\nafter\n";
        string replaced = ReadmeSection.Replace(text, "new table\n");
        Assert.Equal($"# Title\nintro\n{ReadmeSection.Begin}\nnew table\n{ReadmeSection.End}\nafter\n", replaced);
        Assert.Equal(replaced, ReadmeSection.Replace(replaced, "new table\n")); // idempotent

        var missing = Assert.Throws<InvalidDataException>(() => ReadmeSection.Replace("# no markers\n", "x", "README.md"));
        Assert.Contains("README.md has no results section", missing.Message);
        Assert.Throws<InvalidDataException>(() => ReadmeSection.Replace($"{ReadmeSection.End}\n{ReadmeSection.Begin}\n", "x"));
        Assert.Throws<InvalidDataException>(() => ReadmeSection.Replace($"{ReadmeSection.Begin}{ReadmeSection.End}{ReadmeSection.Begin}{ReadmeSection.End}", "x"));
    }

    [Fact]
    public void TheRepositoryHasReferenceDataAndAReadmeWithMarkers()
    {
        var reference = ReferenceData.Default;
        foreach (var name in new[] { "hardware", "table1", "figure5", "figures6-7-network", "figure8-nvme", "applications", "figure11-recovery", "rv6-parameters" })
            Assert.NotNull(reference.Load(name));
        Assert.Equal("124 (RedLeaf call)", reference.PaperCellFor("proxy-null"));
        string readme = File.ReadAllText(Path.Combine(RedLeaf.Os.Compiler.DomainTree.Root, "README.md"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(readme, System.Text.RegularExpressions.Regex.Escape(ReadmeSection.Begin)));
    }
}

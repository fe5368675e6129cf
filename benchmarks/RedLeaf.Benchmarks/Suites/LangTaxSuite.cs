// benchmarks/RedLeaf.Benchmarks/Suites: Figure 5 of the paper, the language tax, on this machine. One hash table (open
// addressing, linear probing, FNV-1a, 8-byte keys and values, 2^n slots kept 75% full) written four
// ways (LangTax/): C compiled by gcc at build time and timed inside C, C-style C#, idiomatic C# (what a
// senior .NET engineer writes by default: Entry? slots, generics, an inlined struct hasher), LINQ C#
// (every idiom taken literally: what idiomatic can cost), and beside them .NET's own Dictionary. Two more
// rows take one abstraction at a time: `unchecked` is C-style C# without its bounds check (cstyle over
// unchecked: the check's cost) and `delegate` the idiomatic table calling its hash through a Func<>
// (delegate over idiomatic: a higher-order function not specialised away); cstyle to idiomatic is the
// Option (Entry? slots) with generics.
// For each size the tables are filled with the same keys, then each rep runs, table after
// table, one timed pass of sets (updates: the table stays 75% full) and one timed pass of gets over
// the same deterministic key sequence; every pass of gets must return exactly the sum the sets
// stored, so a faster table cannot be a wrong one. Rows: <kind>-<get|set>-<log2 size>, with
// cycles_per_op in TSC ticks and ns_per_op beside it.
using System.Text.Json.Nodes;
using RedLeaf.Benchmarks.LangTax;
using RedLeaf.Benchmarks.Native;
using RedLeaf.Hardware;
using RedLeaf.Measure;

namespace RedLeaf.Benchmarks.Suites;

public static class LangTaxSuite
{
    public const string Name = "langtax";
    public static readonly string[] Kinds = { "c", "unchecked", "cstyle", "idiomatic", "delegate", "linq", "dictionary" };
    const ulong FillSalt = 0xF111_F111_F111_F111;

    /// <summary>Table sizes (log2 of slots), operations per timed pass, and passes per size.</summary>
    public sealed record Settings(int[] Log2Sizes, int Ops, int Reps);

    public static Settings QuickSettings => new([12, 16, 20], 1 << 19, 5); // 04 runs it in the main job and the notebooks suite
    public static Settings FullSettings => new(Enumerable.Range(12, 13).ToArray(), 1 << 21, 5);

    public static SuiteResult Run(bool quick, Action<string>? progress = null) =>
        Run(quick ? QuickSettings : FullSettings, quick, progress);

    public static SuiteResult Run(Settings settings, bool quick, Action<string>? progress = null)
    {
        progress ??= _ => { };
        progress($"langtax: C baseline {NativeBenchLibrary.Compiler}, {NativeBenchLibrary.CFlags}; clock {Tsc.Source} at {Tsc.Hz / 1e9:F3} GHz");
        WarmUp();
        var rows = new List<BenchRow>();
        foreach (int log2 in settings.Log2Sizes)
        {
            rows.AddRange(MeasureSize(log2, settings, progress));
            GC.Collect();
        }
        return new SuiteResult(Name, quick, rows) { Details = Details(settings) };
    }

    static IHashTableBench Create(string kind, int log2) => kind switch
    {
        "c" => new NativeHashTable(log2),
        "unchecked" => new CStyleHashTable<UncheckedSlots>(log2),
        "cstyle" => new CStyleHashTable<BoundsCheckedSlots>(log2),
        "idiomatic" => new IdiomaticHashTableBench<Fnv1aHasher>("idiomatic", log2),
        "delegate" => new IdiomaticHashTableBench<DelegateHasher<ulong>>("delegate", log2, new(key => Fnv1aHasher.Fnv1a(key))),
        "linq" => new LinqHashTableBench(log2),
        "dictionary" => new DictionaryBench(log2),
        _ => throw new ArgumentException($"no hash table of kind '{kind}' (kinds: {string.Join(", ", Kinds)})", nameof(kind)),
    };

    static IEnumerable<BenchRow> MeasureSize(int log2, Settings s, Action<string> progress)
    {
        progress($"langtax: 2^{log2} slots: generating {3L << log2 >> 2} keys and {s.Ops} operations");
        var keys = KeySequence.For(log2, s.Ops);
        var tables = Kinds.Select(k => Create(k, log2)).ToArray();
        try
        {
            foreach (var t in tables)
            {
                progress($"langtax: 2^{log2}: filling {t.Kind}");
                t.TimeSets(keys.Fill, FillSalt, out long failures);
                if (failures != 0 || t.Count != keys.Fill.Length)
                    throw new InvalidOperationException($"langtax: the {t.Kind} table holds {t.Count} keys after filling with {keys.Fill.Length} ({failures} sets refused)");
            }
            int n = tables.Length;
            var set = new double[n][];
            var get = new double[n][];
            var setAlloc = new double[n];
            var getAlloc = new double[n];
            var checksum = new ulong[n];
            for (int i = 0; i < n; i++) { set[i] = new double[s.Reps]; get[i] = new double[s.Reps]; }

            for (int r = 0; r < s.Reps; r++)
            {
                ulong salt = (ulong)(r + 1) * 0x9E3779B97F4A7C15;
                ulong expected = keys.ExpectedSum(salt);
                for (int i = 0; i < n; i++)
                {
                    var t = tables[i];
                    long a0 = GC.GetAllocatedBytesForCurrentThread();
                    set[i][r] = t.TimeSets(keys.Ops, salt, out long failures) / (double)s.Ops;
                    long a1 = GC.GetAllocatedBytesForCurrentThread();
                    get[i][r] = t.TimeGets(keys.Ops, out ulong sum, out long misses) / (double)s.Ops;
                    long a2 = GC.GetAllocatedBytesForCurrentThread();
                    setAlloc[i] += (a1 - a0) / (double)s.Ops / s.Reps;
                    getAlloc[i] += (a2 - a1) / (double)s.Ops / s.Reps;
                    if (failures != 0 || misses != 0 || sum != expected)
                        throw new InvalidOperationException(
                            $"langtax: the {t.Kind} table at 2^{log2} went wrong: {failures} sets refused, {misses} keys not found, sum {sum} (expected {expected})");
                    checksum[i] = sum;
                }
                progress($"langtax: 2^{log2} rep {r + 1}/{s.Reps}: get " + string.Join(", ", Kinds.Select((k, i) => $"{k} {get[i][r]:F1}"))
                    + "; set " + string.Join(", ", Kinds.Select((k, i) => $"{k} {set[i][r]:F1}")) + " cycles/op");
            }

            double cGet = Stats.Of(get[0]).Median, cSet = Stats.Of(set[0]).Median;
            var rows = new List<BenchRow>();
            for (int i = 0; i < n; i++)
            {
                rows.Add(Row($"{Kinds[i]}-get-{log2}", get[i], cGet, getAlloc[i], log2, s, checksum[i]));
                rows.Add(Row($"{Kinds[i]}-set-{log2}", set[i], cSet, setAlloc[i], log2, s, checksum[i]));
            }
            return rows;
        }
        finally
        {
            foreach (var t in tables) t.Dispose();
        }
    }

    static BenchRow Row(string name, double[] perOp, double cMedian, double alloc, int log2, Settings s, ulong checksum)
    {
        var st = Stats.Of(perOp);
        return new BenchRow(name) { Samples = perOp }
            .Set("cycles_per_op", BenchRow.Round(st.Median))
            .Set("ns_per_op", BenchRow.Round(BenchRow.Nanoseconds(st.Median)))
            .Set("min_cycles_per_op", BenchRow.Round(st.Min))
            .Set("ratio_to_c", Math.Round(st.Median / cMedian, 3))
            .Set("alloc_bytes_per_op", BenchRow.Round(alloc))
            .Set("slots_log2", log2)
            .Set("entries", 3L << log2 >> 2)
            .Set("ops", s.Ops)
            .Set("reps", s.Reps)
            .Set("checksum", checksum.ToString("x16"));
    }

    // Brings the C# tables' code to its steady state (tiered JIT, PGO off: the runtime object in the JSON
    // says what the process ran with) on a small table before
    // anything is timed: enough calls for tier-up, a pause for the background compile, more calls.
    static void WarmUp()
    {
        var keys = KeySequence.For(12, 4096);
        foreach (string kind in Kinds)
        {
            using var t = Create(kind, 12);
            for (int round = 0; round < 2; round++)
            {
                for (int i = 0; i < 40; i++)
                {
                    t.TimeSets(keys.Ops, (ulong)i, out _);
                    t.TimeGets(keys.Ops, out _, out _);
                }
                Thread.Sleep(150);
            }
        }
    }

    static JsonObject Details(Settings s) => new()
    {
        ["c_compiler"] = NativeBenchLibrary.Compiler,
        ["c_flags"] = NativeBenchLibrary.CFlags,
        ["c_timing"] = "inside C: lfence; rdtsc around the whole pass (no managed/native crossing in the timed region)",
        ["csharp_timing"] = "Tsc.ReadFenced around the whole pass, after a warm-up (tiered JIT in its steady state; PGO as the top-level runtime object says)",
        ["table"] = "open addressing, linear probing, FNV-1a over the key's 8 bytes, 8-byte keys and values, 2^n slots holding 3/4*2^n keys",
        ["keys"] = $"SplitMix64 from fixed seeds (fill 0x{KeySequence.FillSeed:x16}, ops 0x{KeySequence.OpsSeed:x16}); the same sequence for every table",
        ["kinds"] = new JsonObject
        {
            ["c"] = "Native/langtax.c, gcc; 16-byte slots {key, value}, key 0 empty",
            ["unchecked"] = "cstyle without the bounds check on slot access (Unsafe.Add; the same machine code otherwise): cstyle over unchecked is the bounds check's cost",
            ["cstyle"] = "one flat array of 16-byte structs on a cache line, FNV written out, no allocation",
            ["idiomatic"] = "IdiomaticHashTable<ulong, ulong, Fnv1aHasher>: Entry? slots (24 bytes: flag + 16), generics, a struct hasher the JIT inlines, loops, no allocation per op",
            ["delegate"] = "the idiomatic table with its hash passed as a lambda (DelegateHasher over Func<ulong, ulong>): an indirect call per hash, not inlined; delegate over idiomatic is a higher-order function's cost when not specialised",
            ["linq"] = "LinqHashTable: Entry? slots, Func<> hash over BitConverter.GetBytes, the probe sequence a LINQ query with lambdas (allocates per op): what idiomatic can cost",
            ["dictionary"] = "Dictionary<ulong, ulong> with the capacity it needs: separate chaining, ulong.GetHashCode (not FNV-1a)",
        },
        ["pass"] = $"{s.Ops} gets or sets (updates) of keys drawn uniformly from the table's keys; every pass of gets is checked against the sum the sets stored",
        ["cycles_per_op"] = $"TSC ticks per operation, median over {s.Reps} passes (ns_per_op: the same in nanoseconds); ratio_to_c divides by the C median at the same size and operation",
        ["sizes_log2"] = new JsonArray(s.Log2Sizes.Select(x => (JsonNode)x).ToArray()),
    };
}

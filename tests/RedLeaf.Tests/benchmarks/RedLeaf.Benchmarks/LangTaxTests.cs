// tests/benchmarks/RedLeaf.Benchmarks: Figure 5's hash tables (C via gcc, C-style C# with and without bounds checks,
// idiomatic C# with an inlined and a delegate hasher, LINQ C#, Dictionary) and the langtax suite: that all of them store and find exactly the same values for the same keys, refuse what they
// must, and that the suite's rows, fields and recorded compiler are there. Never the timings.
using System.Text.Json.Nodes;
using RedLeaf.Benchmarks.LangTax;
using RedLeaf.Benchmarks.Native;
using RedLeaf.Benchmarks.Suites;
using Xunit;

namespace RedLeaf.Tests.Bench;

[Trait("suite", "bench")]
public class LangTaxTests
{
    static IHashTableBench[] All(int log2) =>
        [new NativeHashTable(log2), new CStyleHashTable<UncheckedSlots>(log2), new CStyleHashTable<BoundsCheckedSlots>(log2), Idiomatic(log2), Delegate(log2),
         new LinqHashTableBench(log2), new DictionaryBench(log2)];

    static IdiomaticHashTableBench<Fnv1aHasher> Idiomatic(int log2) => new("idiomatic", log2);

    static IdiomaticHashTableBench<DelegateHasher<ulong>> Delegate(int log2) => new("delegate", log2, new(Fnv1aHasher.Fnv1a));

    [Fact]
    public void EveryKindOfTheSuiteIsATableHereNamedAsTheSuiteNamesIt()
    {
        var tables = All(4);
        try { Assert.Equal(LangTaxSuite.Kinds, tables.Select(t => t.Kind)); }
        finally { foreach (var t in tables) t.Dispose(); }
    }

    [Fact]
    public void KeySequenceIsDeterministicDistinctNonzeroAndOpsComeFromFill()
    {
        var a = KeySequence.For(10, 3000);
        var b = KeySequence.For(10, 3000);
        Assert.Equal(768, a.Fill.Length);
        Assert.Equal(a.Fill, b.Fill);
        Assert.Equal(a.Ops, b.Ops);
        Assert.Equal(a.Fill.Length, a.Fill.Distinct().Count());
        Assert.DoesNotContain(0UL, a.Fill);
        var fill = a.Fill.ToHashSet();
        Assert.All(a.Ops, k => Assert.Contains(k, fill));
        Assert.True(a.Ops.Distinct().Count() > 500, "ops spread over the table's keys");
    }

    [Fact]
    public void AllImplementationsStoreAndFindTheSameValues()
    {
        var keys = KeySequence.For(10, 5000);
        var tables = All(10);
        try
        {
            foreach (var t in tables)
            {
                t.TimeSets(keys.Fill, 7, out long failures);
                Assert.Equal(0, failures);
                Assert.Equal(keys.Fill.Length, t.Count);
            }
            foreach (ulong salt in new ulong[] { 1, 0xDEADBEEF })
            {
                var sums = tables.Select(t =>
                {
                    t.TimeSets(keys.Ops, salt, out long failures);
                    Assert.Equal(0, failures);
                    t.TimeGets(keys.Ops, out ulong sum, out long misses);
                    Assert.Equal(0, misses);
                    Assert.Equal(keys.Fill.Length, t.Count); // updates, not inserts
                    return sum;
                }).ToList();
                Assert.All(sums, s => Assert.Equal(keys.ExpectedSum(salt), s));
            }
            // Keys never inserted are missed by all alike.
            var absent = KeySequence.For(12, 100).Fill.Except(keys.Fill).Take(50).ToArray();
            foreach (var t in tables)
            {
                t.TimeGets(absent, out ulong sum, out long misses);
                Assert.Equal(absent.Length, misses);
                Assert.Equal(0UL, sum);
            }
        }
        finally
        {
            foreach (var t in tables) t.Dispose();
        }
    }

    [Fact]
    public void AFullTableRefusesANewKeyButTakesUpdates()
    {
        ulong[] four = { 11, 22, 33, 44 };
        foreach (var t in new IHashTableBench[] { new NativeHashTable(2), new CStyleHashTable<BoundsCheckedSlots>(2), new CStyleHashTable<UncheckedSlots>(2) })
        {
            using (t)
            {
                t.TimeSets(four, 0, out long failures);
                Assert.Equal(0, failures);
                t.TimeSets([55], 0, out failures);
                Assert.Equal(1, failures);
                t.TimeSets([0], 0, out failures); // 0 marks an empty slot: never a key
                Assert.Equal(1, failures);
                t.TimeSets(four, 1, out failures);
                Assert.Equal(0, failures);
                Assert.Equal(4, t.Count);
            }
        }
        var idiomatic = new IdiomaticHashTable<ulong, ulong, Fnv1aHasher>(4);
        foreach (ulong k in four) idiomatic.Set(k, k);
        Assert.Throws<InvalidOperationException>(() => idiomatic.Set(55, 1));
        idiomatic.Set(33, 34); // an update of a full table
        Assert.False(idiomatic.TryGetValue(55, out _));
        Assert.True(idiomatic.TryGetValue(33, out ulong v));
        Assert.Equal(34UL, v);
        Assert.Equal(4, idiomatic.Count);
        var linq = new LinqHashTable<ulong, ulong>(4, LinqHashTable<ulong, ulong>.Fnv1a);
        foreach (ulong k in four) linq.Set(k, k);
        Assert.Throws<InvalidOperationException>(() => linq.Set(55, 1));
        Assert.Null(linq.Get(55));
        Assert.Equal(33UL, linq.Get(33));
    }

    [Fact]
    public void AnIdiomaticSlotIs24BytesWhereCsIs16()
    {
        // Entry? is the entry (16 bytes) behind a bool padded to 8: what the idiomatic table pays for its
        // Option, as Rust's Option<(u64, u64)> does.
        Assert.Equal(24, System.Runtime.CompilerServices.Unsafe.SizeOf<IdiomaticHashTable<ulong, ulong, Fnv1aHasher>.Entry?>());
    }

    [Fact]
    public void TheIdiomaticHasherIsFnv1aAsTheOthersHashIt()
    {
        foreach (ulong k in new ulong[] { 1, 0xDEADBEEF, ulong.MaxValue, KeySequence.FillSeed })
            Assert.Equal(LinqHashTable<ulong, ulong>.Fnv1a(k), default(Fnv1aHasher).Hash(k));
    }

    [Fact]
    public void TheIdiomaticTablesAllocateNothingPerOperationWithEitherHasher()
    {
        var keys = KeySequence.For(10, 20_000);
        foreach (IHashTableBench t in new IHashTableBench[] { Idiomatic(10), Delegate(10) })
        {
            t.TimeSets(keys.Fill, 1, out _);
            t.TimeGets(keys.Ops, out _, out _); // compiled before counting
            long before = GC.GetAllocatedBytesForCurrentThread();
            t.TimeSets(keys.Ops, 2, out _);
            t.TimeGets(keys.Ops, out _, out _);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void TheDelegateTableHashesThroughItsDelegateOncePerOperation()
    {
        long calls = 0;
        var table = new IdiomaticHashTable<ulong, ulong, DelegateHasher<ulong>>(16, new(k => { calls++; return Fnv1aHasher.Fnv1a(k); }));
        table.Set(5, 50);
        table.Set(6, 60);
        Assert.True(table.TryGetValue(5, out ulong v));
        Assert.Equal(50UL, v);
        Assert.Equal(3, calls);
        Assert.Throws<ArgumentNullException>(() => new DelegateHasher<ulong>(null!));
    }

    [Fact]
    public void UncheckedSlotsReachTheSameSlotsAsCheckedOnesAndOnlyTheCheckedOnesRefuseAnIndexPastTheEnd()
    {
        var cells = new ulong[8];
        for (ulong i = 0; i < 8; i++)
            Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(ref BoundsCheckedSlots.At(cells.AsSpan(), i), ref UncheckedSlots.At(cells.AsSpan(), i)));
        Assert.Throws<IndexOutOfRangeException>(() => BoundsCheckedSlots.At(cells.AsSpan(0, 4), 4));
    }

    [Fact]
    public void CStyleSlotsStartOnACacheLine()
    {
        foreach (int log2 in new[] { 2, 10, 17 })
        {
            Assert.Equal(0, new CStyleHashTable<BoundsCheckedSlots>(log2).SlotMisalignment);
            Assert.Equal(0, new CStyleHashTable<UncheckedSlots>(log2).SlotMisalignment);
        }
    }

    [Fact]
    public void TheCBaselineRecordsItsCompilerAndFlags()
    {
        Assert.StartsWith("gcc ", NativeBenchLibrary.Compiler);
        Assert.Contains("-O2", NativeBenchLibrary.CFlags);
    }

    [Fact]
    public void SuiteHasEveryRowWithItsFieldsAndTheTablesAgree()
    {
        var settings = new LangTaxSuite.Settings([8, 10], 4096, 2);
        var result = LangTaxSuite.Run(settings, quick: true);
        var expected = from log2 in settings.Log2Sizes from kind in LangTaxSuite.Kinds from op in new[] { "get", "set" } select $"{kind}-{op}-{log2}";
        Assert.Equal(expected.Order(), result.Rows.Select(r => r.Name).Order());
        foreach (var row in result.Rows)
        {
            foreach (var f in new[] { "cycles_per_op", "ns_per_op", "min_cycles_per_op", "ratio_to_c", "alloc_bytes_per_op", "entries", "ops", "reps", "checksum" })
                Assert.Contains(row.Fields, x => x.Key == f);
            Assert.True(row.Number("cycles_per_op") > 0);
            Assert.Equal(2, row.Samples.Length);
        }
        foreach (int log2 in settings.Log2Sizes)
        {
            Assert.Equal(1, result[$"c-get-{log2}"].Number("ratio_to_c"));
            var sums = LangTaxSuite.Kinds.Select(k => result[$"{k}-get-{log2}"].Fields.First(f => f.Key == "checksum").Value!.ToJsonString()).Distinct();
            Assert.Single(sums);
            foreach (string kind in new[] { "unchecked", "cstyle", "idiomatic", "delegate", "dictionary" })
                foreach (string op in new[] { "get", "set" })
                    Assert.Equal(0, result[$"{kind}-{op}-{log2}"].Number("alloc_bytes_per_op"));
            Assert.True(result[$"linq-get-{log2}"].Number("alloc_bytes_per_op") > 0, "the linq row allocates per operation");
        }
        var json = JsonNode.Parse(result.ToJsonText())!;
        Assert.Equal("langtax", (string?)json["suite"]);
        Assert.StartsWith("gcc ", (string?)json["details"]!["c_compiler"]);
        Assert.Contains("-O2", (string?)json["details"]!["c_flags"]);
        Assert.False((bool)json["runtime"]!["tiered_pgo"]!); // Directory.Build.props turns it off in every RedLeaf process
    }
}

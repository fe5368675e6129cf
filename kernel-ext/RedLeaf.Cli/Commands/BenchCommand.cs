// kernel-ext/RedLeaf.Cli: `redleaf bench <suite> [--quick] [--json PATH|-] [--save]` (heap-stress also takes
// [--seconds N]: how long the storm runs; gc takes [--rates A,B,..] [--seconds N] per rate, and [--here]: this
// process's GC mode only, which is how it runs each mode in a child of this tool). Progress goes
// to stderr; with --json - the JSON alone goes to stdout, otherwise a table does. --save appends the
// run to datasets/results/<suite>.json (Results/ResultsStore), which `redleaf results table` reads.
using RedLeaf.Benchmarks.Gc;
using RedLeaf.Benchmarks.Results;
using RedLeaf.Benchmarks.Suites;
using RedLeaf.Measure;
using RedLeaf.Measure.Results;

namespace RedLeaf.Cli.Commands;

internal static class BenchCommand
{
    /// <summary>The usage line, its suites named from the table below (so it cannot leave one out).</summary>
    public static string Usage => $"redleaf bench <{string.Join('|', Suites.Keys)}> [--quick] [--seconds N (heap-stress, gc)] [--rates MB/s,... (gc)] [--here (gc)] [--json PATH|-] [--save]";

    private static double? _seconds;
    private static string? _rates;
    private static bool _here;

    private static readonly Dictionary<string, Func<bool, Action<string>, SuiteResult>> Suites = new()
    {
        [CallsSuite.Name] = (quick, progress) => CallsSuite.Run(quick, progress),
        [LifecycleSuite.Name] = (quick, progress) => LifecycleSuite.Run(quick, progress),
        [InstrumentationSuite.Name] = (quick, progress) => InstrumentationSuite.Run(quick, progress),
        [LangTaxSuite.Name] = (quick, progress) => LangTaxSuite.Run(quick, progress),
        [NetSuite.Name] = (quick, progress) => NetSuite.Run(quick, progress),
        [BlkSuite.Name] = (quick, progress) => BlkSuite.Run(quick, progress),
        [RecoverySuite.Name] = (quick, progress) => RecoverySuite.Run(quick, progress),
        [RiscvSuite.Name] = (quick, progress) => RiscvSuite.Run(quick, progress),
        [Rv6Suite.Name] = (quick, progress) => Rv6Suite.Run(quick, progress),
        [HeapStressSuite.Name] = (quick, progress) => HeapStressSuite.Run(quick, progress, _seconds),
        [GcSuite.Name] = RunGc,
        [AppsSuite.Name] = (quick, progress) => AppsSuite.Run(quick, progress),
    };

    private static SuiteResult RunGc(bool quick, Action<string> progress)
    {
        var settings = GcSettings.Default(quick);
        try
        {
            if (_rates is not null) settings = settings with { Rates = GcSettings.ParseRates(_rates) };
        }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        if (_seconds is { } seconds) settings = settings with { Seconds = seconds };
        return _here ? GcSuite.RunHere(quick, progress, settings) : GcSuite.Run(quick, progress, settings, Child.Command([]));
    }

    public static int Run(Args args)
    {
        if (args.Words.Count < 2) throw new UsageException($"which suite? usage: {Usage}");
        string suite = args.Words[1];
        if (!Suites.TryGetValue(suite, out var run))
            throw new UsageException($"unknown suite '{suite}' (suites: {string.Join(", ", Suites.Keys)})");
        bool quick = args.Flag("--quick");
        string? json = args.Option("--json");
        bool save = args.Flag("--save");
        string? seconds = args.Option("--seconds");
        _rates = args.Option("--rates");
        _here = args.Flag("--here");
        args.RejectUnknown();
        _seconds = null;
        if ((_rates is not null || _here) && suite != GcSuite.Name) throw new UsageException($"--rates and --here are for gc only; usage: {Usage}");
        if (seconds is not null)
        {
            if (suite != HeapStressSuite.Name && suite != GcSuite.Name) throw new UsageException($"--seconds is for heap-stress and gc only; usage: {Usage}");
            if (!double.TryParse(seconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) || !(s > 0) || s > 86_400)
                throw new UsageException($"--seconds must be a number of seconds between 0 and 86400, not '{seconds}'");
            _seconds = s;
        }

        var result = run(quick, msg => Console.Error.WriteLine(msg));
        if (json == "-")
        {
            Console.Error.WriteLine(result.ToTable());
            Console.Out.WriteLine(result.ToJsonText());
        }
        else
        {
            Console.Out.WriteLine(result.ToTable());
            if (json is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(json))!);
                File.WriteAllText(json, result.ToJsonText());
                Console.Error.WriteLine($"wrote {json}");
            }
        }
        if (save)
        {
            string path = ResultsStore.Default.Save(result, $"redleaf bench {suite}{(quick ? " --quick" : "")}");
            Console.Error.WriteLine($"saved to {path} (newest {ResultsStore.RunsKept} runs of this mode kept); 'redleaf results table' updates README.md");
        }
        return 0;
    }
}

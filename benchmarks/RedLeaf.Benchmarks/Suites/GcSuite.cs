// benchmarks/RedLeaf.Benchmarks/Suites: `redleaf bench gc`, what a garbage collector costs a kernel whose domains
// run on it (the lecture's question, issue 20). Which collector a process runs (workstation or server,
// background gen2 on or off) is fixed when it starts, so each mode runs in a child process of its own: the
// `redleaf` tool again (`bench gc --here`), started with DOTNET_gcServer / DOTNET_gcConcurrent, doing the
// measurement of Gc/GcUnderLoad and printing its JSON, whose "runtime" object proves the mode it ran in.
// Rows `<mode>-<rate>mb` (per-batch latency median/p99/p99.9/max, Mpps, pauses, the series) and
// `<mode>-crash-cleanup`, for modes wks-conc, wks, svr-conc, svr.
using System.Diagnostics;
using System.Text.Json.Nodes;
using RedLeaf.Benchmarks.Gc;
using RedLeaf.Measure;

namespace RedLeaf.Benchmarks.Suites;

public static class GcSuite
{
    public const string Name = "gc";

    /// <summary>Every mode in a child process started with <paramref name="tool"/> (the `redleaf` tool: its host
    /// and arguments before `bench`; <see cref="ToolCommand"/> finds it when null).</summary>
    public static SuiteResult Run(bool quick, Action<string>? progress = null, GcSettings? settings = null, IReadOnlyList<string>? tool = null)
    {
        progress ??= _ => { };
        var s = settings ?? GcSettings.Default(quick);
        tool ??= ToolCommand();
        var rows = new List<BenchRow>();
        var modes = new JsonArray();
        foreach (var mode in s.Modes)
        {
            progress($"gc: mode {mode.Name} ({mode.Description}) in a child process ...");
            var (child, seconds) = RunChild(tool, mode, s, quick, progress);
            var runtime = child["runtime"]!.AsObject();
            if ((bool)runtime["server_gc"]! != mode.Server || (bool)runtime["concurrent_gc"]! != mode.Concurrent)
                throw new InvalidOperationException($"bench gc: the child for mode {mode.Name} ran with server_gc={runtime["server_gc"]}, concurrent_gc={runtime["concurrent_gc"]}: the environment variables did not take");
            foreach (var r in child["rows"]!.AsArray())
            {
                var row = new BenchRow((string)r!["name"]!);
                foreach (var (k, v) in r.AsObject()) if (k != "name") row.Set(k, v?.DeepClone());
                row.Set("server_gc", mode.Server).Set("concurrent_gc", mode.Concurrent);
                rows.Add(row);
            }
            modes.Add(new JsonObject
            {
                ["mode"] = mode.Name,
                ["description"] = mode.Description,
                ["runtime"] = runtime.DeepClone(),
                ["clock_hz"] = child["clock"]?["hz"]?.DeepClone(), // the child's own calibration: its rows' *_ns are ticks at this rate
                ["child_seconds"] = BenchRow.Round(seconds),
                ["environment"] = new JsonObject(mode.Environment.Where(e => e.Value is not null).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            });
        }
        return new SuiteResult(Name, quick, rows)
        {
            Details = new JsonObject
            {
                ["modes"] = modes,
                ["rates_mb_per_s"] = new JsonArray(s.Rates.Select(r => (JsonNode?)r).ToArray()),
                ["seconds_per_rate"] = s.Seconds,
                ["window_ms"] = s.WindowMs,
                ["batch"] = s.Batch,
                ["stall_us"] = s.StallMicroseconds,
                ["scenario"] = "nullnet's driver in a domain, the network application in another, transmitting batches; a third domain (workloads/gc_churn) allocates nodes with 48-byte payloads at the row's rate, keeping the newest 65,536 live",
                ["pauses"] = "stop-the-world pauses from the runtime's events (GCSuspendEEBegin_V1 to GCRestartEEEnd_V1, EventListener); runtime_pause_ms is GC.GetTotalPauseDuration over the same window, a cross-check",
            },
        };
    }

    /// <summary>This process's own mode only (what a child does).</summary>
    public static SuiteResult RunHere(bool quick, Action<string>? progress = null, GcSettings? settings = null) =>
        GcUnderLoad.Run(settings ?? GcSettings.Default(quick), quick, progress);

    /// <summary>The `redleaf` tool to start children with: the host running this process and redleaf.dll, beside
    /// this program (the tool itself, the tests) or as `./redleaf` builds it in the repository.</summary>
    public static IReadOnlyList<string> ToolCommand()
    {
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var candidates = new List<string> { Path.Combine(AppContext.BaseDirectory, "redleaf.dll") };
        try
        {
            string root = Path.GetDirectoryName(RedLeaf.Measure.Results.Datasets.Folder)!;
            candidates.Add(Path.Combine(root, "kernel-ext", "RedLeaf.Cli", "bin", "Release", "net10.0", "redleaf.dll"));
        }
        catch (DirectoryNotFoundException) { }
        var found = candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"bench gc runs each GC mode in a child process of the redleaf tool, and found none at {string.Join(" or ", candidates)}; build it with ./redleaf help");
        return [host, found];
    }

    private static (JsonNode Json, double Seconds) RunChild(IReadOnlyList<string> tool, GcMode mode, GcSettings s, bool quick, Action<string> progress)
    {
        var psi = new ProcessStartInfo(tool[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in tool.Skip(1)) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "bench", Name, "--here", "--rates", s.RatesText, "--seconds", s.Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json", "-" }) psi.ArgumentList.Add(a);
        if (quick) psi.ArgumentList.Add("--quick");
        foreach (var (k, v) in mode.Environment)
            if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"bench gc: could not start {tool[0]}");
        var errors = new List<string>();
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors) errors.Add(e.Data);
            if (e.Data.StartsWith("gc: ", StringComparison.Ordinal)) progress(e.Data);
        };
        p.BeginErrorReadLine();
        var output = p.StandardOutput.ReadToEndAsync();
        var limit = TimeSpan.FromSeconds(120 + (s.Seconds + s.WarmupSeconds) * (s.Rates.Count + 1) * 4);
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"bench gc: the child for mode {mode.Name} ran past {limit.TotalSeconds:F0} s");
        }
        p.WaitForExit();
        string json = output.Result;
        if (p.ExitCode != 0)
            lock (errors) throw new InvalidOperationException($"bench gc: the child for mode {mode.Name} ({string.Join(' ', psi.ArgumentList)}) exited with {p.ExitCode}: {string.Join(Environment.NewLine, errors.TakeLast(15))}");
        try { return (JsonNode.Parse(json)!, sw.Elapsed.TotalSeconds); }
        catch (System.Text.Json.JsonException e) { throw new InvalidOperationException($"bench gc: the child for mode {mode.Name} printed no JSON ({e.Message}): {json[..Math.Min(json.Length, 500)]}"); }
    }
}

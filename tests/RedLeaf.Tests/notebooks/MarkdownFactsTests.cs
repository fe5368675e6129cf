// tests/notebooks: a notebook's prose cannot go stale (issue 23, item 4). The convention: markdown states
// no number measured on this machine; such numbers come from cell outputs, printed beside the prose. The
// only quantities markdown may state are the paper's (and other publications') figures and the settings a
// notebook runs with, each listed below with where it comes from. A number with a unit of time, rate or
// share that is not on the list fails this test: either a cell should print it, or it belongs on the
// list with its source.
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
public sealed class MarkdownFactsTests
{
    /// <summary>Quantities prose may state, each with its source (normalised: "124 cycles", "14.88 Mpps").</summary>
    private static readonly Dictionary<string, string> Published = new()
    {
        ["124 cycles"] = "the paper's Table 1: one RedLeaf cross-domain call",
        ["124-cycle"] = "the paper's Table 1",
        ["86 cycles"] = "the paper's Table 1 breakdown: saving the caller's continuation",
        ["834 cycles"] = "the paper's Table 1: seL4 IPC",
        ["38 cycles"] = "the paper's 124 less its 86 (a prediction prompt)",
        ["25%"] = "the paper's Figure 5: idiomatic Rust against C",
        ["75%"] = "the hash table's fill (the setting of Figure 5, ours and the paper's)",
        ["14.88 Mpps"] = "10 GbE line rate at 64-byte frames (the NIC model's pacing)",
        ["2.6 GHz"] = "the paper's machine: a 2.6 GHz Xeon",
        ["175 cycles"] = "the paper's 2.6 GHz core divided by line rate",
        ["457 K IOPS"] = "the paper's Figure 8: NVMe",
        ["5,250 cycles"] = "the paper's 2.4 GHz NVMe machine divided by its 457 K IOPS",
        ["2.4 GHz"] = "the paper's NVMe machine: a 2.4 GHz Xeon (hardware.json)",
        ["200 ms"] = "recovery: the crash interval in quick mode (a setting)",
        ["10 ms"] = "recovery: the throughput bin (a setting)",
        ["100 ms"] = "bench calls: how long the JIT must stay quiet before timing (a setting)",
        ["0.4 s"] = "gc-cost: seconds per rate in quick mode (a setting)",
        ["512 MB/s"] = "gc-cost: the highest allocation rate (a setting)",
        ["0 MB/s"] = "gc-cost: the baseline rate (a setting)",
        ["5 ms"] = "gc-cost: an example in the prose (a packet that waited 5 ms)",
        ["13%"] = "Biscuit (OSDI 2018): share of kernel CPU time on high-level-language features, published",
        ["115 us"] = "Biscuit (OSDI 2018): longest pause, published",
    };

    private static readonly Regex Quantity = new(
        @"(?<![\w.,])(\d[\d,]*(?:\.\d+)?)(?:\s*|-)(ns|cycles?|cycle|ticks?|ms|µs|us|s|Mpps|MB/s|GB/s|%|K IOPS|GHz)(?![\w/])",
        RegexOptions.Compiled);

    [Fact]
    public void ProseStatesOnlyPublishedFiguresAndSettings()
    {
        var stray = new List<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(TestNotebook.Root, "notebooks"), "*.ipynb").OrderBy(p => p, StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            int index = 0;
            foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
            {
                index++;
                if (cell.GetProperty("cell_type").GetString() != "markdown") continue;
                string text = string.Concat(cell.GetProperty("source").EnumerateArray().Select(l => l.GetString()));
                foreach (Match m in Quantity.Matches(text))
                {
                    string unit = m.Groups[2].Value;
                    string key = m.Value.Contains('-') ? m.Value : $"{m.Groups[1].Value}{(unit == "%" ? "" : " ")}{unit}";
                    if (!Published.ContainsKey(key))
                        stray.Add($"{Path.GetFileName(path)}, cell {index}: \"{key}\" in \"...{Around(text, m.Index)}...\"");
                }
            }
        }
        Assert.True(stray.Count == 0,
            "markdown states numbers that are neither published figures nor settings (print them from a cell, or list them with their source in MarkdownFactsTests):\n" + string.Join("\n", stray));
    }

    [Fact]
    public void TheCheckFindsAMeasuredNumberInProse()
    {
        Assert.Matches(Quantity, "a proxy call costs 38.2 ticks here");
        var m = Quantity.Match("the disk kept 0.93 GB/s while its driver crashed");
        Assert.True(m.Success && !Published.ContainsKey($"{m.Groups[1].Value} {m.Groups[2].Value}"));
        Assert.DoesNotMatch(Quantity, "Figure 5 and Table 1"); // numbers without a unit are names, not measurements
    }

    private static string Around(string text, int at)
    {
        int from = Math.Max(0, at - 40), to = Math.Min(text.Length, at + 40);
        return text[from..to].Replace('\n', ' ');
    }
}

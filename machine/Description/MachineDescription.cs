// machine/Description/MachineDescription.cs: the real host under the emulated machine.
// Every cycle count RedLeaf.NET reports was measured on some physical CPU; this record names it
// (model, cores, memory, OS, runtime, TSC flags, clock) so results can be compared with the
// paper's numbers and with each other. Linux facts come from /proc; elsewhere fields fall back to
// what .NET itself knows. Fields are plain strings and numbers so they serialize as they are.
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace RedLeaf.Hardware;

/// <summary>What the emulated machine is running on.</summary>
/// <param name="Cpu">CPU model name ("model name" in /proc/cpuinfo), or the architecture if unknown.</param>
/// <param name="Cores">Logical cores this process may use.</param>
/// <param name="MemoryBytes">Total memory (MemTotal in /proc/meminfo, else what the GC sees).</param>
/// <param name="ConstantTsc">The TSC ticks at a fixed rate whatever the CPU frequency.</param>
/// <param name="NonstopTsc">The TSC keeps ticking in deep sleep states.</param>
public sealed record MachineDescription(
    string Cpu, int Cores, long MemoryBytes, string Os, string Runtime,
    bool ConstantTsc, bool NonstopTsc, ClockInfo Clock)
{
    static readonly Lazy<MachineDescription> s_current = new(Describe);

    /// <summary>This host, described once (the first call calibrates the clock, about 30 ms).</summary>
    public static MachineDescription Current => s_current.Value;

    /// <summary>Reads the host's description afresh.</summary>
    public static MachineDescription Describe()
    {
        var cpuinfo = ReadProc("/proc/cpuinfo");
        string[] flags = (Field(cpuinfo, "flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new MachineDescription(
            Cpu: Field(cpuinfo, "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
            Cores: Environment.ProcessorCount,
            MemoryBytes: MemTotal() ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            Os: RuntimeInformation.OSDescription,
            Runtime: RuntimeInformation.FrameworkDescription,
            ConstantTsc: flags.Contains("constant_tsc"),
            NonstopTsc: flags.Contains("nonstop_tsc"),
            Clock: Tsc.Info);
    }

    /// <summary>The description with snake_case keys, for result files and notebooks.</summary>
    public JsonObject ToJsonObject() => new()
    {
        ["cpu"] = Cpu,
        ["cores"] = Cores,
        ["memory_bytes"] = MemoryBytes,
        ["os"] = Os,
        ["runtime"] = Runtime,
        ["constant_tsc"] = ConstantTsc,
        ["nonstop_tsc"] = NonstopTsc,
        ["clock"] = new JsonObject
        {
            ["source"] = Clock.Source,
            ["hz"] = Clock.Hz,
            ["read_cost_cycles"] = Clock.ReadCostCycles,
            ["note"] = Clock.Note,
        },
    };

    static long? MemTotal()
    {
        // "MemTotal:       16384000 kB"
        string? value = Field(ReadProc("/proc/meminfo"), "MemTotal");
        string[] parts = value?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], out long kb) ? kb * 1024 : null;
    }

    // The value after the first "key<spaces or tabs>:" line; /proc/cpuinfo repeats keys per core.
    static string? Field(string[] lines, string key)
    {
        foreach (string line in lines)
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line.AsSpan(0, colon).TrimEnd().SequenceEqual(key))
                return line[(colon + 1)..].Trim();
        }
        return null;
    }

    static string[] ReadProc(string path)
    {
        try { return File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }
}

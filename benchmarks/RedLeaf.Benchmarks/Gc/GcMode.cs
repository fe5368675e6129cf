// benchmarks/RedLeaf.Benchmarks/Gc: the four ways .NET's collector can be set up, which a process cannot change once
// it runs (workstation or server; background, "concurrent", gen2 collections on or off). `redleaf bench gc`
// measures each in a child process of its own started with the runtime's own environment variables
// (DOTNET_gcServer, DOTNET_gcConcurrent), and checks from the child's JSON (its "runtime" object) that the
// child really ran with them.
namespace RedLeaf.Benchmarks.Gc;

public sealed record GcMode(string Name, bool Server, bool Concurrent, string Description)
{
    public static readonly GcMode WorkstationConcurrent = new("wks-conc", false, true, "workstation, background gen2 (.NET's default for a console program)");
    public static readonly GcMode WorkstationBlocking = new("wks", false, false, "workstation, every collection blocking");
    public static readonly GcMode ServerConcurrent = new("svr-conc", true, true, "server (a heap and a GC thread per core), background gen2 (ASP.NET's default)");
    public static readonly GcMode ServerBlocking = new("svr", true, false, "server, every collection blocking");

    public static readonly IReadOnlyList<GcMode> All = [WorkstationConcurrent, WorkstationBlocking, ServerConcurrent, ServerBlocking];

    public static GcMode Named(string name) => All.FirstOrDefault(m => m.Name == name)
        ?? throw new ArgumentException($"no GC mode named '{name}' (modes: {string.Join(", ", All.Select(m => m.Name))})");

    /// <summary>The environment a child process needs to run in this mode. The runner's heap limit
    /// (DOTNET_GCHeapHardLimit, inherited by a notebook's children) is cleared: a hard limit changes how
    /// the collector sizes its heaps, and the modes are compared as a program would run them.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["DOTNET_gcServer"] = Server ? "1" : "0",
        ["DOTNET_gcConcurrent"] = Concurrent ? "1" : "0",
        ["DOTNET_GCHeapHardLimit"] = null,
    };

    public override string ToString() => Name;
}

// measure: the runtime settings a measurement ran under, read from the running process (AppContext
// switches, GCSettings, RuntimeInformation), never assumed: every suite's JSON carries them as its
// top-level "runtime" object. RedLeaf's programs run with tiered PGO off (Directory.Build.props: with it
// on, .NET 10.0.12 crashed on a domain looping in try/finally), and a reader of a number should not have
// to trust a README for that.
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace RedLeaf.Measure;

public sealed record RuntimeSettings(bool TieredCompilation, bool TieredPgo, bool ServerGc, bool ConcurrentGc, string Dotnet)
{
    /// <summary>This process's settings. Tiered compilation and PGO are on unless a runtimeconfig switch
    /// (System.Runtime.TieredCompilation / TieredPGO) or the DOTNET_ environment variable turned them off,
    /// which is how the runtime itself decides.</summary>
    public static RuntimeSettings Current => new(
        Switch("System.Runtime.TieredCompilation", "DOTNET_TieredCompilation"),
        Switch("System.Runtime.TieredPGO", "DOTNET_TieredPGO"),
        GCSettings.IsServerGC,
        GCSettings.LatencyMode != GCLatencyMode.Batch,
        RuntimeInformation.FrameworkDescription);

    // The environment variable wins over the runtimeconfig property, as in the runtime's CLRConfig.
    static bool Switch(string appContextName, string environmentName)
    {
        string? env = Environment.GetEnvironmentVariable(environmentName);
        if (env is not null) return env.Trim() != "0";
        return AppContext.GetData(appContextName) switch
        {
            bool b => b,
            string s when bool.TryParse(s, out bool b) => b,
            _ => true,
        };
    }

    public JsonObject ToJson() => new()
    {
        ["tiered_compilation"] = TieredCompilation,
        ["tiered_pgo"] = TieredPgo,
        ["server_gc"] = ServerGc,
        ["concurrent_gc"] = ConcurrentGc,
        ["dotnet"] = Dotnet,
    };
}

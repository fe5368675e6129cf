// os/kernel/Domains: finds the host's one copy of an assembly domains share (the ABI, the interface
// assembly). Asking the runtime by simple name is not enough inside notebook hosts: .NET Interactive
// loads `#r` assemblies by path, and a later load by name does not find them (Roslyn's scripting
// loader refuses a name without a version). So look among what is loaded first, preferring the load
// context the kernel itself lives in. An interface set resolves to the copy InterfaceSets admitted.
using System.Reflection;
using System.Runtime.Loader;

namespace RedLeaf.Os.Domains;

internal static class SharedAssemblies
{
    /// <summary>The loaded, non-collectible assembly with this simple name, or null.</summary>
    public static Assembly? Loaded(string? simpleName)
    {
        if (simpleName is null) return null;
        // An interface set: only the admitted copy (a set refused half-way may have left another loaded).
        if (simpleName.StartsWith(InterfaceImage.NamePrefix, StringComparison.Ordinal)) return InterfaceSets.Find(simpleName)?.Assembly;
        var home = AssemblyLoadContext.GetLoadContext(typeof(SharedAssemblies).Assembly);
        Assembly? any = null;
        foreach (var a in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (a.GetName().Name != simpleName) continue;
            var alc = AssemblyLoadContext.GetLoadContext(a);
            if (alc is null || alc.IsCollectible) continue;
            if (alc == home) return a;
            any ??= a;
        }
        return any;
    }

    /// <summary>The host's copy of a shared assembly. If none is loaded yet: the file beside the kernel's
    /// own assembly, loaded into the kernel's load context; else the runtime's load by name.</summary>
    public static Assembly Get(string simpleName)
    {
        if (Loaded(simpleName) is { } a) return a;
        var kernel = typeof(SharedAssemblies).Assembly;
        string beside = Path.Combine(Path.GetDirectoryName(kernel.Location) ?? "", simpleName + ".dll");
        if (kernel.Location.Length > 0 && File.Exists(beside))
            return (AssemblyLoadContext.GetLoadContext(kernel) ?? AssemblyLoadContext.Default).LoadFromAssemblyPath(beside);
        return Assembly.Load(simpleName);
    }
}

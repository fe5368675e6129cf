// os/kernel/Domains: where an interface set and its generated proxies live: a load context that is
// never unloaded (domains of any instance, and proxies, keep using its types) and that resolves
// every reference to the host's one copy (the ABI, the kernel, RedLeaf.Interfaces, earlier sets).
using System.Reflection;
using System.Runtime.Loader;

namespace RedLeaf.Os.Domains;

internal sealed class InterfaceLoadContext : AssemblyLoadContext
{
    /// <param name="collectible">true only for the loader's trial load, which checks a set before it is admitted.</param>
    public InterfaceLoadContext(string name, bool collectible = false) : base(name, isCollectible: collectible) { }

    /// <summary>The set loaded here (its proxies, loaded next, reference it before it is admitted).</summary>
    public Assembly? Set { get; set; }

    protected override Assembly? Load(AssemblyName assemblyName) =>
        Set is { } set && assemblyName.Name == set.GetName().Name ? set : SharedAssemblies.Loaded(assemblyName.Name);
}

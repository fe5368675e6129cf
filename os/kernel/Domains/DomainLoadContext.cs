// os/kernel/Domains: one collectible load context per domain instance. The shared assemblies (the
// ABI, the IDL, the base library) resolve to the host's single copy; the domain's own code lives
// here alone, so unloading the context removes it, and two instances never share statics.
using System.Reflection;
using System.Runtime.Loader;

namespace RedLeaf.Os.Domains;

internal sealed class DomainLoadContext : AssemblyLoadContext
{
    public DomainLoadContext(string name) : base(name, isCollectible: true) { }

    // Everything a domain may reference is shared: the host's loaded copy, else the default
    // context. The image inspector has already refused references outside the allowed set.
    protected override Assembly? Load(AssemblyName assemblyName) => SharedAssemblies.Loaded(assemblyName.Name);
}

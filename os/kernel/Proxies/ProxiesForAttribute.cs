// os/kernel/Proxies: names, in a trusted proxies assembly, the interface assembly whose
// [DomainInterface]s the IDL compiler writes proxies for. systems/RedLeaf.Proxies carries one for
// RedLeaf.Interfaces; the trusted pipeline adds one to each proxies assembly it builds for a cell's
// interface set. Without it a trusted compilation gets proxies only for interfaces it declares itself,
// so no assembly registers a second proxy for another's interface by merely referencing it.
namespace RedLeaf.Os.Proxies;

[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class ProxiesForAttribute(string interfaceAssembly) : Attribute
{
    /// <summary>The simple name of the interface assembly.</summary>
    public string InterfaceAssembly { get; } = interfaceAssembly;
}

// os/kernel/Domains: one incarnation of a domain: its token (id and state as the hot path sees
// them), its load context, and the proxies to its objects that it has handed out. A restart makes
// a new instance; the old one's id never comes back.
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Os.Domains;

internal sealed class DomainInstance
{
    public DomainInstance(DomainToken token, DomainLoadContext context)
    {
        Token = token;
        Context = context;
        ContextRef = new WeakReference(context, trackResurrection: false);
    }

    public DomainToken Token { get; }
    /// <summary>Strong reference while loaded; cleared at unload so only the weak one remains.</summary>
    public DomainLoadContext? Context { get; set; }
    public WeakReference ContextRef { get; }
    /// <summary>The device capabilities this instance holds (revoked when it dies).</summary>
    public RedLeaf.Abi.DeviceAccess[] Devices { get; set; } = Array.Empty<RedLeaf.Abi.DeviceAccess>();
    /// <summary>Proxies whose target is an object of this instance, held weakly (all still alive are unbound when it dies).</summary>
    public ExportedProxies Exported { get; } = new();
}

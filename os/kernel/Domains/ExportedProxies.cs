// os/kernel/Domains: the proxies to one instance's objects that it has handed out (its export, the
// interface objects it passed as arguments, its thread bodies), so its crash cleanup can unbind them all
// and its load context can be collected. Held weakly: a proxy nobody holds any more is collected with the
// object it binds, so a domain that passes a fresh callback on every call does not grow kernel memory.
using System.Runtime.CompilerServices;
using RedLeaf.Os.Proxies;

namespace RedLeaf.Os.Domains;

internal sealed class ExportedProxies
{
    // ConditionalWeakTable: keys held weakly, dead entries dropped when the table grows, its own lock per
    // table (so a wrap contends only with the same instance's other threads, never the kernel's gate).
    private readonly ConditionalWeakTable<Proxy, object> _live = new();
    private static readonly object Present = new();

    /// <summary>Tracks <paramref name="proxy"/>. The caller re-checks the instance's state afterwards: a
    /// proxy added after <see cref="UnbindAll"/> ran is the caller's to unbind (see Microkernel.TrackExported).</summary>
    public void Add(Proxy proxy) => _live.AddOrUpdate(proxy, Present);

    /// <summary>Unbinds every proxy still alive; returns how many there were.</summary>
    public int UnbindAll(RedLeaf.Abi.Runtime.DomainToken token)
    {
        int n = 0;
        foreach (var (proxy, _) in _live) { proxy.Bind(null, token); n++; }
        _live.Clear();
        return n;
    }

    /// <summary>How many tracked proxies are still alive (collected ones are not counted; diagnostics and tests).</summary>
    public int CountAlive()
    {
        int n = 0;
        foreach (var _ in _live) n++;
        return n;
    }
}

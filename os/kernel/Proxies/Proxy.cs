// os/kernel/Proxies: the base of every generated proxy. A proxy stands in the caller's domain for an
// object of the callee's; the kernel binds it to the callee instance and unbinds it on a crash
// (dropping the only outside reference to the callee's object, so its load context can be collected)
// and rebinds the domain's export proxy when the domain is restarted.
using System.Runtime.CompilerServices;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Os.Proxies;

public abstract unsafe class Proxy
{
    internal DomainToken CalleeToken = null!;
    internal DomainCell* CalleeCell;

    /// <summary>The interface this proxy implements.</summary>
    public abstract Type Interface { get; }

    /// <summary>Id of the domain instance calls go to.</summary>
    public int CalleeId => CalleeCell->Id;

    /// <summary>True while calls can reach the callee.</summary>
    public bool IsBound => HasTarget && CalleeCell->State == DomainState.Running;

    internal abstract bool HasTarget { get; }
    internal abstract void Bind(object? target, DomainToken callee);

    /// <summary>The callee's cell, for the call steps in <see cref="CallFrame"/>.</summary>
    protected nint Callee => (nint)CalleeCell;

    public override string ToString() => $"proxy {Interface.Name} -> domain {CalleeId}{(IsBound ? "" : " (unbound)")}";
}

public abstract unsafe class Proxy<T> : Proxy where T : class
{
    /// <summary>The callee's object; null once the callee is gone.</summary>
    protected T? Target;

    public sealed override Type Interface => typeof(T);
    internal sealed override bool HasTarget => Target is not null;

    internal sealed override void Bind(object? target, DomainToken callee)
    {
        Target = (T?)target;
        CalleeToken = callee;
        CalleeCell = callee.Cell;
    }
}

// os/kernel/Proxies: the slow paths of a cross-domain call, out of line so the fast path stays
// small: turning a callee's exception or fault into a crash plus an RpcError, and wrapping domain
// objects that cross a call in proxies.
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;
using RedLeaf.Os.Domains;

namespace RedLeaf.Os.Proxies;

internal static unsafe class ProxyRuntime
{
    internal static RpcError AfterFailedCall(DomainCell* cell)
    {
        var callee = DomainToken.Of(cell);
        if (callee is null) return Gone(cell);
        switch (callee.State)
        {
            case DomainState.Faulted:
                Crash(callee, CrashKind.Fault, callee.FaultReason ?? "runtime check failed", null);
                return new RpcError(RpcErrorKind.CalleeCrashed, callee.Id);
            case DomainState.Killed:
                return new RpcError(RpcErrorKind.CalleeKilled, callee.Id);
            case DomainState.Crashed:
                return new RpcError(RpcErrorKind.CalleeCrashed, callee.Id);
            default:
                return new RpcError(RpcErrorKind.NotRunning, callee.Id);
        }
    }

    /// <summary>A callee whose managed record was already collected (a killed domain's cleanup can finish
    /// while a thread is still unwinding out of it): the error its cell's last state calls for.</summary>
    private static RpcError Gone(DomainCell* cell) => new(cell->State switch
    {
        DomainState.Killed => RpcErrorKind.CalleeKilled,
        DomainState.Crashed or DomainState.Faulted => RpcErrorKind.CalleeCrashed,
        _ => RpcErrorKind.NotRunning,
    }, cell->Id);

    internal static RpcError CalleeThrew(DomainCell* cell, Exception e)
    {
        var callee = DomainToken.Of(cell);
        if (callee is null) return Gone(cell);
        if (callee.State == DomainState.Killed) return new RpcError(RpcErrorKind.CalleeKilled, callee.Id);
        var kind = callee.State == DomainState.Faulted ? CrashKind.Fault : CrashKind.Exception;
        string reason = kind == CrashKind.Fault ? callee.FaultReason ?? e.Message : $"{e.GetType().FullName}: {e.Message}";
        Crash(callee, kind, reason, e);
        return new RpcError(RpcErrorKind.CalleeCrashed, callee.Id);
    }

    private static void Crash(DomainToken callee, CrashKind kind, string reason, Exception? e)
    {
        switch (callee.Owner)
        {
            case Domain d: d.Kernel.CrashInstance(callee, kind, reason, e); break;
            case Microkernel k: k.Log.Add($"host object threw in a cross-domain call: {reason}"); break;
        }
    }

    internal static T? Wrap<T>(T? value, DomainCell* cell) where T : class
    {
        if (value is null || value is Proxy) return value;
        var owner = DomainToken.Of(cell) ?? throw new ObjectDisposedException("microkernel", "the kernel behind this call has shut down");
        return Wrap(value, owner);
    }

    internal static T? Wrap<T>(T? value, DomainToken owner) where T : class
    {
        if (value is null || value is Proxy) return value;
        var proxy = ProxyRegistry.Create(typeof(T));
        proxy.Bind(value, owner);
        if (owner.Owner is Domain d) d.Kernel.TrackExported(owner, proxy);
        return (T)(object)proxy;
    }
}

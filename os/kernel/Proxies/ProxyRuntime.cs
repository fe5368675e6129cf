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
                Crash(callee, CrashKind.Fault, callee.FaultReason ?? "runtime check failed");
                return new RpcError(RpcErrorKind.CalleeCrashed, callee.Id);
            case DomainState.Killed:
                return new RpcError(RpcErrorKind.CalleeKilled, callee.Id);
            case DomainState.Crashed:
                return new RpcError(RpcErrorKind.CalleeCrashed, callee.Id);
            default:
                return new RpcError(RpcErrorKind.NotRunning, callee.Id);
        }
    }

    /// <summary>Returns once a crash cleanup of the callee's kernel that is under way has finished (its crash record
    /// is then there); the cleanup runs no domain code, so this is bounded.</summary>
    internal static void AwaitCleanup(DomainCell* cell)
    {
        if (DomainToken.Of(cell)?.Owner is Domain d) d.Kernel.AwaitCleanup();
    }

    /// <summary>A callee whose managed record was already collected (a killed domain's cleanup can finish
    /// while a thread is still unwinding out of it): the error its cell's last state calls for.</summary>
    private static RpcError Gone(DomainCell* cell) => new(cell->State switch
    {
        DomainState.Killed => RpcErrorKind.CalleeKilled,
        DomainState.Crashed or DomainState.Faulted => RpcErrorKind.CalleeCrashed,
        _ => RpcErrorKind.NotRunning,
    }, cell->Id);

    /// <summary>The callee threw <paramref name="reason"/> (already read as the callee: see Describe).</summary>
    internal static RpcError CalleeThrew(DomainCell* cell, string reason)
    {
        var callee = DomainToken.Of(cell);
        if (callee is null) return Gone(cell);
        if (callee.State == DomainState.Killed) return new RpcError(RpcErrorKind.CalleeKilled, callee.Id);
        var kind = callee.State == DomainState.Faulted ? CrashKind.Fault : CrashKind.Exception;
        Crash(callee, kind, kind == CrashKind.Fault ? callee.FaultReason ?? reason : reason);
        return new RpcError(RpcErrorKind.CalleeCrashed, callee.Id);
    }

    /// <summary>The longest message a crash record keeps of an exception.</summary>
    internal const int MaxMessage = 500;

    /// <summary>What a crash record keeps of an exception a domain threw: its runtime type's full name (read
    /// from metadata: no code of the domain's runs) and its Message, read here, on the thread that caught it,
    /// while the thread still runs as <paramref name="cell"/> (the thrower): a Message getter, and anything it
    /// reaches (a ToString of a value handed to a base-library exception, a static constructor), is domain
    /// code and runs under the domain's stop checks, stack guard and ownership rules like the rest of it. If
    /// the domain is no longer running (killed, faulted) the getter is not called at all; if it throws, the
    /// record says so instead. Nothing else of the exception (ToString, Data, StackTrace, inner exceptions)
    /// is ever called by the kernel; callers must not keep the exception object either.</summary>
    internal static string Describe(DomainCell* cell, Exception e)
    {
        var type = e.GetType(); // not virtual: the runtime's answer, whatever the domain declared
        string name = type.FullName ?? type.Name;
        if (cell->State != DomainState.Running || CurrentDomain.Cell != cell) return name;
        string? message;
        try { message = e.Message; }
        catch (Exception) { return $"{name} (its Message threw; not shown)"; } // the thrown object is not looked at either
        if (message is null) return name;
        if (message.Length > MaxMessage) message = string.Concat(message.AsSpan(0, MaxMessage), "...");
        return $"{name}: {message}";
    }

    private static void Crash(DomainToken callee, CrashKind kind, string reason)
    {
        switch (callee.Owner)
        {
            case Domain d: d.Kernel.CrashInstance(callee, kind, reason); break;
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
        if (owner.Owner is Domain) Microkernel.TrackExported(owner, proxy);
        return (T)(object)proxy;
    }
}

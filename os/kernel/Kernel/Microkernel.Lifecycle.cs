// os/kernel/Kernel: starting a domain instance and cleaning up after one. Kept apart from the
// domain table so the life of a domain reads top to bottom: start, serve, crash, collect.
using System.Diagnostics;
using System.Reflection;
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Proxies;

namespace RedLeaf.Os;

public sealed partial class Microkernel
{
    private void StartInstance(Domain d, ImageFacts facts, Standby? standby = null)
    {
        DomainToken token;
        lock (_gate)
        {
            token = new DomainToken(_nextId++, Heap.AbiView, host: _kernel) { Owner = d, Services = _threads };
            ApplyLimits(token, d.Limits);
            _tokens.Add(token);
        }
        var context = standby?.Context ?? new DomainLoadContext($"{d.Name}#{token.Id}");
        d.Instance = new DomainInstance(token, context) { Devices = GrantDevices(d, token) };
        object? export = RunEntry(d, token, context, facts, standby?.Assembly);
        if (export is not null)
        {
            Type iface;
            try { iface = ExportInterface(export, d); }
            catch (DomainException e)
            {
                export = null; // drop the only reference to the domain's object before cleanup
                CrashInstance(token, CrashKind.Start, e.Message);
                throw;
            }
            lock (_gate)
            {
                d.Export ??= ProxyRegistry.Create(iface);
                d.Export.Bind(export, token);
                d.Instance.Exported.Add(d.Export);
            }
        }
        Log.Add($"loaded {d.Name} as instance {token.Id} (image sha256 {d.Image.Sha256[..12]}, {d.Image.Assembly.Length} bytes)" +
                (d.Export is null ? "" : $", exports {d.Export.Interface.Name}"));
    }

    private static Type ExportInterface(object export, Domain d) =>
        export.GetType().GetInterfaces().FirstOrDefault(t => t.GetCustomAttribute<DomainInterfaceAttribute>() is not null)
        ?? throw new DomainException($"domain '{d.Name}' returned {export.GetType().Name} from its entry point, which implements no [DomainInterface]");

    /// <summary>Loads the image into the context and runs the entry point as the domain. Keeps no reference to its code.
    /// From host code (no domain current, or the kernel's scope) the entry runs on a host-call worker, so Load is
    /// bounded: after <see cref="KernelOptions.EntryTimeout"/> the domain is killed, and once it is not running
    /// (that kill, or another's) Load gives up on the worker within HostCall.KillGrace and fails.</summary>
    private unsafe object? RunEntry(Domain d, DomainToken token, DomainLoadContext context, ImageFacts facts, Assembly? loaded)
    {
        MethodInfo method;
        object[] args;
        try
        {
            var asm = loaded ?? context.LoadFromStream(new MemoryStream(d.Image.Assembly, writable: false));
            method = asm.GetType(facts.EntryType, throwOnError: true)!.GetMethod(facts.EntryMethod, BindingFlags.Public | BindingFlags.Static)
                ?? throw new DomainException($"domain '{d.Name}': [DomainEntry] {facts.EntryType}.{facts.EntryMethod} must be public and static");
            int devices = 0;
            args = method.GetParameters().Select(p => BindParameter(d, p, ref devices)).ToArray();
        }
        catch (DomainException)
        {
            CrashInstance(token, CrashKind.Start, "could not be bound");
            throw;
        }
        catch (Exception e)
        {
            // The runtime's own (a type that cannot load, say): no code of the domain's has run yet.
            string why = $"its image could not be loaded ({e.GetType().Name}: {e.Message})";
            CrashInstance(token, CrashKind.Start, why);
            throw new DomainException($"domain '{d.Name}' failed to start: {why}");
        }

        // Runs as the domain on whichever thread; whatever its exception says is read as the domain too.
        (object? Export, string? Threw) Enter()
        {
            var before = CurrentDomain.Cell;
            CurrentDomain.Cell = token.Cell;
            Accesses.Arrive(token.Cell); // this thread now runs in the domain (the shared heap's race rules: os/README, section 2)
            try { return (method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, args, null), null); }
            catch (Exception e) { return (null, ProxyRuntime.Describe(token.Cell, e)); }
            finally
            {
                CurrentDomain.Cell = before;
                CurrentDomain.StopThrownAt = 0;
            }
        }

        var previous = CurrentDomain.Cell;
        (object? Export, string? Threw) outcome;
        if (previous == null || previous->IsKernel != 0)
        {
            var timeout = Options.EntryTimeout;
            outcome = HostCall.Run(token.Cell, Enter, timeout,
                () => CrashInstance(token, CrashKind.Kill, $"entry point did not return within {timeout.TotalSeconds:0.#} s"), out var gaveUp);
            if (gaveUp.IsError)
                throw new DomainException($"domain '{d.Name}' failed to start: {d.LastCrash?.Reason ?? gaveUp.ToString()} (the loader stopped waiting for its entry point)");
        }
        else outcome = Enter(); // a domain's thread (a shadow restarting its driver): the domain-to-domain rule
        if (outcome.Threw is null && token.State == DomainState.Running) return outcome.Export;

        string reason = token.State == DomainState.Faulted && token.FaultReason is { } fault ? fault
            : outcome.Threw is null ? $"stopped while starting ({d.Status})" : $"entry point threw {outcome.Threw}";
        if (token.State is DomainState.Killed && d.LastCrash is { } killed) reason = killed.Reason;
        CrashInstance(token, CrashKind.Start, reason);
        throw new DomainException($"domain '{d.Name}' failed to start: {reason}");
    }

    private static object BindParameter(Domain d, ParameterInfo p, ref int devices)
    {
        if (p.ParameterType == typeof(DeviceAccess))
        {
            if (devices < d.Instance.Devices.Length) return d.Instance.Devices[devices++];
            throw new DomainException($"domain '{d.Name}' needs a device ('{p.Name}') at its entry point, but it was granted {(d.Devices.Length == 0 ? "none" : $"only {string.Join(", ", d.GrantedDevices)}")}");
        }
        if (p.ParameterType == typeof(RiscvMachine))
            return d.RiscvMachines.FirstOrDefault()
                ?? throw new DomainException($"domain '{d.Name}' needs a RiscvMachine ('{p.Name}') at its entry point, but it was not granted one (RiscvService.Grant)");
        if (p.ParameterType == typeof(RestartCapability))
            return d.Capabilities.FirstOrDefault()
                ?? throw new DomainException($"domain '{d.Name}' needs a RestartCapability ('{p.Name}') at its entry point, but it was not granted one (Microkernel.GrantRestart)");
        return d.Grants.FirstOrDefault(g => p.ParameterType.IsInstanceOfType(g))
            ?? throw new DomainException($"domain '{d.Name}' needs {p.ParameterType.Name} ('{p.Name}') at its entry point, but it was not granted one (granted: {string.Join(", ", d.GrantedInterfaces.DefaultIfEmpty("nothing"))})");
    }

    /// <summary>Waits for a crash cleanup under way on another thread (CrashInstance holds the gate throughout).</summary>
    internal void AwaitCleanup() { lock (_gate) { } }

    /// <summary>Crash cleanup for one instance. Idempotent; ignores instances already replaced by a restart.</summary>
    internal void CrashInstance(DomainToken token, CrashKind kind, string reason)
    {
        CrashRecord record;
        lock (_gate)
        {
            if (token.Owner is not Domain d || d.Instance.Token != token) return;
            if (token.State is DomainState.Crashed or DomainState.Killed or DomainState.Stopped) return;
            // A domain that was running may have threads in its code: every check now looks (Guard).
            // (A faulted one was counted when it faulted.) Either way the count drops once, when it is safe.
            if (token.State == DomainState.Running) Interlocked.Increment(ref Guard.StopsPending);
            token.State = kind == CrashKind.Kill ? DomainState.Killed : DomainState.Crashed;
            var inst = d.Instance;
            int reclaimed = RevokeDevices(inst); // stop the devices before anything they may DMA into is freed
            var quarantine = new Heap.SharedHeap.Quarantine();
            var (objects, bytes) = Heap.DropAllOwnedBy(token.Id, quarantine);
            int unbound = inst.Exported.UnbindAll(token);
            int threads = _threads.Release(token.Id);
            inst.Context?.Unload();
            inst.Context = null;
            record = new CrashRecord(d.Name, token.Id, kind, reason, DateTimeOffset.UtcNow, objects, bytes, unbound, threads)
            {
                Collection = Options.ConfirmCollection ? ConfirmCollected(d.Name, token.Id, inst.ContextRef, quarantine) : Unconfirmed(quarantine),
                DevicesReset = inst.Devices.Length,
                DeviceBuffersReclaimed = reclaimed,
            };
            d.AddCrash(record);
        }
        Log.Add($"{record}");
    }

    /// <summary>Collection not confirmed (turned off): the quarantined memory is released at once,
    /// accepting the window the quarantine exists to close (benchmarks that must not run background GCs),
    /// and the stop checks leave their slow path after <see cref="KernelOptions.UnconfirmedStopWindow"/>
    /// (before, they stayed on it for good after the first crash: every check in every domain paid for it).</summary>
    private Task<CollectionResult> Unconfirmed(Heap.SharedHeap.Quarantine quarantine)
    {
        Heap.Release(quarantine);
        _ = Task.Delay(Options.UnconfirmedStopWindow).ContinueWith(static _ => Interlocked.Decrement(ref Guard.StopsPending), TaskScheduler.Default);
        return Task.FromResult(new CollectionResult(false, 0, 0));
    }

    /// <summary>Runs full collections until the unloaded context is gone; logs the outcome either way.</summary>

    private Task<CollectionResult> ConfirmCollected(string name, int id, WeakReference context, Heap.SharedHeap.Quarantine quarantine) => Task.Run(async () =>
    {
        var sw = Stopwatch.StartNew();
        await HostCall.Left(id, TimeSpan.FromSeconds(60)).ConfigureAwait(false); // a thread given up on roots the code until it leaves
        for (int i = 1; i <= Options.CollectionAttempts; i++)
        {
            await Task.Delay(i == 1 ? 1 : 10).ConfigureAwait(false);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            if (!context.IsAlive)
            {
                Interlocked.Decrement(ref Guard.StopsPending); // no thread can be in collected code
                Heap.Release(quarantine);                      // so its memory can be reused
                Log.Add($"{name}#{id}: load context collected after {i} full collections ({sw.Elapsed.TotalMilliseconds:F1} ms)");
                return new CollectionResult(true, i, sw.Elapsed.TotalMilliseconds);
            }
        }
        Log.Add($"{name}#{id}: load context NOT collected after {Options.CollectionAttempts} full collections: something outside still references the domain's code");
        return new CollectionResult(false, Options.CollectionAttempts, sw.Elapsed.TotalMilliseconds);
    });
}

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
                CrashInstance(token, CrashKind.Start, e.Message, null);
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

    /// <summary>Loads the image into the context and runs the entry point as the domain. Keeps no reference to its code.</summary>
    private unsafe object? RunEntry(Domain d, DomainToken token, DomainLoadContext context, ImageFacts facts, Assembly? loaded)
    {
        object? result;
        var previous = CurrentDomain.Cell;
        try
        {
            var asm = loaded ?? context.LoadFromStream(new MemoryStream(d.Image.Assembly, writable: false));
            var method = asm.GetType(facts.EntryType, throwOnError: true)!.GetMethod(facts.EntryMethod, BindingFlags.Public | BindingFlags.Static)
                ?? throw new DomainException($"domain '{d.Name}': [DomainEntry] {facts.EntryType}.{facts.EntryMethod} must be public and static");
            int devices = 0;
            var args = method.GetParameters().Select(p => BindParameter(d, p, ref devices)).ToArray();
            CurrentDomain.Cell = token.Cell;
            Accesses.Arrive(token.Cell);
            result = method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, args, null);
            CurrentDomain.Cell = previous;
            if (token.State == DomainState.Faulted) throw new OwnershipViolationException(token.FaultReason ?? "fault during start");
        }
        catch (Exception e) when (e is not DomainException)
        {
            CurrentDomain.Cell = previous;
            string reason = $"entry point threw {e.GetType().Name}: {e.Message}";
            CrashInstance(token, CrashKind.Start, reason, e);
            throw new DomainException($"domain '{d.Name}' failed to start: {reason}");
        }
        catch (DomainException)
        {
            CurrentDomain.Cell = previous;
            CrashInstance(token, CrashKind.Start, "could not be bound", null);
            throw;
        }
        return result;
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

    /// <summary>Crash cleanup for one instance. Idempotent; ignores instances already replaced by a restart.</summary>
    internal void CrashInstance(DomainToken token, CrashKind kind, string reason, Exception? e)
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
            foreach (var p in inst.Exported) p.Bind(null, token);
            int unbound = inst.Exported.Count;
            inst.Exported.Clear();
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

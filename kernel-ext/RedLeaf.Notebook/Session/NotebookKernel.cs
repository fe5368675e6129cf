// kernel-ext/RedLeaf.Notebook/Session: a booted machine and microkernel, as a notebook (or any plain
// C# program) explores it. A thin layer over the core (RedLeaf.Os): every member answers with a
// kernel-owned picture (views, snapshots) or a proxy, never with an object of a domain's, so a
// crashed domain can always be collected even while a notebook shows it. `kernel.` tells the story:
// Machine, Log, Domains, Heap, Graph(), Load/Define, Use, Kill/Watch/Restart, Measure.
using RedLeaf.Abi;
using RedLeaf.Measure;
using RedLeaf.Notebook.Charts;
using RedLeaf.Notebook.Graph;
using RedLeaf.Notebook.Html;
using RedLeaf.Notebook.Views;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Heap;
using static RedLeaf.Notebook.Html.Markup;

namespace RedLeaf.Notebook.Session;

public sealed class NotebookKernel : IRichView, IDisposable
{
    internal NotebookKernel(Microkernel core, TimeSpan bootTime)
    {
        Core = core;
        BootTime = bootTime;
    }

    /// <summary>The microkernel itself, for everything this surface does not cover.</summary>
    public Microkernel Core { get; }

    /// <summary>How long booting the machine and the kernel took.</summary>
    public TimeSpan BootTime { get; }

    public MachineView Machine => new(Core.Machine);

    /// <summary>What the kernel did, in order: images verified, domains loaded, crashes cleaned up.</summary>
    public BootLog Log => Core.Log;

    /// <summary>The domain table, as it is now.</summary>
    public DomainTable Domains
    {
        get
        {
            var heap = Core.Heap.Snapshot();
            return new DomainTable(Core.Domains.Select(d => new DomainView(d, heap)).ToArray());
        }
    }

    public DomainView this[string domain] => new(Find(domain), Core.Heap.Snapshot());

    /// <summary>The shared heap, as it is now (a snapshot: it does not change afterwards).</summary>
    public HeapView Heap => new(Core.Heap.Snapshot(), Owners(), Core.Heap.Capacity);

    /// <summary>The ownership graph of the shared heap, as it is now; <paramref name="collapse"/>: false
    /// draws every object instead of one "N × Type" box per run of identical leaves.</summary>
    public OwnershipGraph Graph(string title = "Ownership graph", bool collapse = true) => new(Core.Heap.Snapshot(), Owners(), title, collapse);

    /// <summary>The allocation an RRef names (owner, type, size), or null if it is gone.</summary>
    public HeapNode? Describe<T>(RRef<T> r) where T : unmanaged => Core.Heap.Describe(r);
    public HeapNode? Describe<T>(RRefArray<T> r) where T : unmanaged => Core.Heap.Describe(r);

    /// <summary>The grant prefix for the right to restart a domain: "restart:NAME".</summary>
    public const string RestartPrefix = "restart:";

    /// <summary>Compiles the domain in <c>domains/&lt;folder&gt;</c> with the trusted compiler and loads it,
    /// granting it the exports of the named domains.</summary>
    public DomainView Load(string folder, params string[] grants) =>
        Start(TrustedCompiler.Default.CompileFolder(DomainTree.Folder(folder)), null, grants);

    /// <summary>Compiles C# source (a notebook cell) as a domain named <paramref name="name"/> and loads it.
    /// Diagnostics name <paramref name="path"/> and lines counted from <paramref name="firstLine"/>.
    /// Defining a name again (a cell run twice) replaces the earlier domain: it is killed once the new one
    /// compiled, and the name means the new one from then on (the kernel lists it as "name.2").</summary>
    public DomainView Define(string name, string source, string[]? grants = null, string path = "cell", int firstLine = 1)
    {
        string padded = new string('\n', Math.Max(0, firstLine - 1)) + source;
        var image = Compiler.CompileText(name, padded, path);
        Domain? earlier = null;
        lock (_latest) if (_latest.TryGetValue(name, out var e) || (e = Core.Domains.FirstOrDefault(d => d.Name == name)) is not null) earlier = e;
        if (earlier is not null && earlier.Status is DomainStatus.Running or DomainStatus.Faulted)
            Core.Kill(earlier, "replaced by a new definition");
        var view = Start(image, name, grants ?? Array.Empty<string>());
        lock (_latest) _latest[name] = Core.Domains.First(d => d.Name == view.Name);
        return view;
    }

    private readonly Dictionary<string, Domain> _latest = new(StringComparer.Ordinal);

    /// <summary>Compiles C# source (a notebook cell) as an interface set: [DomainInterface] interfaces and
    /// the structs, enums and constants they carry, checked by the IDL compiler; nothing else may be in it.
    /// The kernel verifies it and builds its proxies, and domains defined afterwards compile against it,
    /// so one domain can export such an interface and another call it. A set that declares a type an
    /// earlier set declared (a cell run again, edited) replaces that set for later definitions; domains
    /// already running keep the one they were built against.</summary>
    public InterfaceSetView DefineInterfaces(string source, string path = "cell", int firstLine = 1)
    {
        string padded = new string('\n', Math.Max(0, firstLine - 1)) + source;
        // Compiled against the earlier sets it does not redeclare (a cell run again, or edited, replaces its
        // earlier version rather than clashing with it).
        var declares = TrustedCompiler.DeclaredTypeNames(padded);
        TrustedCompiler compiler;
        lock (_latest) compiler = TrustedCompiler.Default.WithInterfaces(_sets.Where(s => !s.Facts.Types.Intersect(declares).Any()).Select(s => s.Image).ToArray());
        InterfaceImage image;
        try { image = compiler.CompileInterfacesText(padded, path); }
        catch (DomainCompileException e)
        {
            lock (_refusals) _refusals.Add(new InterfaceRefusal(path, e.Diagnostics.Select(d => d.Id).Distinct().ToArray(), e.Message));
            throw;
        }
        var loaded = Core.LoadInterfaces(image, TrustedCompiler.Proxies);
        lock (_latest)
        {
            var replaced = _sets.Where(s => s.Image.Name != image.Name && s.Facts.Types.Intersect(loaded.Facts.Types).Any()).ToList();
            _sets.RemoveAll(s => s.Image.Name == image.Name || replaced.Contains(s));
            _sets.Add(loaded);
            _compiler = null;
            return new InterfaceSetView(loaded, replaced.Select(r => r.Image.Name).ToArray());
        }
    }

    private readonly List<LoadedInterfaceSet> _sets = new();
    private readonly List<InterfaceRefusal> _refusals = new();

    /// <summary>Every interface set the IDL compiler refused in this kernel, in order, with the diagnostic
    /// ids it gave (a handout grades a refusal by it: only the compiler adds to this list).</summary>
    public IReadOnlyList<InterfaceRefusal> InterfaceRefusals { get { lock (_refusals) return _refusals.ToArray(); } }
    private TrustedCompiler? _compiler;

    /// <summary>The interface sets cells defined, which later domain definitions compile against.</summary>
    public IReadOnlyList<InterfaceSetView> InterfaceSets { get { lock (_latest) return _sets.Select(s => new InterfaceSetView(s, Array.Empty<string>())).ToArray(); } }

    private TrustedCompiler Compiler
    {
        get { lock (_latest) return _compiler ??= TrustedCompiler.Default.WithInterfaces(_sets.Select(s => s.Image).ToArray()); }
    }

    /// <summary>Grants by name: a domain's name grants its export; "restart:NAME" grants the right to
    /// restart that domain (what a shadow needs, <see cref="Microkernel.GrantRestart"/>).</summary>
    private DomainView Start(DomainImage image, string? name, string[] grants)
    {
        var proxies = grants.Select(g => g.StartsWith(RestartPrefix, StringComparison.Ordinal)
            ? (object)Core.GrantRestart(Find(g[RestartPrefix.Length..]))
            : Find(g).Export ?? throw new DomainException($"domain '{g}' exports nothing to grant")).ToArray();
        var d = Core.Load(name ?? image.Name, image, proxies);
        return new DomainView(d, Core.Heap.Snapshot());
    }

    /// <summary>The interface a domain exports, as a proxy: calls cross into the domain.</summary>
    public T Use<T>(string domain) where T : class => Find(domain).Get<T>();

    /// <summary>Kills a domain and reports what cleanup freed (heap before and after, code collected).</summary>
    public CrashReport Kill(string domain)
    {
        var d = Find(domain);
        var before = Heap;
        Core.Kill(d, "killed from a notebook");
        return Report(d, before);
    }

    /// <summary>Runs <paramref name="call"/> (which should make a domain crash) and reports the crash it caused.</summary>
    public CrashReport Watch(Action call)
    {
        var seen = Core.Domains.ToDictionary(d => d, d => d.Crashes.Count);
        var before = Heap;
        call();
        var crashed = Core.Domains.FirstOrDefault(d => d.Crashes.Count > (seen.TryGetValue(d, out var n) ? n : 0))
            ?? throw new InvalidOperationException("no domain crashed during the call");
        return Report(crashed, before);
    }

    private CrashReport Report(Domain d, HeapView before)
    {
        var record = d.LastCrash!;
        var after = Heap;
        var collection = record.Collection.Wait(TimeSpan.FromSeconds(10)) ? record.Collection.Result : null;
        return new CrashReport(record, before, after, collection);
    }

    /// <summary>Starts a fresh instance of a crashed or killed domain (its export proxy serves calls again).</summary>
    public DomainView Restart(string domain) => new(Core.Restart(Find(domain)), Core.Heap.Snapshot());

    /// <summary>Cycles per call of <paramref name="call"/>: each sample is the mean of <paramref name="group"/>
    /// consecutive calls timed by one TSC pair (its calibrated cost subtracted), because one read of the
    /// counter costs about as much as a cross-domain call (use group 1 to time calls alone). The
    /// delegate call itself, a few cycles, is included. Warms up first.</summary>
    public CycleSamples Measure(string label, Action call, int samples = 0, int group = 16)
    {
        if (samples <= 0) samples = Lab.Quick ? 2_000 : 20_000;
        if (group <= 0) throw new ArgumentOutOfRangeException(nameof(group), "group must be at least 1");
        // The bench harness's sampler: each batch sample is one TSC pair around `group` calls, divided.
        var op = new ActionOperation { Call = call };
        var crashesBefore = Core.Domains.ToDictionary(d => d, d => d.Crashes.Count);
        using var _ = Core.Enter(); // as the kernel: calls take the proxies' direct path (not HostCall's worker), as in `redleaf bench calls`
        var m = Sampler.Measure(ref op, new SamplerSettings(samples, group, PerCallSamples: 0, TimeSpan.FromMilliseconds(Lab.Quick ? 50 : 300)));
        // A call that failed (its domain crashed, was killed or restarted meanwhile) costs what an error
        // return costs, not what the call does: say so beside the numbers rather than show them plainly.
        var crashed = Core.Domains.Where(d => d.Crashes.Count > crashesBefore.GetValueOrDefault(d)).Select(d => $"{d.Name} ({d.Crashes.Count - crashesBefore.GetValueOrDefault(d)}x: {d.LastCrash?.Reason})").ToList();
        string? warning = crashed.Count == 0 ? null
            : $"domains crashed while this was measured: {string.Join(", ", crashed)}; the calls after a crash returned errors, so these cycles are not the cost of the call";
        return new CycleSamples(group == 1 ? label : $"{label} (mean of {group} calls)", m.BatchSamples) { Warning = warning };
    }

    private struct ActionOperation : IOperation
    {
        public Action Call;
        public void Run() => Call();
    }

    /// <summary>Host code acts as the kernel on this thread until disposed (to make RRefs to pass in).</summary>
    public KernelScope Enter() => Core.Enter();

    /// <summary>Runs <paramref name="body"/> as the kernel (see <see cref="Enter"/>).</summary>
    public T AsKernel<T>(Func<T> body)
    {
        using var _ = Core.Enter();
        return body();
    }

    private Domain Find(string name)
    {
        lock (_latest) if (_latest.TryGetValue(name, out var latest)) return latest;
        return Core.Domains.FirstOrDefault(d => d.Name == name) ?? throw new KeyNotFoundException($"no domain named '{name}' (domains: {string.Join(", ", Core.Domains.Select(d => d.Name).DefaultIfEmpty("none"))})");
    }

    /// <summary>Display names of every instance id the heap may mention.</summary>
    public IReadOnlyDictionary<int, string> Owners()
    {
        var map = new Dictionary<int, string> { [Microkernel.KernelId] = "kernel (host)" };
        foreach (var d in Core.Domains)
        {
            foreach (var c in d.Crashes) map[c.InstanceId] = $"{d.Name}#{c.InstanceId} (gone)";
            map[d.Id] = $"{d.Name}#{d.Id}";
        }
        return map;
    }

    public string ToHtml() => Block("kernel", $"RedLeaf microkernel: {Core.Domains.Count} domains, booted in {BootTime.TotalMilliseconds:F0} ms",
        Machine.ToHtml() + Domains.ToHtml() + Heap.ToHtml()
        + $"<details><summary>kernel log ({Log.Entries.Count} entries)</summary>{Pre(Log.ToString()).Html}</details>");

    public override string ToString() =>
        $"RedLeaf microkernel, booted in {BootTime.TotalMilliseconds:F0} ms{Environment.NewLine}{Machine}{Environment.NewLine}{Domains}{Environment.NewLine}{Heap}";

    public void Dispose() => Core.Dispose();
}

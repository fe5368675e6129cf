// os/compiler: the trusted compiler, the one pipeline every domain goes through (a folder
// under domains/, or a notebook cell's text): compile with Roslyn (unsafe off, a fixed reference set:
// the ABI, the IDL and a slice of the base library, so a domain cannot even name the kernel; the IDL
// compiler runs in the same compilation), instrument (Instrumenter), compile again, pass the IL gate,
// then sign a fingerprint of the IL, the interfaces and the compiler's version and options with the
// machine key. Images are cached by a hash of their sources, in memory and on disk, so a warm boot
// does not recompile; a cached image is only used if its signature still verifies.
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using RedLeaf.Abi;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Signing;

namespace RedLeaf.Os.Compiler;

public sealed partial class TrustedCompiler
{
    /// <summary>Bumped when the pipeline changes what it emits: part of every fingerprint and cache key.</summary>
    public const string PipelineVersion = "redleaf-trusted-compiler/2";

    /// <summary>Base-library assemblies a domain compiles against (the IL gate narrows what it may use).</summary>
    public static IReadOnlyList<string> FrameworkReferences => DomainReferences.Framework;

    /// <summary>What every domain file may use without a using directive (like an SDK project's implicit usings).</summary>
    public const string ImplicitUsings = "global using System;\nglobal using System.Collections.Generic;\nglobal using System.Linq;\n";

    private static readonly Lazy<TrustedCompiler> Shared = new(() => new TrustedCompiler(new[] { Domains.SharedAssemblies.Get("RedLeaf.Interfaces") }, MachineKey.Current, ImageCache.Default));
    private readonly ConcurrentDictionary<string, DomainImage> _memory = new();
    private readonly MetadataReference[] _references;
    private readonly MetadataReference _abi; // the reference the instrumentation's Guard calls must bind to
    private readonly ImmutableDictionary<string, string> _interfaces;
    private readonly MachineKey _key;
    private readonly ImageCache? _disk;
    private readonly Gate.IlGate _gate;
    private readonly ImmutableArray<InterfaceImage> _sets;

    public TrustedCompiler(IEnumerable<Assembly> interfaceAssemblies, MachineKey key, ImageCache? disk = null)
    {
        var framework = FrameworkPaths();
        var shared = new[] { typeof(RRef<>).Assembly }.Concat(interfaceAssemblies).ToList();
        _references = framework.Concat(shared.Select(a => a.Location)).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
        _abi = _references[framework.Count];
        _interfaces = InterfaceHashes(shared);
        _key = key;
        _disk = disk;
        _gate = Gate.IlGate.Default;
        _sets = ImmutableArray<InterfaceImage>.Empty;
    }

    private TrustedCompiler(TrustedCompiler from, ImmutableArray<InterfaceImage> sets)
    {
        _references = from._references.Concat(sets.Select(s => (MetadataReference)MetadataReference.CreateFromImage(s.Assembly))).ToArray();
        _abi = from._abi;
        _interfaces = from._interfaces.SetItems(sets.Select(s => KeyValuePair.Create(s.Name, s.Sha256)));
        _key = from._key;
        _disk = from._disk;
        _gate = new Gate.IlGate(from._gate.AllowList.WithInterfaceAssemblies(sets.Select(s => s.Name).ToArray()));
        _sets = from._sets.AddRange(sets);
    }

    /// <summary>Interface sets (see CompileInterfaces) this compiler's domains may use, in order.</summary>
    public IReadOnlyList<InterfaceImage> InterfaceSets => _sets;

    /// <summary>Where this runtime keeps the base-library assemblies domains compile against.</summary>
    public static IReadOnlyList<string> FrameworkPaths()
    {
        var tpa = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator);
        return FrameworkReferences.Select(n => tpa.FirstOrDefault(p => Path.GetFileNameWithoutExtension(p) == n)
            ?? throw new InvalidOperationException($"base library assembly {n} not found in this runtime")).ToList();
    }

    /// <summary>The compiler for the project's own IDL (domains/Interfaces), signing with this machine's key.</summary>
    public static TrustedCompiler Default => Shared.Value;

    public MachineKey Key => _key;

    /// <summary>SHA-256 of each assembly a domain shares with the kernel (the ABI and the IDL).</summary>
    public IReadOnlyDictionary<string, string> Interfaces => _interfaces;

    public static ImmutableDictionary<string, string> InterfaceHashes(IEnumerable<Assembly> shared) => DomainReferences.Hashes(shared);

    /// <summary>The trusted pipeline's builder of interface sets' proxies, for the loader
    /// (Microkernel.LoadInterfaces, InterfaceSets.Load).</summary>
    public static IProxyBuilder Proxies => ProxyBuilder.Instance;

    /// <summary>Compiles every .cs file under <paramref name="folder"/> (recursively, skipping bin/obj).</summary>
    public DomainImage CompileFolder(string folder, string? name = null)
    {
        name ??= Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        if (!Directory.Exists(folder)) throw new DomainCompileException(name, new[] { new DomainDiagnostic(folder, 0, 0, "RL0001", "no such domain folder") });
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new DomainSource(DisplayPath(f), File.ReadAllText(f)))
            .ToList();
        if (files.Count == 0) throw new DomainCompileException(name, new[] { new DomainDiagnostic(folder, 0, 0, "RL0001", "the folder holds no .cs files") });
        files.AddRange(LinkedSources(folder, name));
        return Compile(name, files, DisplayPath(folder));
    }

    /// <summary>The file a domain folder may hold to compile other domains' sources into itself (a driver
    /// linked into an application, the paper's "driver" configuration): one path per line, relative to
    /// domains/, each a .cs file inside domains/.</summary>
    public const string LinkFile = "link.txt";

    /// <summary>The sources a folder's link.txt names (none without one).</summary>
    public static IReadOnlyList<DomainSource> LinkedSources(string folder, string? name = null) =>
        Linked(folder, name ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(folder))).ToList();

    private static IEnumerable<DomainSource> Linked(string folder, string name)
    {
        string list = Path.Combine(folder, LinkFile);
        if (!File.Exists(list)) yield break;
        string domains = Path.GetFullPath(Path.Combine(DomainTree.Root, "domains")) + Path.DirectorySeparatorChar;
        int line = 0;
        foreach (var raw in File.ReadLines(list))
        {
            line++;
            string entry = raw.Split('#')[0].Trim();
            if (entry.Length == 0) continue;
            string path = Path.GetFullPath(Path.Combine(domains, entry));
            if (!path.StartsWith(domains, StringComparison.Ordinal) || !path.EndsWith(".cs", StringComparison.Ordinal) || !File.Exists(path))
                throw new DomainCompileException(name, new[] { new DomainDiagnostic(DisplayPath(list), line, 1, "RL0002",
                    $"'{entry}' is not a .cs file under domains/ (a link.txt line names one, relative to domains/)") });
            yield return new DomainSource(DisplayPath(path), File.ReadAllText(path));
        }
    }

    /// <summary>Compiles one piece of source text (a notebook cell, a test).</summary>
    public DomainImage CompileText(string name, string source, string path = "cell.cs") =>
        Compile(name, new[] { new DomainSource(path, source) }, "text");

    public DomainImage Compile(string name, IReadOnlyList<DomainSource> sources, string origin)
    {
        string key = CacheKey(name, sources);
        if (_memory.TryGetValue(key, out var cached)) return cached;
        var image = _disk?.TryLoad(key, name, SourceHash(sources), origin, _key);
        if (image is null)
        {
            image = SourceBounds.OnBigStack(() => Build(name, sources, origin), // Roslyn recurses per level of nesting
                () => new DomainCompileException(name, [SourceBounds.TooLong(sources.Count > 0 ? sources[0].Path : name)]));
            _disk?.Store(key, image); // replaces a stale or damaged entry
        }
        return _memory.GetOrAdd(key, image);
    }

    /// <summary>The same pipeline without the instrumentation, for measuring what the checks cost (the
    /// `instrumentation` benchmark). Such an image cannot be stopped while it loops: never for real use.</summary>
    public DomainImage CompileUninstrumentedForMeasurement(string folder)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)) + ".uninstrumented";
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new DomainSource(DisplayPath(f), File.ReadAllText(f))).ToList();
        files.AddRange(LinkedSources(folder, name)); // a driver linked into its application, as CompileFolder does
        return SourceBounds.OnBigStack(() => Build(name, files, DisplayPath(folder), instrument: false),
            () => new DomainCompileException(name, [SourceBounds.TooLong(files.Count > 0 ? files[0].Path : name)]));
    }

    /// <summary>Signs an image built outside the pipeline (tests and tools). Nothing is checked: the
    /// loader's own inspection still applies, but the gate and the instrumentation do not.</summary>
    public DomainImage SignUnchecked(DomainImage image) =>
        new(image.Name, image.Assembly, image.Origin, image.Pdb, ImageSignature.Sign(image.Name, "", image.Assembly, _interfaces, PipelineVersion, OptionsText, _key));

    /// <summary>SHA-256 of a domain's sources (paths and texts, in order): part of its image's signature,
    /// so an image (or a cache entry) is bound to the sources it was compiled from.</summary>
    public static string SourceHash(IEnumerable<DomainSource> sources)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) { var b = Encoding.UTF8.GetBytes(s); h.AppendData(BitConverter.GetBytes(b.Length)); h.AppendData(b); }
        foreach (var s in sources) { Add(s.Path); Add(s.Text); }
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    /// <summary>The image cache's key for <paramref name="name"/> compiled from <paramref name="sources"/> by this
    /// compiler (its version, options, key and interfaces): the file name of its entry.</summary>
    public string CacheKey(string name, IEnumerable<DomainSource> sources)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) => h.AppendData(Encoding.UTF8.GetBytes(s + "\0"));
        Add(PipelineVersion);
        Add(typeof(TrustedCompiler).Assembly.ManifestModule.ModuleVersionId.ToString()); // any change to the compiler itself
        Add(OptionsText);
        Add(_key.Id);
        foreach (var (n, sha) in _interfaces.OrderBy(kv => kv.Key, StringComparer.Ordinal)) Add(n + "=" + sha);
        Add(name);
        foreach (var s in sources) { Add(s.Path); Add(s.Text); }
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    /// <summary>Paths in diagnostics: relative to the repository when the file is in it.</summary>
    private static string DisplayPath(string file)
    {
        try
        {
            var rel = Path.GetRelativePath(DomainTree.Root, Path.GetFullPath(file));
            return rel.StartsWith("..", StringComparison.Ordinal) ? file : rel;
        }
        catch (DirectoryNotFoundException) { return file; }
    }
}

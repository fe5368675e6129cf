// os/kernel/Domains: the interface sets this process has admitted, each loaded once and for good.
// Admitting one is the loader's gate for trusted code: a valid signature by a trusted key, made as an
// interface set and against the interfaces this process runs; then the InterfaceInspector's look at
// its IL (no code at all); then load it, build its proxies with the trusted pipeline (ProxyBuilder)
// and run their registration. Kernels then accept domains compiled against it (Microkernel.LoadInterfaces).
using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using RedLeaf.Abi;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Compiler.Signing;

namespace RedLeaf.Os.Domains;

/// <summary>An admitted interface set: its image, what the inspector found, and how long its proxies took.</summary>
public sealed record LoadedInterfaceSet(InterfaceImage Image, InterfaceFacts Facts, Assembly Assembly, TimeSpan ProxyBuild)
{
    /// <summary>The [DomainInterface] types, as the runtime knows them.</summary>
    public IReadOnlyList<Type> Interfaces => Facts.Interfaces.Select(n => Assembly.GetType(n, throwOnError: true)!).ToList();
}

public static class InterfaceSets
{
    /// <summary>The part of the options text that marks an interface set's signature (a domain's never has it).</summary>
    public const string OptionsMarker = ";kind=interfaces";

    private static readonly object Gate = new();
    private static ImmutableDictionary<string, LoadedInterfaceSet> s_loaded = ImmutableDictionary<string, LoadedInterfaceSet>.Empty;

    /// <summary>SHA-256 of the assemblies every domain and interface set shares with the host: the ABI and
    /// the project's IDL (domains/Interfaces).</summary>
    public static IReadOnlyDictionary<string, string> Base => BaseHashes.Value;

    private static readonly Lazy<IReadOnlyDictionary<string, string>> BaseHashes = new(() =>
        TrustedCompiler.InterfaceHashes(new[] { typeof(RRef<>).Assembly, SharedAssemblies.Get("RedLeaf.Interfaces") }));

    /// <summary>The admitted set with this assembly name, or null.</summary>
    public static LoadedInterfaceSet? Find(string name) => s_loaded.GetValueOrDefault(name);

    /// <summary>Admits <paramref name="image"/> (once per process; again is a no-op), or throws a
    /// DomainException naming the image and the reason.</summary>
    public static LoadedInterfaceSet Load(InterfaceImage image, IEnumerable<MachineKey> trusted)
    {
        ArgumentNullException.ThrowIfNull(image);
        lock (Gate)
        {
            // Every caller verifies with its own trusted keys, even for a set already loaded for another kernel.
            var sig = image.Signature ?? throw Refuse(image, "it is not signed; build it with the trusted compiler (CompileInterfaces)");
            if (sig.Verify(image.Assembly, trusted) is { } why) throw Refuse(image, why);
            if (!sig.Options.EndsWith(OptionsMarker, StringComparison.Ordinal)) throw Refuse(image, "it was not signed as an interface set (a domain image?)");
            if (s_loaded.TryGetValue(image.Name, out var done))
                return done.Image.Sha256 == image.Sha256 ? done
                    : throw Refuse(image, $"another interface set named {image.Name} (sha256 {done.Image.Sha256[..12]}) is already loaded");
            var dependencies = new List<InterfaceImage>();
            foreach (var (name, sha) in sig.Interfaces)
            {
                string? runs = Base.TryGetValue(name, out var b) ? b : Find(name)?.Image.Sha256;
                if (runs != sha)
                    throw Refuse(image, runs is null
                        ? $"it was compiled against interface set {name}, which is not loaded; load that first"
                        : $"it was compiled against {name} {sha[..12]}, but this process runs {name} {runs[..12]}; recompile it");
                if (Find(name) is { } dependency) dependencies.Add(dependency.Image);
            }
            var allowed = new HashSet<string>(TrustedCompiler.FrameworkReferences.Concat(sig.Interfaces.Keys), StringComparer.Ordinal);
            var facts = InterfaceInspector.Inspect(image, allowed);
            if (facts.AssemblyName != image.Name) throw Refuse(image, $"its assembly is named {facts.AssemblyName}");

            var context = new InterfaceLoadContext("interfaces:" + image.Name);
            var assembly = context.LoadFromStream(new MemoryStream(image.Assembly));
            context.Set = assembly;
            CheckSizes(image, assembly); // a refused set stays loaded, unregistered: metadata only, it has no code
            var clock = Stopwatch.StartNew();
            var proxies = context.LoadFromStream(new MemoryStream(ProxyBuilder.Build(image, dependencies)));
            RuntimeHelpers.RunModuleConstructor(proxies.ManifestModule.ModuleHandle);
            var loaded = new LoadedInterfaceSet(image, facts, assembly, clock.Elapsed);
            s_loaded = s_loaded.Add(image.Name, loaded);
            return loaded;
        }
    }

    /// <summary>Values cross a boundary by copy on the caller's stack (the proxy's frame too), and a domain
    /// may not hold a value larger than the stack guard allows (StackBounds.MaxValueSize): every struct in
    /// the set, and each method's by-value parameters and result together, stay within that.</summary>
    private static void CheckSizes(InterfaceImage image, Assembly assembly)
    {
        int limit = Abi.Runtime.StackBounds.MaxValueSize;
        int SizeOf(Type t)
        {
            if (!t.IsValueType) return IntPtr.Size;
            try { return RuntimeHelpers.SizeOf(t.TypeHandle); }
            catch (TypeLoadException e) { throw Refuse(image, $"{t.FullName} cannot be laid out ({e.Message})"); }
        }
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e)
        {
            throw Refuse(image, $"its types cannot be laid out ({string.Join("; ", e.LoaderExceptions.Select(x => x?.Message).Distinct())})");
        }
        foreach (var t in types.Where(t => t.IsValueType && !t.IsEnum))
            if (SizeOf(t) is var size && size > limit)
                throw Refuse(image, $"struct {t.FullName} is {size} bytes; a value a domain holds or passes is at most {limit / 1024} KiB (put larger data in an RRefArray)");
        foreach (var t in types.Where(t => t.IsInterface))
            foreach (var m in t.GetMethods())
            {
                long total = SizeOf(m.ReturnType) + m.GetParameters().Where(p => !p.ParameterType.IsByRef).Sum(p => (long)SizeOf(p.ParameterType));
                if (total > limit)
                    throw Refuse(image, $"{t.FullName}.{m.Name} passes {total} bytes by value; a call copies at most {limit / 1024} KiB (pass large data in an RRef)");
            }
    }

    private static DomainException Refuse(InterfaceImage image, string why) => new($"interface image '{image.Name}' refused: {why}");
}

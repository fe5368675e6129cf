// os/kernel/Domains: the interface sets this process has admitted, each loaded once and for good.
// Admitting one is the loader's gate for trusted code: a valid signature by a trusted key, made as an
// interface set and against the interfaces this process runs; then the InterfaceInspector's look at
// its IL (no code at all); then load it, build its proxies with the builder its admitter hands in (the
// trusted compiler's, IProxyBuilder) and run their registration. Kernels then accept domains compiled against it (Microkernel.LoadInterfaces).
using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using RedLeaf.Abi;
using RedLeaf.Os.Signing;

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
        DomainReferences.Hashes(new[] { typeof(RRef<>).Assembly, SharedAssemblies.Get("RedLeaf.Interfaces") }));

    /// <summary>The admitted set with this assembly name, or null.</summary>
    public static LoadedInterfaceSet? Find(string name) => s_loaded.GetValueOrDefault(name);

    /// <summary>Admits <paramref name="image"/> (once per process; again is a no-op), or throws a
    /// DomainException naming the image and the reason. A set not yet admitted needs
    /// <paramref name="proxies"/>, the builder of its proxies (TrustedCompiler.Proxies); one already admitted
    /// is only verified again with <paramref name="trusted"/>.</summary>
    public static LoadedInterfaceSet Load(InterfaceImage image, IEnumerable<MachineKey> trusted, IProxyBuilder? proxies = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        lock (Gate)
        {
            // Every caller verifies with its own trusted keys, even for a set already loaded for another kernel.
            var sig = image.Signature ?? throw Refuse(image, "it is not signed; build it with the trusted compiler (CompileInterfaces)");
            if (!(sig.Options is { } kind && kind.EndsWith(OptionsMarker, StringComparison.Ordinal))) throw Refuse(image, "it was not signed as an interface set (a domain image?)");
            if (sig.Verify(image.Name, image.Assembly, trusted) is { } why) throw Refuse(image, why);
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
            var allowed = new HashSet<string>(DomainReferences.Framework.Concat(sig.Interfaces.Keys), StringComparer.Ordinal);
            var facts = InterfaceInspector.Inspect(image, allowed);
            if (facts.AssemblyName != image.Name) throw Refuse(image, $"its assembly is named {facts.AssemblyName}");

            // Checked in a trial context that is unloaded again, and the proxies built from the bytes, so a
            // refused set leaves nothing loaded for good.
            var trial = new InterfaceLoadContext("interfaces (trial):" + image.Name, collectible: true);
            try
            {
                var candidate = trial.LoadFromStream(new MemoryStream(image.Assembly));
                trial.Set = candidate;
                var types = CheckSizes(image, candidate);
                CheckExchangeable(image, types);
            }
            finally { trial.Unload(); }
            if (proxies is null)
                throw Refuse(image, "it has not been admitted to this process, and no proxy builder was given to build its proxies " +
                                    "(admit it through the trusted compiler: TrustedCompiler.WithInterfaces, or pass TrustedCompiler.Proxies)");
            var clock = Stopwatch.StartNew();
            var proxyImage = proxies.Build(image, dependencies);

            var context = new InterfaceLoadContext("interfaces:" + image.Name);
            var assembly = context.LoadFromStream(new MemoryStream(image.Assembly));
            context.Set = assembly;
            var proxyAssembly = context.LoadFromStream(new MemoryStream(proxyImage));
            RuntimeHelpers.RunModuleConstructor(proxyAssembly.ManifestModule.ModuleHandle);
            foreach (var name in facts.Interfaces)
                if (!Proxies.ProxyRegistry.Has(assembly.GetType(name, throwOnError: true)!))
                    throw Refuse(image, $"no proxy was generated for {name} (a bug in the trusted pipeline, please report it)");
            var loaded = new LoadedInterfaceSet(image, facts, assembly, clock.Elapsed);
            s_loaded = s_loaded.Add(image.Name, loaded);
            return loaded;
        }
    }

    /// <summary>Values cross a boundary by copy on the caller's stack (the proxy's frame too), and a domain
    /// may not hold a value larger than the stack guard allows (StackBounds.MaxValueSize): every struct in
    /// the set, and each method's by-value parameters and result together, stay within that.</summary>
    private static Type[] CheckSizes(InterfaceImage image, Assembly assembly)
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
        return types;
    }

    /// <summary>The IDL's rules again, on the loaded types (the IDL compiler checked the source; this checks
    /// what was signed): struct fields hold only primitives, enums, RRef handles and structs of such from
    /// the set, earlier sets or the project's IDL; interface methods return RpcResult and take such data or
    /// [DomainInterface]s, by value, or RRefs by `in`.</summary>
    private static void CheckExchangeable(InterfaceImage image, Type[] types)
    {
        var set = types.Length > 0 ? types[0].Assembly : null;
        var abi = typeof(RRef<>).Assembly;
        bool FromIdl(Assembly a) => a == set || a.GetName().Name is { } n && (n == "RedLeaf.Interfaces" || n.StartsWith(InterfaceImage.NamePrefix, StringComparison.Ordinal));
        bool IsDomainInterface(Type t) => t.IsInterface && t.GetCustomAttributesData().Any(a => a.AttributeType.FullName == "RedLeaf.Abi.DomainInterfaceAttribute");
        bool IsHandle(Type t) => t.IsGenericType && t.Assembly == abi && t.GetGenericTypeDefinition().Name is "RRef`1" or "RRefArray`1" or "RRefDeque`1";
        string? WhyNot(Type t, bool parameter, int depth)
        {
            if (depth > 16) return "it nests too deeply";
            if (parameter && IsDomainInterface(t) && (FromIdl(t.Assembly) || t.Assembly == abi)) return null;
            if (t.IsPrimitive) return t == typeof(IntPtr) || t == typeof(UIntPtr) ? "native-sized integers can carry addresses" : null;
            if (t.IsEnum) return null;
            if (!t.IsValueType || t.IsPointer || t.IsByRef || t.IsFunctionPointer || t.IsByRefLike) return "it is not plain data";
            if (IsHandle(t)) return WhyNot(t.GetGenericArguments()[0], false, depth + 1);
            if (t.IsGenericType || !FromIdl(t.Assembly)) return "only structs the IDL declares may cross";
            foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                if (WhyNot(f.FieldType, false, depth + 1) is { } why) return $"field {f.Name} of type {f.FieldType}: {why}";
            return null;
        }
        foreach (var t in types)
        {
            if (t.IsValueType && !t.IsEnum && WhyNot(t, false, 0) is { } whyType) throw Refuse(image, $"struct {t.FullName} is not exchangeable ({whyType})");
            if (!t.IsInterface) continue;
            if (!IsDomainInterface(t)) throw Refuse(image, $"interface {t.FullName} has no [DomainInterface]");
            if (t.GetInterfaces().Length > 0) throw Refuse(image, $"interface {t.FullName} inherits other interfaces");
            foreach (var m in t.GetMethods())
            {
                var r = m.ReturnType;
                bool rpc = r.Assembly == abi && (r.FullName == "RedLeaf.Abi.RpcResult" || r.IsGenericType && r.GetGenericTypeDefinition().Name == "RpcResult`1");
                string? why = !rpc ? "it does not return RpcResult" : r.IsGenericType ? WhyNot(r.GetGenericArguments()[0], true, 0) : null;
                foreach (var p in m.GetParameters())
                {
                    if (why is not null) break;
                    var pt = p.ParameterType;
                    why = pt.IsByRef ? (p.IsIn && IsHandle(pt.GetElementType()!) ? null : $"parameter {p.Name} is passed by reference")
                        : WhyNot(pt, true, 0) is { } w ? $"parameter {p.Name}: {w}" : null;
                }
                if (why is not null) throw Refuse(image, $"{t.FullName}.{m.Name} is not a valid domain interface method ({why})");
            }
        }
    }

    private static DomainException Refuse(InterfaceImage image, string why) => new($"interface image '{image.Name}' refused: {why}");
}

// os/kernel/Proxies: which generated proxy class serves which [DomainInterface]. The IDL compiler
// emits, into each trusted proxies assembly, a module initializer that registers its proxies here;
// the kernel looks a proxy up when it binds an export or wraps a domain object crossing a call.
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace RedLeaf.Os.Proxies;

public static class ProxyRegistry
{
    /// <summary>The assembly the IDL compiler generates from domains/Interfaces.</summary>
    public const string GeneratedAssembly = "RedLeaf.Proxies";

    private static readonly ConcurrentDictionary<Type, Func<Proxy>> Factories = new();
    private static readonly Lazy<bool> Loaded = new(LoadGenerated, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Called by generated module initializers.</summary>
    public static void Register<T>(Func<Proxy<T>> factory) where T : class => Factories[typeof(T)] = factory;

    /// <summary>Interfaces that have a generated proxy.</summary>
    public static IReadOnlyCollection<Type> Interfaces
    {
        get
        {
            EnsureGeneratedLoaded();
            return Factories.Keys.ToArray();
        }
    }

    public static bool Has(Type iface)
    {
        EnsureGeneratedLoaded();
        return Factories.ContainsKey(iface);
    }

    internal static Proxy Create(Type iface)
    {
        EnsureGeneratedLoaded();
        if (Factories.TryGetValue(iface, out var f)) return f();
        throw new DomainException($"no generated proxy for {iface.FullName}: only [DomainInterface] interfaces compiled by the IDL compiler can cross a domain boundary. " +
            "An interface a domain declares itself has none (no other domain could name it): declare it in an interface set " +
            "(a #!idl cell, NotebookKernel.DefineInterfaces or TrustedCompiler.CompileInterfaces) and compile the domains against that set");
    }

    /// <summary>Loads the generated proxies assembly (once; concurrent callers wait) so its registrations run.</summary>
    private static void EnsureGeneratedLoaded() => _ = Loaded.Value;

    private static bool LoadGenerated()
    {
        Assembly asm;
        try { asm = Domains.SharedAssemblies.Get(GeneratedAssembly); }
        catch (FileNotFoundException) { return false; } // a host without the IDL's proxies: only cell interfaces
        RuntimeHelpers.RunModuleConstructor(asm.ManifestModule.ModuleHandle);
        return true;
    }
}

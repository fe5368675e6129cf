// os/kernel/Domains: what a domain is built against, as the loader sees it: the base-library assemblies
// (the IL gate narrows what a domain may use of them) and the hashes of the assemblies domains share with
// the host. The trusted compiler (os/compiler) compiles against the same list; it lives here because the
// loader checks images against it, and the kernel must not depend on the compiler.
using System.Collections.Immutable;
using System.Reflection;
using System.Security.Cryptography;

namespace RedLeaf.Os.Domains;

public static class DomainReferences
{
    /// <summary>Base-library assemblies a domain compiles against and may reference.</summary>
    public static readonly IReadOnlyList<string> Framework =
        new[] { "System.Private.CoreLib", "System.Runtime", "System.Collections", "System.Linq", "System.Memory" };

    /// <summary>SHA-256 of each assembly's file, by simple name (the ABI, the IDL, interface sets).</summary>
    public static ImmutableDictionary<string, string> Hashes(IEnumerable<Assembly> shared) =>
        shared.ToImmutableDictionary(a => a.GetName().Name!, a => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(a.Location))));
}

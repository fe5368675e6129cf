// os/kernel/Domains: the loader's look at an image before any of its code runs, read with
// System.Reflection.Metadata (nothing is loaded to inspect it). It finds the entry point and
// refuses images that reference assemblies outside the domain reference set, call native code,
// or pose as a trusted assembly. (The trusted compiler's full IL gate builds on this.)
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace RedLeaf.Os.Domains;

public sealed record ImageFacts(string AssemblyName, string EntryType, string EntryMethod, ImmutableArray<string> References);

public static class ImageInspector
{
    /// <summary>Assembly names a domain may never take: they would be granted the kernel's internals
    /// (InternalsVisibleTo) or pass for trusted code. Every name in the RedLeaf family is the system's
    /// (RedLeaf.Os, RedLeaf.Compiler, RedLeaf.Systems, ...), so the rule is the prefix, not a list that a
    /// new assembly could be missing from; see IsReserved.</summary>
    public static readonly ImmutableHashSet<string> ReservedNames = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase,
        "RedLeaf.Abi", "RedLeaf.Os", "RedLeaf.Compiler", "RedLeaf.Idl", "RedLeaf.Proxies", "RedLeaf.Machine", "RedLeaf.Interfaces", "RedLeaf.Interactive", "RedLeaf.Cli");

    /// <summary>True for an assembly name reserved for the trusted system: one of ReservedNames, or any name
    /// that is "RedLeaf" or starts with "RedLeaf." (case-insensitive).</summary>
    public static bool IsReserved(string name) =>
        ReservedNames.Contains(name) || name.Equals("RedLeaf", StringComparison.OrdinalIgnoreCase) || name.StartsWith("RedLeaf.", StringComparison.OrdinalIgnoreCase);

    public static ImageFacts Inspect(DomainImage image, IReadOnlySet<string> allowedReferences)
    {
        try
        {
            using var pe = new PEReader(ImmutableArray.Create(image.Assembly));
            if (!pe.HasMetadata) throw Refuse(image, "it is not a .NET assembly");
            var md = pe.GetMetadataReader();
            string name = md.GetString(md.GetAssemblyDefinition().Name);
            if (IsReserved(name) || name.StartsWith(InterfaceImage.NamePrefix, StringComparison.OrdinalIgnoreCase) || name.StartsWith(InterfaceImage.ProxiesPrefix, StringComparison.OrdinalIgnoreCase))
                throw Refuse(image, $"its assembly name '{name}' is reserved for the trusted system");
            var refs = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToImmutableArray();
            var bad = refs.Where(r => !allowedReferences.Contains(r)).ToList();
            if (bad.Count > 0) throw Refuse(image, $"it references {string.Join(", ", bad)}, outside the domain reference set");
            if (md.GetTableRowCount(TableIndex.ModuleRef) > 0) throw Refuse(image, "it declares native imports (P/Invoke)");

            var entries = new List<(string Type, string Method)>();
            foreach (var th in md.TypeDefinitions)
            {
                var t = md.GetTypeDefinition(th);
                foreach (var mh in t.GetMethods())
                {
                    var m = md.GetMethodDefinition(mh);
                    if (m.GetCustomAttributes().Any(a => IsEntryAttribute(md, md.GetCustomAttribute(a))))
                        entries.Add((FullName(md, t), md.GetString(m.Name)));
                }
            }
            if (entries.Count == 0) throw Refuse(image, "it has no [DomainEntry] method");
            if (entries.Count > 1) throw Refuse(image, $"it has {entries.Count} [DomainEntry] methods ({string.Join(", ", entries.Select(e => e.Type + "." + e.Method))}); a domain has one");
            return new ImageFacts(name, entries[0].Type, entries[0].Method, refs);
        }
        catch (BadImageFormatException e)
        {
            throw Refuse(image, $"it is not a valid assembly ({e.Message})");
        }
    }

    private static DomainException Refuse(DomainImage image, string why) => new($"domain image '{image.Name}' refused: {why}");

    private static bool IsEntryAttribute(MetadataReader md, CustomAttribute a)
    {
        if (a.Constructor.Kind != HandleKind.MemberReference) return false;
        var ctor = md.GetMemberReference((MemberReferenceHandle)a.Constructor);
        if (ctor.Parent.Kind != HandleKind.TypeReference) return false;
        var t = md.GetTypeReference((TypeReferenceHandle)ctor.Parent);
        return md.GetString(t.Name) == "DomainEntryAttribute" && md.GetString(t.Namespace) == "RedLeaf.Abi";
    }

    private static string FullName(MetadataReader md, TypeDefinition t)
    {
        string name = md.GetString(t.Name);
        if (t.GetDeclaringType() is { IsNil: false } outer) return FullName(md, md.GetTypeDefinition(outer)) + "+" + name;
        string ns = md.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}

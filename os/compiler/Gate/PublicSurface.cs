// os/compiler/Gate: what a trusted shared assembly (the ABI, the IDL) shows to domains: its
// public types and the names of their public and protected members, read from the assembly the
// kernel itself loaded. IL can name internal members (RRef's handle constructor, say); the runtime
// refuses such access, and the gate refuses it first, so a domain cannot forge what only the kernel makes.
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace RedLeaf.Os.Compiler.Gate;

internal sealed class PublicSurface
{
    private static readonly ConcurrentDictionary<string, PublicSurface?> Cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, bool> _typeIsPublic = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (HashSet<string> Visible, HashSet<string> All)> _members = new(StringComparer.Ordinal);

    private PublicSurface(MetadataReader md)
    {
        foreach (var th in md.TypeDefinitions)
        {
            var t = md.GetTypeDefinition(th);
            string name = MetadataNames.FullName(md, th);
            _typeIsPublic[name] = IsVisible(md, t);
            var visible = new HashSet<string>(StringComparer.Ordinal);
            var all = new HashSet<string>(StringComparer.Ordinal);
            foreach (var mh in t.GetMethods())
            {
                var m = md.GetMethodDefinition(mh);
                string n = md.GetString(m.Name);
                all.Add(n);
                if ((m.Attributes & MethodAttributes.MemberAccessMask) is MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem) visible.Add(n);
            }
            foreach (var fh in t.GetFields())
            {
                var f = md.GetFieldDefinition(fh);
                string n = md.GetString(f.Name);
                all.Add(n);
                if ((f.Attributes & FieldAttributes.FieldAccessMask) is FieldAttributes.Public or FieldAttributes.Family or FieldAttributes.FamORAssem) visible.Add(n);
            }
            _members[name] = (visible, all);
        }
    }

    /// <summary>The surface of a trusted assembly as the kernel loads it, or null when it cannot be
    /// found (then the runtime's own access checks are what remains). Only found surfaces are cached.</summary>
    public static PublicSurface? Of(string assemblyName)
    {
        if (Cache.TryGetValue(assemblyName, out var known)) return known;
        var asm = AppDomain.CurrentDomain.GetAssemblies()
            .FirstOrDefault(a => !a.IsDynamic && !a.IsCollectible && string.Equals(a.GetName().Name, assemblyName, StringComparison.OrdinalIgnoreCase));
        try { asm ??= Assembly.Load(new AssemblyName(assemblyName)); }
        catch (Exception e) when (e is IOException or BadImageFormatException or ArgumentException) { return null; }
        if (asm.Location.Length == 0) return null;
        using var pe = new PEReader(ImmutableArray.Create(File.ReadAllBytes(asm.Location)));
        return Cache.GetOrAdd(assemblyName, new PublicSurface(pe.GetMetadataReader()));
    }

    /// <summary>False when the assembly declares the type but domains cannot see it; null when it does not declare it.</summary>
    public bool? IsPublicType(string fullName) => _typeIsPublic.TryGetValue(fullName, out var p) ? p : null;

    /// <summary>True when the type declares members of this name and none of them is visible to a domain.</summary>
    public bool IsHiddenMember(string typeFullName, string member) =>
        _members.TryGetValue(typeFullName, out var m) && m.All.Contains(member) && !m.Visible.Contains(member);

    private static bool IsVisible(MetadataReader md, TypeDefinition t)
    {
        var vis = t.Attributes & TypeAttributes.VisibilityMask;
        if (vis == TypeAttributes.Public) return true;
        if (vis is not (TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem)) return false;
        return IsVisible(md, md.GetTypeDefinition(t.GetDeclaringType()));
    }
}

// os/compiler/Gate: names of metadata entities, read with System.Reflection.Metadata: the
// full name of a type definition or reference (with the assembly a reference is resolved in) and
// of a method, in the forms diagnostics print.
using System.Reflection.Metadata;
using System.Text;

namespace RedLeaf.Os.Compiler.Gate;

internal static class MetadataNames
{
    public static TypeRefName OfReference(MetadataReader md, TypeReferenceHandle h)
    {
        var t = md.GetTypeReference(h);
        string name = md.GetString(t.Name);
        string ns = md.GetString(t.Namespace);
        string local = ns.Length == 0 ? name : ns + "." + name;
        var scope = t.ResolutionScope;
        switch (scope.Kind)
        {
            case HandleKind.TypeReference:
                var outer = OfReference(md, (TypeReferenceHandle)scope);
                return outer with { FullName = outer.FullName + "+" + name };
            case HandleKind.AssemblyReference:
                return new TypeRefName(md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name), local);
            case HandleKind.ModuleReference:
                return new TypeRefName(TypeRefName.ModulePrefix + md.GetString(md.GetModuleReference((ModuleReferenceHandle)scope).Name), local);
            case HandleKind.ModuleDefinition:
                return new TypeRefName("", local);
            default: // nil: "look in this assembly's exported-type table", i.e. wherever a forwarder points
                return new TypeRefName(TypeRefName.ModulePrefix + "exported types", local);
        }
    }

    /// <summary>"Namespace.Outer+Inner`1" of a type the domain declares.</summary>
    public static string FullName(MetadataReader md, TypeDefinitionHandle h)
    {
        var t = md.GetTypeDefinition(h);
        string name = md.GetString(t.Name);
        var outer = t.GetDeclaringType();
        if (!outer.IsNil) return FullName(md, outer) + "+" + name;
        string ns = md.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>"Student.Shapes.Run": a method the domain declares, as students would write it.</summary>
    public static string MethodDisplay(MetadataReader md, MethodDefinitionHandle h)
    {
        var m = md.GetMethodDefinition(h);
        return Display(FullName(md, m.GetDeclaringType())) + "." + md.GetString(m.Name);
    }

    /// <summary>"Student.Shapes::Run": a method as the no-PDB location form names it.</summary>
    public static string MethodToken(MetadataReader md, MethodDefinitionHandle h)
    {
        var m = md.GetMethodDefinition(h);
        return FullName(md, m.GetDeclaringType()) + "::" + md.GetString(m.Name);
    }

    public static string Display(string fullName) => StripArity(fullName).Replace('+', '.');

    /// <summary>Removes generic arity suffixes: "List`1+Enumerator" becomes "List+Enumerator".</summary>
    public static string StripArity(string name)
    {
        if (name.IndexOf('`') < 0) return name;
        var sb = new StringBuilder(name.Length);
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] == '`')
            {
                while (i + 1 < name.Length && char.IsAsciiDigit(name[i + 1])) i++;
                continue;
            }
            sb.Append(name[i]);
        }
        return sb.ToString();
    }

    /// <summary>How a member reads in a message: "new X" for constructors, "X.P" for property accessors.</summary>
    public static string Member(string typeDisplay, string member) => member switch
    {
        ".ctor" => $"the constructor of {typeDisplay}",
        ".cctor" => $"the static constructor of {typeDisplay}",
        _ when member.StartsWith("get_", StringComparison.Ordinal) || member.StartsWith("set_", StringComparison.Ordinal) => $"{typeDisplay}.{member[4..]}",
        _ when member.StartsWith("add_", StringComparison.Ordinal) => $"{typeDisplay}.{member[4..]}",
        _ when member.StartsWith("remove_", StringComparison.Ordinal) => $"{typeDisplay}.{member[7..]}",
        _ => $"{typeDisplay}.{member}",
    };
}

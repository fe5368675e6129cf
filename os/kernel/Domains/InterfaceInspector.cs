// os/kernel/Domains: the loader's look at an interface set before it is loaded, read with
// System.Reflection.Metadata. An interface set joins the host for good and is never instrumented, so
// it must hold no code: interfaces of abstract methods, value types of fields, enums and static classes
// of constants; no method bodies, no static state, no explicit layouts, no native imports, and only
// describing attributes. This decides; the IDL's InterfaceSetRules only say it earlier, at source lines.
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace RedLeaf.Os.Domains;

public sealed record InterfaceFacts(string AssemblyName, ImmutableArray<string> References, ImmutableArray<string> Interfaces, ImmutableArray<string> Types);

public static class InterfaceInspector
{
    /// <summary>Attribute types an interface set may apply (the compiler adds the assembly-level ones itself).</summary>
    private static readonly ImmutableHashSet<string> AllowedAttributes = ImmutableHashSet.Create(StringComparer.Ordinal,
        "RedLeaf.Abi.DomainInterfaceAttribute",
        "System.Runtime.CompilerServices.InlineArrayAttribute",
        "System.Runtime.CompilerServices.IsReadOnlyAttribute",
        "System.Runtime.CompilerServices.CompilationRelaxationsAttribute",
        "System.Runtime.CompilerServices.RuntimeCompatibilityAttribute",
        "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
        "System.Diagnostics.DebuggableAttribute");

    public static InterfaceFacts Inspect(InterfaceImage image, IReadOnlySet<string> allowedReferences)
    {
        try
        {
            using var pe = new PEReader(ImmutableArray.Create(image.Assembly));
            if (!pe.HasMetadata) throw Refuse(image, "it is not a .NET assembly");
            var md = pe.GetMetadataReader();
            string name = md.GetString(md.GetAssemblyDefinition().Name);
            if (!name.StartsWith(InterfaceImage.NamePrefix, StringComparison.Ordinal) || ImageInspector.IsReserved(name))
                throw Refuse(image, $"its assembly name '{name}' is not an interface set's ({InterfaceImage.NamePrefix}...)");
            var refs = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToImmutableArray();
            var bad = refs.Where(r => !allowedReferences.Contains(r)).ToList();
            if (bad.Count > 0) throw Refuse(image, $"it references {string.Join(", ", bad)}, outside what interfaces may name");
            if (md.GetTableRowCount(TableIndex.ModuleRef) > 0) throw Refuse(image, "it declares native imports (P/Invoke)");
            if (md.GetTableRowCount(TableIndex.GenericParam) > 0) throw Refuse(image, "it declares generic types or methods");
            if (md.GetTableRowCount(TableIndex.FieldRva) > 0 || md.GetTableRowCount(TableIndex.FieldMarshal) > 0 || md.GetTableRowCount(TableIndex.FieldLayout) > 0)
                throw Refuse(image, "it declares fields with initial data, marshalling or explicit offsets");
            if (md.GetTableRowCount(TableIndex.Event) > 0 || md.GetTableRowCount(TableIndex.Property) > 0)
                throw Refuse(image, "it declares properties or events");

            var interfaces = ImmutableArray.CreateBuilder<string>();
            var types = ImmutableArray.CreateBuilder<string>();
            foreach (var th in md.TypeDefinitions)
            {
                var t = md.GetTypeDefinition(th);
                string typeName = FullName(md, t);
                if (typeName == "<Module>") { if (t.GetMethods().Count > 0 || t.GetFields().Count > 0) throw Refuse(image, "it has module-level code or data"); continue; }
                if (!t.GetDeclaringType().IsNil) throw Refuse(image, $"{typeName} is a nested type");
                if ((t.Attributes & TypeAttributes.Import) != 0) throw Refuse(image, $"{typeName} is a COM import");
                if ((t.Attributes & TypeAttributes.LayoutMask) == TypeAttributes.ExplicitLayout) throw Refuse(image, $"{typeName} has an explicit layout (fields could overlap)");
                var layout = t.GetLayout();
                if (layout.PackingSize > 0 || layout.Size > 1) throw Refuse(image, $"{typeName} declares its own size or packing");
                string kind = Kind(md, t);
                switch (kind)
                {
                    case "interface":
                        foreach (var mh in t.GetMethods())
                        {
                            var m = md.GetMethodDefinition(mh);
                            if (m.RelativeVirtualAddress != 0 || (m.Attributes & MethodAttributes.Abstract) == 0 || (m.Attributes & MethodAttributes.Static) != 0)
                                throw Refuse(image, $"{typeName}.{md.GetString(m.Name)} has a body or is static; interface methods must be abstract");
                        }
                        if (t.GetFields().Count > 0) throw Refuse(image, $"interface {typeName} declares fields");
                        interfaces.Add(typeName);
                        break;
                    case "struct" or "enum" or "static class":
                        if (t.GetMethods().Count > 0) throw Refuse(image, $"{kind} {typeName} declares methods; only fields are allowed");
                        foreach (var fh in t.GetFields())
                        {
                            var f = md.GetFieldDefinition(fh);
                            bool literal = (f.Attributes & FieldAttributes.Literal) != 0;
                            bool isStatic = (f.Attributes & FieldAttributes.Static) != 0;
                            if (isStatic && !literal) throw Refuse(image, $"{typeName}.{md.GetString(f.Name)} is static state (only constants may be static)");
                            if (kind == "static class" && !literal) throw Refuse(image, $"{typeName}.{md.GetString(f.Name)}: a static class here holds constants only");
                        }
                        break;
                    default:
                        throw Refuse(image, $"{typeName} is a {kind}; an interface set holds interfaces, structs, enums and static classes of constants");
                }
                types.Add(typeName);
            }
            foreach (var ah in md.CustomAttributes)
            {
                string attribute = AttributeType(md, md.GetCustomAttribute(ah));
                if (!AllowedAttributes.Contains(attribute)) throw Refuse(image, $"it applies [{attribute}], which an interface set may not");
            }
            return new InterfaceFacts(name, refs, interfaces.ToImmutable(), types.ToImmutable());
        }
        catch (BadImageFormatException e)
        {
            throw Refuse(image, $"it is not a valid assembly ({e.Message})");
        }
    }

    private static DomainException Refuse(InterfaceImage image, string why) => new($"interface image '{image.Name}' refused: {why}");

    private static string Kind(MetadataReader md, TypeDefinition t)
    {
        if ((t.Attributes & TypeAttributes.Interface) != 0) return "interface";
        string baseType = t.BaseType.Kind == HandleKind.TypeReference ? TypeRefName(md, (TypeReferenceHandle)t.BaseType) : "";
        if (baseType == "System.ValueType") return "struct";
        if (baseType == "System.Enum") return "enum";
        bool isStatic = (t.Attributes & (TypeAttributes.Abstract | TypeAttributes.Sealed)) == (TypeAttributes.Abstract | TypeAttributes.Sealed);
        if (baseType == "System.Object" && isStatic) return "static class";
        return "class";
    }

    private static string AttributeType(MetadataReader md, CustomAttribute a) => a.Constructor.Kind switch
    {
        HandleKind.MemberReference when md.GetMemberReference((MemberReferenceHandle)a.Constructor).Parent is { Kind: HandleKind.TypeReference } p => TypeRefName(md, (TypeReferenceHandle)p),
        HandleKind.MethodDefinition => FullName(md, md.GetTypeDefinition(md.GetMethodDefinition((MethodDefinitionHandle)a.Constructor).GetDeclaringType())),
        _ => "an attribute of an unexpected shape",
    };

    private static string TypeRefName(MetadataReader md, TypeReferenceHandle h)
    {
        var r = md.GetTypeReference(h);
        string ns = md.GetString(r.Namespace);
        return ns.Length == 0 ? md.GetString(r.Name) : ns + "." + md.GetString(r.Name);
    }

    private static string FullName(MetadataReader md, TypeDefinition t)
    {
        string ns = md.GetString(t.Namespace);
        return ns.Length == 0 ? md.GetString(t.Name) : ns + "." + md.GetString(t.Name);
    }
}

// os/compiler/Gate: where a domain's declarations stand in its source. The PDB maps IL offsets
// to lines, but what has no IL (an extern method, a struct's layout, a field, an attribute) has no
// sequence point: the trusted compiler hands the gate the Roslyn compilation the image was emitted
// from, and this maps metadata definitions (TypeDef, MethodDef, FieldDef, custom attributes) back to
// the symbols they came from, by name and signature, and so to their declarations' file, line and
// column. Locations only: nothing the gate decides is read from the source. Compiler-generated
// definitions (closures, lambdas, <PrivateImplementationDetails>) have no symbol; the caller falls
// back to the PDB.
using System.Collections.Immutable;
using System.Reflection.Metadata;
using Microsoft.CodeAnalysis;

namespace RedLeaf.Os.Compiler.Gate;

internal sealed class DeclarationSites
{
    private readonly MetadataReader _md;
    private readonly Compilation _source;
    private readonly Dictionary<TypeDefinitionHandle, INamedTypeSymbol?> _types = new();
    private readonly Dictionary<MethodDefinitionHandle, IMethodSymbol?> _methods = new();
    private Dictionary<ParameterHandle, MethodDefinitionHandle>? _parameterOwners;

    public DeclarationSites(MetadataReader md, Compilation source)
    {
        _md = md;
        _source = source;
    }

    public SourceSpot? Of(TypeDefinitionHandle t) => Spot(Type(t));

    public SourceSpot? Of(MethodDefinitionHandle m) => Spot(Method(m));

    public SourceSpot? Of(FieldDefinitionHandle f) => Spot(Field(f));

    /// <summary>The attribute as written (`[ThreadStatic]`, `[assembly: ...]`), else its target's declaration.</summary>
    public SourceSpot? OfAttribute(CustomAttributeHandle h)
    {
        var a = _md.GetCustomAttribute(h);
        var (target, attributes) = Target(a.Parent);
        if (target is null && attributes.IsDefaultOrEmpty) return null;
        string type = AttributeType(a.Constructor);
        // The k-th attribute of this type on the target in metadata is the k-th in the source (pseudo-
        // attributes such as [DllImport] are not in the table, but neither are they in GetAttributes).
        int k = 0;
        foreach (var other in _md.GetCustomAttributes(a.Parent))
        {
            if (other == h) break;
            if (AttributeType(_md.GetCustomAttribute(other).Constructor) == type) k++;
        }
        var same = attributes.IsDefault ? new List<AttributeData>()
            : attributes.Where(d => d.AttributeClass is { } c && MetadataName(c) == type).ToList();
        if (k < same.Count && same[k].ApplicationSyntaxReference is { } syntax && Spot(syntax.GetSyntax().GetLocation()) is { } at) return at;
        return Spot(target);
    }

    /// <summary>The `[assembly: TypeForwardedTo(typeof(T))]` that forwards <paramref name="fullName"/>
    /// ("Namespace.Outer+Inner`1"), as written.</summary>
    public SourceSpot? OfForward(string fullName)
    {
        foreach (var a in _source.Assembly.GetAttributes())
            if (a.AttributeClass is { Name: "TypeForwardedToAttribute" } && a.ConstructorArguments is [{ Value: INamedTypeSymbol t }]
                && MetadataName(t.OriginalDefinition) == fullName && a.ApplicationSyntaxReference is { } syntax)
                return Spot(syntax.GetSyntax().GetLocation());
        return null;
    }

    /// <summary>The first place the source names the type <paramref name="fullName"/> ("Namespace.Outer+Inner`1"),
    /// or, when <paramref name="member"/> is given, that member of it: for references the IL does not use
    /// at any line (an attribute's typeof argument, a type only named in metadata). Only names whose text
    /// matches are bound, so this costs little, and it runs only for a refusal.</summary>
    public SourceSpot? OfReference(string fullName, string? member = null)
    {
        string simple = MetadataNames.StripArity(fullName);
        simple = simple[(Math.Max(simple.LastIndexOf('.'), simple.LastIndexOf('+')) + 1)..];
        string wanted = member ?? simple;
        foreach (var tree in _source.SyntaxTrees)
        {
            SemanticModel? model = null;
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax>())
            {
                string text = name.Identifier.ValueText;
                if (text != wanted && !(member is null && text + "Attribute" == wanted)) continue;
                model ??= _source.GetSemanticModel(tree);
                var info = model.GetSymbolInfo(name);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                var type = member is null ? symbol as INamedTypeSymbol ?? (symbol as IMethodSymbol)?.ContainingType : symbol?.ContainingType;
                if (type is not null && MetadataName(type.OriginalDefinition) == fullName && Spot(name.GetLocation()) is { } at) return at;
            }
        }
        return null;
    }

    private (ISymbol? Symbol, ImmutableArray<AttributeData> Attributes) Target(EntityHandle parent)
    {
        switch (parent.Kind)
        {
            case HandleKind.AssemblyDefinition: return (null, _source.Assembly.GetAttributes());
            case HandleKind.ModuleDefinition: return (null, _source.SourceModule.GetAttributes());
            case HandleKind.TypeDefinition:
                var t = Type((TypeDefinitionHandle)parent);
                return (t, t?.GetAttributes() ?? default);
            case HandleKind.MethodDefinition:
                var m = Method((MethodDefinitionHandle)parent);
                return (m, m is null ? default : m.GetAttributes().AddRange(m.GetReturnTypeAttributes()));
            case HandleKind.FieldDefinition:
                var f = Field((FieldDefinitionHandle)parent);
                return (f, f?.GetAttributes() ?? default);
            case HandleKind.Parameter:
                _parameterOwners ??= _md.MethodDefinitions.SelectMany(x => _md.GetMethodDefinition(x).GetParameters().Select(p => (p, x))).ToDictionary(x => x.p, x => x.x);
                if (!_parameterOwners.TryGetValue((ParameterHandle)parent, out var owner) || Method(owner) is not { } method) return (null, default);
                int seq = _md.GetParameter((ParameterHandle)parent).SequenceNumber;
                if (seq == 0) return (method, method.GetReturnTypeAttributes());
                var p = seq <= method.Parameters.Length ? method.Parameters[seq - 1] : null;
                return p is null ? (method, default) : (p, p.GetAttributes());
            case HandleKind.PropertyDefinition:
                var prop = _md.GetPropertyDefinition((PropertyDefinitionHandle)parent);
                var ps = OwnerType(prop.GetAccessors().Getter, prop.GetAccessors().Setter)?.GetMembers(_md.GetString(prop.Name)).FirstOrDefault();
                return (ps, ps?.GetAttributes() ?? default);
            case HandleKind.EventDefinition:
                var ev = _md.GetEventDefinition((EventDefinitionHandle)parent);
                var es = OwnerType(ev.GetAccessors().Adder, ev.GetAccessors().Remover)?.GetMembers(_md.GetString(ev.Name)).FirstOrDefault();
                return (es, es?.GetAttributes() ?? default);
            case HandleKind.GenericParameter:
                var gp = _md.GetGenericParameter((GenericParameterHandle)parent);
                var (owner2, _) = Target(gp.Parent);
                var tp = owner2 switch
                {
                    INamedTypeSymbol nt => nt.TypeParameters.ElementAtOrDefault(gp.Index),
                    IMethodSymbol ms => ms.TypeParameters.ElementAtOrDefault(gp.Index),
                    _ => null,
                };
                return (tp ?? owner2, tp?.GetAttributes() ?? default);
            default: return (null, default);
        }
    }

    private INamedTypeSymbol? OwnerType(MethodDefinitionHandle a, MethodDefinitionHandle b)
    {
        var m = a.IsNil ? b : a;
        return m.IsNil ? null : Type(_md.GetMethodDefinition(m).GetDeclaringType());
    }

    private INamedTypeSymbol? Type(TypeDefinitionHandle h)
    {
        if (_types.TryGetValue(h, out var known)) return known;
        return _types[h] = _source.Assembly.GetTypeByMetadataName(MetadataNames.FullName(_md, h));
    }

    private IMethodSymbol? Method(MethodDefinitionHandle h)
    {
        if (_methods.TryGetValue(h, out var known)) return known;
        var def = _md.GetMethodDefinition(h);
        var type = Type(def.GetDeclaringType());
        IMethodSymbol? found = null;
        if (type is not null)
        {
            string name = _md.GetString(def.Name);
            var sig = def.DecodeSignature(new SignatureText(), null);
            var candidates = type.GetMembers().OfType<IMethodSymbol>()
                .Where(m => m.MetadataName == name && m.Parameters.Length == sig.ParameterTypes.Length && m.Arity == sig.GenericParameterCount).ToList();
            found = candidates.Count == 1 ? candidates[0]
                : candidates.FirstOrDefault(m => m.Parameters.Select(p => SignatureText.Of(p.Type, p.RefKind)).SequenceEqual(sig.ParameterTypes));
        }
        return _methods[h] = found;
    }

    private ISymbol? Field(FieldDefinitionHandle h)
    {
        var f = _md.GetFieldDefinition(h);
        var type = Type(f.GetDeclaringType());
        if (type is null) return null;
        string name = _md.GetString(f.Name);
        // An auto-property's backing field "<P>k__BackingField" is declared as the property.
        if (name.StartsWith('<') && name.EndsWith(">k__BackingField", StringComparison.Ordinal)) name = name[1..name.IndexOf('>')];
        return type.GetMembers(name).FirstOrDefault(m => m is IFieldSymbol or IPropertySymbol or IEventSymbol);
    }

    /// <summary>"Namespace.Outer+Inner`1" of the type that declares an attribute's constructor.</summary>
    private string AttributeType(EntityHandle constructor)
    {
        if (constructor.Kind == HandleKind.MethodDefinition)
            return MetadataNames.FullName(_md, _md.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType());
        if (constructor.Kind != HandleKind.MemberReference) return "";
        var parent = _md.GetMemberReference((MemberReferenceHandle)constructor).Parent;
        return parent.Kind switch
        {
            HandleKind.TypeReference => MetadataNames.OfReference(_md, (TypeReferenceHandle)parent).FullName,
            HandleKind.TypeDefinition => MetadataNames.FullName(_md, (TypeDefinitionHandle)parent),
            _ => "",
        };
    }

    private static string MetadataName(INamedTypeSymbol t)
    {
        if (t.ContainingType is { } outer) return MetadataName(outer) + "+" + t.MetadataName;
        var ns = t.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        return ns + t.MetadataName;
    }

    private static SourceSpot? Spot(ISymbol? symbol) =>
        symbol?.Locations.FirstOrDefault(l => l.IsInSource) is { } l ? Spot(l) : null;

    private static SourceSpot? Spot(Location l)
    {
        if (!l.IsInSource) return null;
        var span = l.GetMappedLineSpan();
        return new SourceSpot(span.Path ?? "", span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
    }

    /// <summary>Parameter types as text that a metadata signature and a Roslyn symbol both produce,
    /// to tell overloads apart: namespace-qualified metadata names, "!n"/"!!n" for type parameters.</summary>
    private sealed class SignatureText : ISignatureTypeProvider<string, object?>
    {
        public static string Of(ITypeSymbol t, RefKind refKind) => Of(t) + (refKind == RefKind.None ? "" : "&");

        private static string Of(ITypeSymbol t) => t switch
        {
            IArrayTypeSymbol a => Of(a.ElementType) + (a.Rank == 1 ? "[]" : $"[{a.Rank}]"),
            IPointerTypeSymbol p => Of(p.PointedAtType) + "*",
            ITypeParameterSymbol p => (p.TypeParameterKind == TypeParameterKind.Method ? "!!" : "!") + p.Ordinal,
            INamedTypeSymbol { IsGenericType: true } g when !SymbolEqualityComparer.Default.Equals(g, g.OriginalDefinition) =>
                MetadataName(g.OriginalDefinition) + "<" + string.Join(",", g.TypeArguments.Select(Of)) + ">",
            INamedTypeSymbol n => MetadataName(n),
            _ => t.ToDisplayString(),
        };

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Object => "System.Object",
            PrimitiveTypeCode.String => "System.String",
            PrimitiveTypeCode.IntPtr => "System.IntPtr",
            PrimitiveTypeCode.UIntPtr => "System.UIntPtr",
            PrimitiveTypeCode.TypedReference => "System.TypedReference",
            _ => "System." + typeCode,
        };

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => MetadataNames.FullName(reader, handle);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => MetadataNames.OfReference(reader, handle).FullName;
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetArrayType(string elementType, ArrayShape shape) => $"{elementType}[{shape.Rank}]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPinnedType(string elementType) => elementType;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetFunctionPointerType(MethodSignature<string> signature) => "delegate*";
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";
        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
    }
}

// os/compiler/Gate: maps what the gate finds back to the student's source. An IL offset maps
// through the portable PDB to the nearest sequence point at or before it (hidden points skipped).
// A declaration (a type, a method's signature, a field, an attribute) maps to where it is written,
// through DeclarationSites when the trusted compiler passed the compilation; without it, or for a
// compiler-generated definition, a method falls back to its first line, a type to the first line of
// its methods, then to an enclosing type's, then to the assembly.
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace RedLeaf.Os.Compiler.Gate;

internal sealed class SourceLocator
{
    private readonly MetadataReader _md;
    private readonly MetadataReader? _pdb;
    private readonly string _assemblyFile;
    private readonly Dictionary<MethodDefinitionHandle, SequencePoint[]> _points = new();
    private readonly Dictionary<TypeDefinitionHandle, SourceSpot?> _types = new();
    private readonly DeclarationSites? _declarations;

    public SourceLocator(MetadataReader md, MetadataReader? pdb, string assemblyFile, DeclarationSites? declarations = null)
    {
        _md = md;
        _pdb = pdb;
        _assemblyFile = assemblyFile;
        _declarations = declarations;
    }

    public SourceSpot Assembly => new(_assemblyFile, 0, 0);

    /// <summary>Where the source forwards type <paramref name="fullName"/> (an assembly attribute), else the assembly.</summary>
    public SourceSpot Forward(string fullName) => _declarations?.OfForward(fullName) ?? Assembly;

    /// <summary>Where the source names what metadata reference <paramref name="h"/> refers to (a type, or a
    /// member of a type), for references no instruction or declaration placed; else the assembly.</summary>
    public SourceSpot Reference(EntityHandle h)
    {
        if (_declarations is null) return Assembly;
        switch (h.Kind)
        {
            case HandleKind.TypeReference:
                return _declarations.OfReference(MetadataNames.OfReference(_md, (TypeReferenceHandle)h).FullName) ?? Assembly;
            case HandleKind.MemberReference:
                var m = _md.GetMemberReference((MemberReferenceHandle)h);
                if (m.Parent.Kind != HandleKind.TypeReference) return Assembly;
                string type = MetadataNames.OfReference(_md, (TypeReferenceHandle)m.Parent).FullName;
                string name = _md.GetString(m.Name);
                return (name == ".ctor" ? _declarations.OfReference(type) : _declarations.OfReference(type, name) ?? _declarations.OfReference(type)) ?? Assembly;
            case HandleKind.AssemblyReference:
                foreach (var t in _md.TypeReferences)
                    if (_md.GetTypeReference(t).ResolutionScope == h && Reference(t) is { Line: > 0 } at) return at;
                foreach (var e in _md.ExportedTypes)
                {
                    var x = _md.GetExportedType(e);
                    if (x.Implementation == h && Forward(_md.GetString(x.Namespace) is { Length: > 0 } ns ? ns + "." + _md.GetString(x.Name) : _md.GetString(x.Name)) is { Line: > 0 } at) return at;
                }
                return Assembly;
            default:
                return Assembly;
        }
    }

    /// <summary>The source line of the instruction at <paramref name="ilOffset"/> in method <paramref name="m"/>.</summary>
    public SourceSpot At(MethodDefinitionHandle m, int ilOffset)
    {
        var points = Points(m);
        SequencePoint? best = null;
        foreach (var p in points)
        {
            if (p.Offset > ilOffset) break;
            best = p;
        }
        if (best is { } sp) return Spot(sp);
        if (points.Length > 0) return Spot(points[0]);
        return _pdb is null
            ? new SourceSpot($"{_assemblyFile}(IL_{ilOffset:x4} in {MetadataNames.MethodToken(_md, m)})", 0, 0)
            : Of(_md.GetMethodDefinition(m).GetDeclaringType()) ?? Fallback(m);
    }

    /// <summary>The first source line of a method (its signature, locals and attributes point here).</summary>
    public SourceSpot Of(MethodDefinitionHandle m)
    {
        var points = Points(m);
        if (points.Length > 0) return Spot(points[0]);
        return Of(_md.GetMethodDefinition(m).GetDeclaringType()) ?? Fallback(m);
    }

    /// <summary>Where a method is declared (its name), for what belongs to the declaration rather than
    /// the body: being extern or native, its signature, a finalizer.</summary>
    public SourceSpot Declaration(MethodDefinitionHandle m) => _declarations?.Of(m) ?? Of(m);

    /// <summary>Where a field is declared, else its type.</summary>
    public SourceSpot Declaration(FieldDefinitionHandle f) =>
        _declarations?.Of(f) ?? OfTypeOrAssembly(_md.GetFieldDefinition(f).GetDeclaringType());

    /// <summary>Where an attribute is applied, else <paramref name="target"/> (its target's place).</summary>
    public SourceSpot Attribute(CustomAttributeHandle a, SourceSpot target) => _declarations?.OfAttribute(a) ?? target;

    /// <summary>Where a type is declared; else the first source line of its methods, or an enclosing
    /// type's; null when none has one.</summary>
    public SourceSpot? Of(TypeDefinitionHandle t)
    {
        if (_types.TryGetValue(t, out var known)) return known;
        if (_declarations?.Of(t) is { } declared) return _types[t] = declared;
        SourceSpot? first = null;
        var def = _md.GetTypeDefinition(t);
        foreach (var m in def.GetMethods())
        {
            var points = Points(m);
            if (points.Length == 0) continue;
            var s = Spot(points[0]);
            if (first is null || string.CompareOrdinal(s.File, first.Value.File) < 0 || (s.File == first.Value.File && s.Line < first.Value.Line)) first = s;
        }
        if (first is null && !def.GetDeclaringType().IsNil) first = Of(def.GetDeclaringType());
        _types[t] = first;
        return first;
    }

    /// <summary>A type's line, or the assembly named with the type when no line is known.</summary>
    public SourceSpot OfTypeOrAssembly(TypeDefinitionHandle t) =>
        Of(t) ?? new SourceSpot($"{_assemblyFile}({MetadataNames.FullName(_md, t)})", 0, 0);

    private SourceSpot Fallback(MethodDefinitionHandle m) => new($"{_assemblyFile}({MetadataNames.MethodToken(_md, m)})", 0, 0);

    private SourceSpot Spot(SequencePoint p) =>
        new(_pdb!.GetString(_pdb.GetDocument(p.Document).Name), p.StartLine, p.StartColumn);

    private SequencePoint[] Points(MethodDefinitionHandle m)
    {
        if (_points.TryGetValue(m, out var known)) return known;
        SequencePoint[] points = Array.Empty<SequencePoint>();
        if (_pdb is not null)
        {
            int row = MetadataTokens.GetRowNumber(m);
            if (row <= _pdb.MethodDebugInformation.Count)
            {
                var info = _pdb.GetMethodDebugInformation(MetadataTokens.MethodDebugInformationHandle(row));
                if (!info.SequencePointsBlob.IsNil)
                    points = info.GetSequencePoints().Where(p => !p.IsHidden).OrderBy(p => p.Offset).ToArray();
            }
        }
        return _points[m] = points;
    }
}

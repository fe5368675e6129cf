// os/compiler/Gate: the System.Reflection.Metadata signature decoder's view of types, for
// the gate. It records every type reference it meets (so each can be held against the allow-list,
// custom modifiers included) and can substitute a generic type's arguments for its parameters
// (CompilerHelpers compares an inline array's element type with a helper's type argument).
using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace RedLeaf.Os.Compiler.Gate;

internal sealed class ShapeProvider : ISignatureTypeProvider<Shape, IReadOnlyList<Shape>?>
{
    private readonly MetadataReader _md;

    public ShapeProvider(MetadataReader md) => _md = md;

    /// <summary>Type references met while decoding, in order (a reference may repeat).</summary>
    public List<TypeReferenceHandle> References { get; } = new();

    public Shape DecodeType(EntityHandle h, IReadOnlyList<Shape>? typeArgs = null) => h.Kind switch
    {
        HandleKind.TypeReference => GetTypeFromReference(_md, (TypeReferenceHandle)h, 0),
        HandleKind.TypeDefinition => GetTypeFromDefinition(_md, (TypeDefinitionHandle)h, 0),
        HandleKind.TypeSpecification => GetTypeFromSpecification(_md, typeArgs, (TypeSpecificationHandle)h, 0),
        _ => throw new BadImageFormatException($"a type token points at a {h.Kind}"),
    };

    public Shape GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        References.Add(handle);
        var n = MetadataNames.OfReference(reader, handle);
        return new Shape(n.Display, $"[{n.Assembly}]{n.FullName}");
    }

    public Shape GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
    {
        string full = MetadataNames.FullName(reader, handle);
        return new Shape(MetadataNames.Display(full), "[]" + full);
    }

    public Shape GetTypeFromSpecification(MetadataReader reader, IReadOnlyList<Shape>? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public Shape GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.TypedReference => new Shape("System.TypedReference", "typedref", Pointer: true),
        _ => new Shape(PrimitiveName(typeCode), typeCode.ToString()),
    };

    public Shape GetSZArrayType(Shape elementType) => elementType with { Display = elementType.Display + "[]", Canonical = elementType.Canonical + "[]" };

    public Shape GetArrayType(Shape elementType, ArrayShape shape) =>
        elementType with { Display = $"{elementType.Display}[{new string(',', shape.Rank - 1)}]", Canonical = $"{elementType.Canonical}[{shape.Rank}]" };

    public Shape GetByReferenceType(Shape elementType) => elementType with { Display = "ref " + elementType.Display, Canonical = elementType.Canonical + "&" };

    public Shape GetPointerType(Shape elementType) => elementType with { Display = elementType.Display + "*", Canonical = elementType.Canonical + "*", Pointer = true };

    public Shape GetPinnedType(Shape elementType) => elementType with { Display = "pinned " + elementType.Display, Canonical = elementType.Canonical + " pinned", Pinned = true };

    public Shape GetModifiedType(Shape modifier, Shape unmodifiedType, bool isRequired) => unmodifiedType;

    public Shape GetFunctionPointerType(MethodSignature<Shape> signature)
    {
        var parts = signature.ParameterTypes.Add(signature.ReturnType);
        string text = $"delegate*<{string.Join(", ", parts.Select(p => p.Display))}>";
        return Shape.Compose(text, text, parts) with { FunctionPointer = true };
    }

    public Shape GetGenericInstantiation(Shape genericType, ImmutableArray<Shape> typeArguments)
    {
        string display = $"{genericType.Display}<{string.Join(", ", typeArguments.Select(a => a.Display))}>";
        string canonical = $"{genericType.Canonical}<{string.Join(",", typeArguments.Select(a => a.Canonical))}>";
        return Shape.Compose(display, canonical, typeArguments.Add(genericType));
    }

    public Shape GetGenericTypeParameter(IReadOnlyList<Shape>? genericContext, int index) =>
        genericContext is not null && index < genericContext.Count ? genericContext[index] : new Shape($"T{index}", $"!{index}");

    public Shape GetGenericMethodParameter(IReadOnlyList<Shape>? genericContext, int index) => new($"M{index}", $"!!{index}");

    internal static string PrimitiveName(PrimitiveTypeCode c) => c switch
    {
        PrimitiveTypeCode.Boolean => "bool",
        PrimitiveTypeCode.Char => "char",
        PrimitiveTypeCode.SByte => "sbyte",
        PrimitiveTypeCode.Byte => "byte",
        PrimitiveTypeCode.Int16 => "short",
        PrimitiveTypeCode.UInt16 => "ushort",
        PrimitiveTypeCode.Int32 => "int",
        PrimitiveTypeCode.UInt32 => "uint",
        PrimitiveTypeCode.Int64 => "long",
        PrimitiveTypeCode.UInt64 => "ulong",
        PrimitiveTypeCode.Single => "float",
        PrimitiveTypeCode.Double => "double",
        PrimitiveTypeCode.IntPtr => "nint",
        PrimitiveTypeCode.UIntPtr => "nuint",
        PrimitiveTypeCode.Object => "object",
        PrimitiveTypeCode.String => "string",
        PrimitiveTypeCode.Void => "void",
        _ => c.ToString(),
    };
}

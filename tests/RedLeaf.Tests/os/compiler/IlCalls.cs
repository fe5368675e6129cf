// tests/os/compiler: reading the calls in a compiled domain's IL, for the tests that check what the
// instrumentation inserted or replaced (ShadowingAttacks: every inserted check lands in the ABI assembly;
// TextSearchAttacks: no culture-sensitive search is left). Reads the image with System.Reflection.Metadata,
// so the domain is never loaded.
using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace RedLeaf.Tests.Hostile;

internal static class IlCalls
{
    /// <summary>The call, callvirt and newobj tokens of a body, in order.</summary>
    public static IEnumerable<EntityHandle> Of(MethodBodyBlock body)
    {
        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            int first = il.ReadByte();
            var op = first == 0xFE ? TwoByte[il.ReadByte()] : OneByte[first];
            switch (op.OperandType)
            {
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: il.ReadByte(); break;
                case OperandType.InlineVar: il.ReadUInt16(); break;
                case OperandType.InlineI8 or OperandType.InlineR: il.ReadInt64(); break;
                case OperandType.InlineSwitch: int n = il.ReadInt32(); for (int k = 0; k < n; k++) il.ReadInt32(); break;
                case OperandType.InlineMethod:
                    var token = MetadataTokens.EntityHandle(il.ReadInt32());
                    if (op == OpCodes.Call || op == OpCodes.Callvirt || op == OpCodes.Newobj) yield return token;
                    break;
                default: il.ReadInt32(); break;
            }
        }
    }

    private static readonly OpCode[] OneByte = new OpCode[256], TwoByte = new OpCode[256];

    static IlCalls()
    {
        foreach (var f in typeof(OpCodes).GetFields())
            if (f.GetValue(null) is OpCode o)
                (o.Size == 1 ? OneByte : TwoByte)[o.Value & 0xFF] = o;
    }

    /// <summary>The namespace and name of a called method's type, and the assembly it is referenced in (null: the domain's own).</summary>
    public static (string Namespace, string Type, string? Scope) Target(MetadataReader md, EntityHandle token)
    {
        if (token.Kind == HandleKind.MethodSpecification) token = md.GetMethodSpecification((MethodSpecificationHandle)token).Method;
        EntityHandle parent = token.Kind switch
        {
            HandleKind.MemberReference => md.GetMemberReference((MemberReferenceHandle)token).Parent,
            HandleKind.MethodDefinition => md.GetMethodDefinition((MethodDefinitionHandle)token).GetDeclaringType(),
            _ => default,
        };
        if (parent.Kind == HandleKind.TypeSpecification) return ("", "(generic instance)", null);
        if (parent.Kind == HandleKind.TypeDefinition)
        {
            var t = md.GetTypeDefinition((TypeDefinitionHandle)parent);
            return (md.GetString(t.Namespace), md.GetString(t.Name), null);
        }
        if (parent.Kind != HandleKind.TypeReference) return ("", "", null);
        var r = md.GetTypeReference((TypeReferenceHandle)parent);
        string? scope = r.ResolutionScope.Kind == HandleKind.AssemblyReference
            ? md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)r.ResolutionScope).Name) : null;
        return (md.GetString(r.Namespace), md.GetString(r.Name), scope);
    }

    /// <summary>A called member's name and its parameters' type names ("String", "Int32", "StringComparison"...);
    /// null for a token that is not a member reference (the domain's own methods).</summary>
    public static (string Name, ImmutableArray<string> Parameters)? Signature(MetadataReader md, EntityHandle token)
    {
        if (token.Kind == HandleKind.MethodSpecification) token = md.GetMethodSpecification((MethodSpecificationHandle)token).Method;
        if (token.Kind != HandleKind.MemberReference) return null;
        var member = md.GetMemberReference((MemberReferenceHandle)token);
        if (member.GetKind() != MemberReferenceKind.Method) return null;
        var signature = member.DecodeMethodSignature(new TypeNames(md), null);
        return (md.GetString(member.Name), signature.ParameterTypes);
    }

    /// <summary>Type names, enough to tell overloads apart.</summary>
    private sealed class TypeNames(MetadataReader md) : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => md.GetString(md.GetTypeDefinition(handle).Name);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => md.GetString(md.GetTypeReference(handle).Name);
        public string GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) => "(spec)";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => $"{genericType}<{string.Join(",", typeArguments)}>";
        public string GetGenericTypeParameter(object? context, int index) => $"!{index}";
        public string GetGenericMethodParameter(object? context, int index) => $"!!{index}";
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
    }
}

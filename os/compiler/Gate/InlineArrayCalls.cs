// os/compiler/Gate: the call sites of the compiler's inline-array helpers (see CompilerHelpers).
// A helper reinterprets "ref TBuffer" as "ref TElement" and indexes from there, so each call must
// show, in the instructions just before it, that the address really is a TBuffer (a local, argument,
// field, array element or ref-returning call of that type), that TBuffer is an [InlineArray(N)]
// struct of one TElement field (declared by the domain, or by a trusted assembly the kernel has
// loaded), and that the length or index is a constant inside N, with no jump into the sequence.
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Runtime.CompilerServices;

namespace RedLeaf.Os.Compiler.Gate;

internal sealed class InlineArrayCalls
{
    private readonly GateContext _ctx;

    public InlineArrayCalls(GateContext ctx) => _ctx = ctx;

    private MetadataReader Md => _ctx.Md;

    /// <summary>Reports (RLGATE016) a call at <paramref name="i"/> to <paramref name="helper"/> that is not provably in bounds.</summary>
    public void Check(MethodDefinitionHandle caller, IReadOnlyList<IlInstruction> body, int i, IReadOnlyList<Shape> locals, ISet<int> targets, MethodDefinitionHandle helper, EntityHandle token)
    {
        string name = Md.GetString(Md.GetMethodDefinition(helper).Name);
        if (Why(name, caller, body, i, locals, targets, token) is { } why)
            _ctx.Report(_ctx.Locator.At(caller, body[i].Offset), GateIds.CompilerHelper, $"calls the compiler helper {name} {why}");
    }

    private string? Why(string name, MethodDefinitionHandle caller, IReadOnlyList<IlInstruction> body, int i, IReadOnlyList<Shape> locals, ISet<int> targets, EntityHandle token)
    {
        if (body[i].OpCode != ILOpCode.Call || token.Kind != HandleKind.MethodSpecification) return "other than by a direct generic call";
        if (!TryBuffer((MethodSpecificationHandle)token, out var buffer, out int length)) return "with a type that is not an inline array of its element type";
        bool hasConstant = !CompilerHelpers.FirstElement.Contains(name);
        int refAt = hasConstant ? i - 2 : i - 1;
        if (refAt < 0) return "without the buffer it works on";
        for (int k = refAt + 1; k <= i; k++)
            if (targets.Contains(body[k].Offset)) return "at a place other code jumps into";
        if (AddressOf(caller, body[refAt], locals) != buffer) return "on an address that is not known to hold that inline array";
        if (!hasConstant) return null;
        int? c = body[i - 1].Int32Constant;
        if (c is null) return "with a length or index that is not a constant";
        bool fits = CompilerHelpers.WithLength.Contains(name) ? c >= 0 && c <= length : c >= 0 && c < length;
        return fits ? null : $"with {c}, outside a buffer of {length}";
    }

    /// <summary>The canonical type an address-producing instruction points at, or null when it is not one the gate follows.</summary>
    private string? AddressOf(MethodDefinitionHandle caller, IlInstruction load, IReadOnlyList<Shape> locals)
    {
        var provider = new ShapeProvider(Md);
        switch (load.OpCode)
        {
            case ILOpCode.Ldloca or ILOpCode.Ldloca_s:
                return load.Literal < locals.Count ? locals[(int)load.Literal].Canonical : null;
            case ILOpCode.Ldarga or ILOpCode.Ldarga_s:
                return Argument(caller, (int)load.Literal);
            case ILOpCode.Ldarg_0 or ILOpCode.Ldarg_1 or ILOpCode.Ldarg_2 or ILOpCode.Ldarg_3 or ILOpCode.Ldarg or ILOpCode.Ldarg_s:
                int n = load.OpCode is ILOpCode.Ldarg or ILOpCode.Ldarg_s ? (int)load.Literal : load.OpCode - ILOpCode.Ldarg_0;
                return Argument(caller, n) is { } byRef && byRef.EndsWith('&') ? byRef[..^1] : null;
            case ILOpCode.Ldflda or ILOpCode.Ldsflda:
                var f = MetadataTokens.EntityHandle(load.Token);
                return f.Kind switch
                {
                    HandleKind.FieldDefinition => Md.GetFieldDefinition((FieldDefinitionHandle)f).DecodeSignature(provider, null).Canonical,
                    HandleKind.MemberReference => Md.GetMemberReference((MemberReferenceHandle)f).DecodeFieldSignature(provider, null).Canonical,
                    _ => null,
                };
            case ILOpCode.Ldelema:
                return provider.DecodeType(MetadataTokens.EntityHandle(load.Token)).Canonical;
            case ILOpCode.Call or ILOpCode.Callvirt:
                var m = MetadataTokens.EntityHandle(load.Token);
                var returns = m.Kind switch
                {
                    HandleKind.MethodDefinition => Md.GetMethodDefinition((MethodDefinitionHandle)m).DecodeSignature(provider, null).ReturnType.Canonical,
                    HandleKind.MemberReference => Md.GetMemberReference((MemberReferenceHandle)m).DecodeMethodSignature(provider, null).ReturnType.Canonical,
                    _ => null,
                };
                return returns is not null && returns.EndsWith('&') ? returns[..^1] : null;
            default:
                return null;
        }
    }

    /// <summary>The canonical type of argument <paramref name="n"/> (for an instance method, 0 is "this",
    /// an address of the declaring type when that is a struct).</summary>
    private string? Argument(MethodDefinitionHandle caller, int n)
    {
        var def = Md.GetMethodDefinition(caller);
        var sig = def.DecodeSignature(new ShapeProvider(Md), null);
        if (sig.Header.IsInstance)
        {
            if (n == 0) return "[]" + MetadataNames.FullName(Md, def.GetDeclaringType()) + "&";
            n--;
        }
        return n < sig.ParameterTypes.Length ? sig.ParameterTypes[n].Canonical : null;
    }

    /// <summary>TBuffer of a helper instantiation must be an inline-array struct whose one field has type
    /// TElement; gives TBuffer's canonical text and its length.</summary>
    private bool TryBuffer(MethodSpecificationHandle h, out string buffer, out int length)
    {
        buffer = "";
        length = 0;
        var spec = Md.GetMethodSpecification(h);
        var provider = new ShapeProvider(Md);
        var args = spec.DecodeSignature(provider, null);
        if (args.Length != 2) return false;
        buffer = args[0].Canonical;
        var blob = Md.GetBlobReader(spec.Signature);
        blob.ReadSignatureHeader();
        blob.ReadCompressedInteger();
        var decoder = new SignatureDecoder<Shape, IReadOnlyList<Shape>?>(provider, Md, null);
        var code = blob.ReadSignatureTypeCode();
        if (code == SignatureTypeCode.GenericTypeInstance)
        {
            blob.ReadSignatureTypeCode();
            var g = blob.ReadTypeHandle();
            var typeArgs = new List<Shape>();
            int n = blob.ReadCompressedInteger();
            for (int k = 0; k < n; k++) typeArgs.Add(decoder.DecodeType(ref blob));
            return g.Kind == HandleKind.TypeDefinition && Declared((TypeDefinitionHandle)g, typeArgs, args[1], out length);
        }
        if (code != SignatureTypeCode.TypeHandle) return false;
        var t = blob.ReadTypeHandle();
        return t.Kind switch
        {
            HandleKind.TypeDefinition => Declared((TypeDefinitionHandle)t, Array.Empty<Shape>(), args[1], out length),
            HandleKind.TypeReference => Trusted(MetadataNames.OfReference(Md, (TypeReferenceHandle)t), args[1], out length),
            _ => false,
        };
    }

    /// <summary>An inline array the domain declares: a struct, [InlineArray(N)], one instance field of type TElement.</summary>
    private bool Declared(TypeDefinitionHandle type, IReadOnlyList<Shape> typeArgs, Shape element, out int length)
    {
        length = 0;
        var def = Md.GetTypeDefinition(type);
        if (def.BaseType.Kind != HandleKind.TypeReference || MetadataNames.OfReference(Md, (TypeReferenceHandle)def.BaseType).FullName != "System.ValueType") return false;
        var fields = def.GetFields().Select(Md.GetFieldDefinition).Where(f => (f.Attributes & FieldAttributes.Static) == 0).ToList();
        if (fields.Count != 1 || fields[0].DecodeSignature(new ShapeProvider(Md), typeArgs).Canonical != element.Canonical) return false;
        foreach (var ah in def.GetCustomAttributes())
        {
            var a = Md.GetCustomAttribute(ah);
            if (a.Constructor.Kind != HandleKind.MemberReference) continue;
            var parent = Md.GetMemberReference((MemberReferenceHandle)a.Constructor).Parent;
            if (parent.Kind != HandleKind.TypeReference || MetadataNames.OfReference(Md, (TypeReferenceHandle)parent).FullName != "System.Runtime.CompilerServices.InlineArrayAttribute") continue;
            var value = Md.GetBlobReader(a.Value);
            if (value.Length < 6 || value.ReadUInt16() != 1) return false;
            length = value.ReadInt32();
            return length > 0;
        }
        return false;
    }

    /// <summary>An inline array of a trusted shared assembly (an IDL payload such as Payload64), as the
    /// kernel's own loaded copy of it says.</summary>
    private bool Trusted(TypeRefName name, Shape element, out int length)
    {
        length = 0;
        if (_ctx.List.RoleOf(name.Assembly) == AssemblyRole.Outside) return false;
        Type? t;
        try { t = Type.GetType($"{name.FullName}, {name.Assembly}", throwOnError: false); }
        catch (Exception e) when (e is IOException or BadImageFormatException or ArgumentException or TypeLoadException) { return false; }
        if (t is null || !t.IsValueType || t.IsGenericTypeDefinition || t.GetCustomAttribute<InlineArrayAttribute>() is not { Length: > 0 } inline) return false;
        var fields = t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        if (fields.Length != 1) return false;
        var ft = fields[0].FieldType;
        bool same = element.Canonical.StartsWith('[')
            ? element.Canonical[(element.Canonical.IndexOf(']') + 1)..] == ft.FullName
            : (ft.IsPrimitive || ft == typeof(string) || ft == typeof(object)) && element.Canonical == ft.Name;
        length = inline.Length;
        return same;
    }
}

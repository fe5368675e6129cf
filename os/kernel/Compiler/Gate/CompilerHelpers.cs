// os/kernel/Compiler/Gate: the few places where the C# compiler itself emits code the gate would
// otherwise refuse, and the exact shapes in which it is allowed.
// 1. Inline-array helpers. For params spans and collection expressions ("string.Concat(a, b, c, d, e)",
//    "Span<int> s = [x, y]") Roslyn puts the elements in a stack buffer struct ([InlineArray(N)]) and
//    adds <PrivateImplementationDetails>.InlineArrayAsSpan / ...ElementRef etc., which reinterpret the
//    buffer with Unsafe.As and MemoryMarshal.CreateSpan. That is sound only when (a) the helper is
//    Roslyn's one-liner, and (b) every call passes a local of an inline-array struct whose element type
//    is the helper's TElement, with a constant length or index inside the array. (a) is checked here,
//    (b) in InlineArrayCalls.
// 2. Static data spans. "abc"u8 and "ReadOnlySpan<byte> b = [1, 2]" become
//    new ReadOnlySpan<byte>(void*, int) over the compiler's static data: allowed when the pointer comes
//    straight from a <PrivateImplementationDetails> data field and the length fits in it.
// 3. new T(). For a type parameter with the new() constraint, C# emits Activator.CreateInstance<T>(),
//    which creates only the T the (checked) instantiation names; the other Activator overloads take a
//    Type or a type name and stay refused.
// Anything else that uses these members is refused (RLGATE016, or the member's own refusal).
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace RedLeaf.Os.Compiler.Gate;

internal sealed class CompilerHelpers
{
    public const string DetailsType = "<PrivateImplementationDetails>";
    /// <summary>Helpers taking (ref TBuffer buffer, int length).</summary>
    public static readonly HashSet<string> WithLength = new(StringComparer.Ordinal) { "InlineArrayAsSpan", "InlineArrayAsReadOnlySpan" };
    /// <summary>Helpers taking (ref TBuffer buffer, int index).</summary>
    public static readonly HashSet<string> WithIndex = new(StringComparer.Ordinal) { "InlineArrayElementRef", "InlineArrayElementRefReadOnly" };
    /// <summary>Helpers taking (ref TBuffer buffer) only.</summary>
    public static readonly HashSet<string> FirstElement = new(StringComparer.Ordinal) { "InlineArrayFirstElementRef", "InlineArrayFirstElementRefReadOnly" };
    private readonly GateContext _ctx;

    public CompilerHelpers(GateContext ctx) => _ctx = ctx;

    private MetadataReader Md => _ctx.Md;

    /// <summary>True for the compiler's inline-array helpers (the only code that may use "helper" entries).</summary>
    public bool IsInlineArrayHelper(MethodDefinitionHandle m)
    {
        var def = Md.GetMethodDefinition(m);
        string name = Md.GetString(def.Name);
        return (WithLength.Contains(name) || WithIndex.Contains(name) || FirstElement.Contains(name)) && IsDetailsType(def.GetDeclaringType());
    }

    /// <summary>Refuses a helper whose body is not Roslyn's: loads of its two arguments, calls that keep
    /// the buffer-to-element reinterpretation exactly Unsafe.As&lt;TBuffer, TElement&gt;, and a return.</summary>
    public void CheckHelperBody(MethodDefinitionHandle m, IReadOnlyList<IlInstruction> body)
    {
        var def = Md.GetMethodDefinition(m);
        bool ok = def.GetGenericParameters().Count == 2;
        foreach (var ins in body)
        {
            if (!ok) break;
            ok = ins.OpCode switch
            {
                ILOpCode.Ldarg_0 or ILOpCode.Ldarg_1 or ILOpCode.Ret => true,
                ILOpCode.Call => HelperCallIsExact(ins.Token),
                _ => false,
            };
        }
        if (!ok)
            _ctx.Report(_ctx.Locator.Of(m), GateIds.CompilerHelper,
                $"{MetadataNames.MethodDisplay(Md, m)} is not the C# compiler's inline-array helper it is named after; the gate allows raw memory reinterpretation only there");
    }

    private bool HelperCallIsExact(int token)
    {
        var h = MetadataTokens.EntityHandle(token);
        if (h.Kind != HandleKind.MethodSpecification) return false;
        var spec = Md.GetMethodSpecification((MethodSpecificationHandle)h);
        if (spec.Method.Kind != HandleKind.MemberReference) return false;
        var mr = Md.GetMemberReference((MemberReferenceHandle)spec.Method);
        if (mr.Parent.Kind != HandleKind.TypeReference) return false;
        string type = MetadataNames.OfReference(Md, (TypeReferenceHandle)mr.Parent).FullName;
        string args = string.Join(",", spec.DecodeSignature(new ShapeProvider(Md), null).Select(a => a.Canonical));
        return (type, Md.GetString(mr.Name), args) switch
        {
            ("System.Runtime.CompilerServices.Unsafe", "As", "!!0,!!1") => true,
            ("System.Runtime.CompilerServices.Unsafe", "AsRef", "!!0") => true,
            ("System.Runtime.CompilerServices.Unsafe", "Add", "!!1") => true,
            ("System.Runtime.InteropServices.MemoryMarshal", "CreateSpan" or "CreateReadOnlySpan", "!!1") => true,
            _ => false,
        };
    }

    /// <summary>True when the newobj (or in-place constructor call) at <paramref name="i"/> is new ReadOnlySpan&lt;byte&gt;(void*, int) over the
    /// compiler's static data: ldsflda of a data field of &lt;PrivateImplementationDetails&gt;, a constant length that fits.</summary>
    public bool IsStaticDataSpan(IReadOnlyList<IlInstruction> body, int i, ISet<int> targets)
    {
        if (i < 2 || body[i].OpCode is not (ILOpCode.Newobj or ILOpCode.Call) || body[i - 2].OpCode != ILOpCode.Ldsflda) return false;
        if (targets.Contains(body[i - 1].Offset) || targets.Contains(body[i].Offset)) return false;
        var ctor = MetadataTokens.EntityHandle(body[i].Token);
        if (ctor.Kind != HandleKind.MemberReference) return false;
        var mr = Md.GetMemberReference((MemberReferenceHandle)ctor);
        if (Md.GetString(mr.Name) != ".ctor" || mr.Parent.Kind != HandleKind.TypeSpecification) return false;
        var span = new ShapeProvider(Md).DecodeType(mr.Parent).Canonical;
        if (span is not ("[System.Runtime]System.ReadOnlySpan`1<Byte>" or "[System.Private.CoreLib]System.ReadOnlySpan`1<Byte>")) return false;
        var sig = mr.DecodeMethodSignature(new ShapeProvider(Md), null);
        if (sig.ParameterTypes.Length != 2 || sig.ParameterTypes[0].Canonical != "Void*" || sig.ParameterTypes[1].Canonical != "Int32") return false;
        var field = MetadataTokens.EntityHandle(body[i - 2].Token);
        if (field.Kind != HandleKind.FieldDefinition) return false;
        var f = Md.GetFieldDefinition((FieldDefinitionHandle)field);
        if ((f.Attributes & FieldAttributes.HasFieldRVA) == 0 || !IsDetailsType(f.GetDeclaringType())) return false;
        int? n = body[i - 1].Int32Constant;
        return n is >= 0 && n <= DataSize(f);
    }

    private int DataSize(FieldDefinition f)
    {
        var blob = Md.GetBlobReader(f.Signature);
        blob.ReadSignatureHeader();
        var code = blob.ReadSignatureTypeCode();
        return code switch
        {
            SignatureTypeCode.Byte or SignatureTypeCode.SByte or SignatureTypeCode.Boolean => 1,
            SignatureTypeCode.Int16 or SignatureTypeCode.UInt16 or SignatureTypeCode.Char => 2,
            SignatureTypeCode.Int32 or SignatureTypeCode.UInt32 or SignatureTypeCode.Single => 4,
            SignatureTypeCode.Int64 or SignatureTypeCode.UInt64 or SignatureTypeCode.Double => 8,
            SignatureTypeCode.TypeHandle when blob.ReadTypeHandle() is { Kind: HandleKind.TypeDefinition } t
                => Md.GetTypeDefinition((TypeDefinitionHandle)t).GetLayout().Size,
            _ => 0,
        };
    }

    /// <summary>True for Activator.CreateInstance&lt;T&gt;() (generic, no parameters): what "new T()" compiles to.</summary>
    public static bool IsNewOfTypeParameter(MetadataReader md, MemberReference m, TypeRefName parent)
    {
        if (parent.FullName != "System.Activator" || md.GetString(m.Name) != "CreateInstance" || m.GetKind() != MemberReferenceKind.Method) return false;
        var blob = md.GetBlobReader(m.Signature);
        var header = blob.ReadSignatureHeader();
        return header.IsGeneric && blob.ReadCompressedInteger() == 1 && blob.ReadCompressedInteger() == 0;
    }

    public bool IsDetailsType(TypeDefinitionHandle t)
    {
        var def = Md.GetTypeDefinition(t);
        return def.GetDeclaringType().IsNil && Md.GetString(def.Namespace).Length == 0 && Md.GetString(def.Name) == DetailsType;
    }
}

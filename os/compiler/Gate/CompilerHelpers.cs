// os/compiler/Gate: the few places where the C# compiler itself emits code the gate would
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
// 4. Readonly statics of readonly structs. "DateTime.MinValue.Year" takes the address of the base
//    library's static (ldsflda) to call a method on it in place; allowed when the field is readonly,
//    its type a readonly struct (or the method readonly), and the address goes straight to that call
//    as "this" (or to an ldfld), so nothing can write through it. Any other address of a shared
//    static stays refused (RLGATE012).
// Anything else that uses these members is refused (RLGATE016, or the member's own refusal).
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Runtime.CompilerServices;

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

    /// <summary>True when the ldsflda at <paramref name="i"/> takes the address of a readonly static of a
    /// trusted assembly only to read it (see 4 above).</summary>
    public bool IsReadOnlyStaticAddress(IReadOnlyList<IlInstruction> body, int i, ISet<int> targets)
    {
        var h = MetadataTokens.EntityHandle(body[i].Token);
        if (h.Kind != HandleKind.MemberReference) return false;
        var field = Md.GetMemberReference((MemberReferenceHandle)h);
        if (field.Parent.Kind != HandleKind.TypeReference) return false;
        var owner = MetadataNames.OfReference(Md, (TypeReferenceHandle)field.Parent);
        if (_ctx.List.RoleOf(owner.Assembly) == AssemblyRole.Outside) return false;
        FieldInfo? fi;
        try { fi = Type.GetType($"{owner.FullName}, {owner.Assembly}", throwOnError: false)?.GetField(Md.GetString(field.Name), BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic); }
        catch (Exception e) when (e is IOException or BadImageFormatException or ArgumentException or TypeLoadException) { return false; }
        if (fi is null || !fi.IsInitOnly || !fi.FieldType.IsValueType) return false;

        int above = 0; // values pushed on top of the address since the ldsflda
        for (int k = i + 1; k < body.Count && k <= i + 16; k++)
        {
            if (targets.Contains(body[k].Offset) || StackEffects.Of(Md, body[k]) is not { } effect) return false;
            if (effect.Pop > above)
            {
                if (body[k].OpCode == ILOpCode.Ldfld) return above == 0;
                if (body[k].OpCode is not (ILOpCode.Call or ILOpCode.Callvirt) || effect.Pop != above + 1) return false;
                // "constrained. T callvirt Object::ToString": any method, called on a readonly struct.
                if (body[k - 1].OpCode == ILOpCode.Constrained)
                    return fi.FieldType.IsDefined(typeof(IsReadOnlyAttribute), inherit: false)
                        && new ShapeProvider(Md).DecodeType(MetadataTokens.EntityHandle(body[k - 1].Token)).Canonical.EndsWith("]" + fi.FieldType.FullName, StringComparison.Ordinal);
                return ReadOnlyMethodOf(MetadataTokens.EntityHandle(body[k].Token), fi.FieldType);
            }
            above += effect.Push - effect.Pop;
        }
        return false;
    }

    /// <summary>An instance method of <paramref name="type"/> that cannot write to "this": the struct is
    /// readonly, or every overload of that name is a readonly member.</summary>
    private bool ReadOnlyMethodOf(EntityHandle method, Type type)
    {
        if (method.Kind == HandleKind.MethodSpecification) method = Md.GetMethodSpecification((MethodSpecificationHandle)method).Method;
        if (method.Kind != HandleKind.MemberReference || !StackEffects.Signature(Md, method).HasThis) return false;
        var m = Md.GetMemberReference((MemberReferenceHandle)method);
        if (m.Parent.Kind != HandleKind.TypeReference || MetadataNames.OfReference(Md, (TypeReferenceHandle)m.Parent).FullName != type.FullName) return false;
        if (type.IsDefined(typeof(IsReadOnlyAttribute), inherit: false)) return true;
        string name = Md.GetString(m.Name);
        var overloads = type.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Where(x => x.Name == name).ToList();
        return overloads.Count > 0 && overloads.All(x => x.IsDefined(typeof(IsReadOnlyAttribute), inherit: false));
    }

    public bool IsDetailsType(TypeDefinitionHandle t)
    {
        var def = Md.GetTypeDefinition(t);
        return def.GetDeclaringType().IsNil && Md.GetString(def.Namespace).Length == 0 && Md.GetString(def.Name) == DetailsType;
    }
}

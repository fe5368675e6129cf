// os/compiler/Gate: keeps every stack frame of a domain below what the stack guard can stop.
// The guard (RedLeaf.Abi.Guard.Tick) runs at a method's entry, after the prolog has already allocated
// the whole frame; a frame larger than the guard's headroom jumps over it into the thread's guard
// page, and a stack overflow ends the process. So the gate caps sizes (RLGATE019): no value type the
// domain declares or instantiates (a struct, an [InlineArray], ValueTuple<Big, Big>) may exceed
// StackBounds.MaxValueSize, and no method's estimated frame may exceed StackBounds.MaxFrame. The
// estimate adds its locals, every struct an instruction produces (call results and by-value struct
// arguments, new structs, loads of struct fields and elements: the JIT may give each a temporary)
// and the frames of domain methods the JIT may inline into it (small or [AggressiveInlining]).
// StackBounds keeps Headroom above two such frames plus the unguarded chain; sizes come from ValueSizes.
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Os.Compiler.Gate;

internal sealed class StackLimits
{
    /// <summary>Bodies up to this many IL bytes may be inlined by the JIT without being asked to (its
    /// default policy stops at 100 or 128; [AggressiveInlining] has no such bound).</summary>
    private const int InlineCandidateIl = 128;

    private readonly GateContext _ctx;
    private readonly ValueSizes _sizes;
    private readonly Dictionary<MethodDefinitionHandle, (long Own, List<MethodDefinitionHandle> Calls)> _frames = new();

    public StackLimits(GateContext ctx)
    {
        _ctx = ctx;
        _sizes = new ValueSizes(ctx.Md) { Limit = StackBounds.MaxValueSize };
    }

    private MetadataReader Md => _ctx.Md;

    /// <summary>A value type the domain declares (non-generic: a generic one is measured where instantiated).</summary>
    public void Type(TypeDefinitionHandle th, SourceSpot at)
    {
        if (Md.GetTypeDefinition(th).GetGenericParameters().Count > 0) return;
        var f = _sizes.OfDefinition(th);
        if (f.IsValue && f.Size > StackBounds.MaxValueSize)
            _ctx.Report(at, GateIds.StackSize, $"declares {f.Name}, a value type of {Bytes(f.Size)}: {ValueRule}");
        Oversized(at);
    }

    public void Field(FieldDefinitionHandle fh, SourceSpot at)
    {
        Md.GetFieldDefinition(fh).DecodeSignature(_sizes, null);
        Oversized(at);
    }

    public void Signature(MethodDefinitionHandle mh, SourceSpot at)
    {
        Md.GetMethodDefinition(mh).DecodeSignature(_sizes, null);
        Oversized(at);
    }

    /// <summary>A body: its own frame estimate, the domain methods it calls, and every oversized
    /// instantiation at the instruction that names it.</summary>
    public void Body(MethodDefinitionHandle m, MethodBodyBlock body, IReadOnlyList<IlInstruction> il)
    {
        long own = 0;
        if (!body.LocalSignature.IsNil)
        {
            foreach (var local in Md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_sizes, null))
                own = Add(own, Slot(local));
            Oversized(_ctx.Locator.Of(m));
        }
        var calls = new List<MethodDefinitionHandle>();
        foreach (var ins in il)
        {
            if (!ins.HasToken || ins.OpCode is ILOpCode.Ldstr or ILOpCode.Calli) continue;
            var h = MetadataTokens.EntityHandle(ins.Token);
            long temp = ins.OpCode switch
            {
                ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj => Call(h, ins.OpCode == ILOpCode.Newobj, calls),
                ILOpCode.Ldfld or ILOpCode.Ldsfld => FieldValue(h),
                ILOpCode.Ldobj or ILOpCode.Ldelem or ILOpCode.Unbox_any => Slot(_sizes.OfToken(h)),
                ILOpCode.Ldtoken => 0,
                _ => TypeOnly(h),
            };
            own = Add(own, temp);
            if (h.Kind == HandleKind.MemberReference && Md.GetMemberReference((MemberReferenceHandle)h).Parent is { Kind: HandleKind.TypeSpecification } parent)
                _sizes.OfToken(parent); // a member of ValueTuple<Big, Big> measures the tuple, whatever the member
            Oversized(_ctx.Locator.At(m, ins.Offset));
        }
        _frames[m] = (own, calls);
    }

    /// <summary>After every body: each method's frame with what may be inlined into it, against the cap.</summary>
    public void Frames()
    {
        var total = new Dictionary<MethodDefinitionHandle, long>();
        var busy = new HashSet<MethodDefinitionHandle>();
        long Frame(MethodDefinitionHandle m, int depth)
        {
            if (total.TryGetValue(m, out var known)) return known;
            if (!_frames.TryGetValue(m, out var f)) return 0;
            if (depth > 32 || !busy.Add(m)) return f.Own; // recursion is never inlined into itself
            long sum = f.Own;
            foreach (var c in f.Calls)
                if (c != m && Inlinable(c)) sum = Add(sum, Frame(c, depth + 1));
            busy.Remove(m);
            return total[m] = sum;
        }
        foreach (var m in _frames.Keys)
        {
            long frame = Frame(m, 0);
            if (frame > StackBounds.MaxFrame)
                _ctx.Report(_ctx.Locator.Declaration(m), GateIds.StackSize,
                    $"{MetadataNames.MethodDisplay(Md, m)} needs a stack frame of about {Bytes(frame)} (its locals, the structs its expressions produce and the small methods inlined into it): " +
                    $"a domain method's frame may take at most {Bytes(StackBounds.MaxFrame)}, so that the stack guard's headroom ({StackBounds.Headroom / 1024} KiB) always covers it; keep large data in arrays or on the shared heap");
        }
    }

    private bool Inlinable(MethodDefinitionHandle h)
    {
        var m = Md.GetMethodDefinition(h);
        if (m.RelativeVirtualAddress == 0 || (m.ImplAttributes & MethodImplAttributes.NoInlining) != 0) return false;
        return (m.ImplAttributes & MethodImplAttributes.AggressiveInlining) != 0 || IlSize(h) <= InlineCandidateIl;
    }

    private readonly Dictionary<MethodDefinitionHandle, int> _ilSizes = new();

    private int IlSize(MethodDefinitionHandle h) => _ilSizes.TryGetValue(h, out var n) ? n : _ilSizes[h] = Il(h);

    private int Il(MethodDefinitionHandle h) => _ctx.Pe.GetMethodBody(Md.GetMethodDefinition(h).RelativeVirtualAddress).Size;

    /// <summary>Struct values a call moves through its caller's frame: its result and by-value struct
    /// arguments (and the new struct of a value type's constructor).</summary>
    private long Call(EntityHandle h, bool isNew, List<MethodDefinitionHandle> calls)
    {
        var methodScope = ImmutableArray<Footprint>.Empty;
        if (h.Kind == HandleKind.MethodSpecification)
        {
            var spec = Md.GetMethodSpecification((MethodSpecificationHandle)h);
            methodScope = spec.DecodeSignature(_sizes, null);
            h = spec.Method;
        }
        MethodSignature<Footprint> sig;
        Footprint owner;
        switch (h.Kind)
        {
            case HandleKind.MethodDefinition:
                var def = Md.GetMethodDefinition((MethodDefinitionHandle)h);
                calls.Add((MethodDefinitionHandle)h);
                sig = def.DecodeSignature(_sizes, new GenericScope(ImmutableArray<Footprint>.Empty, methodScope));
                owner = isNew ? _sizes.OfToken(def.GetDeclaringType()) : default;
                break;
            case HandleKind.MemberReference:
                var mr = Md.GetMemberReference((MemberReferenceHandle)h);
                if (mr.GetKind() != MemberReferenceKind.Method) return 0;
                var typeScope = TypeArguments(mr.Parent);
                sig = mr.DecodeMethodSignature(_sizes, new GenericScope(typeScope, methodScope));
                owner = isNew && mr.Parent.Kind is HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification ? _sizes.OfToken(mr.Parent) : default;
                break;
            default:
                return 0;
        }
        long sum = Slot(sig.ReturnType) + Slot(owner);
        foreach (var p in sig.ParameterTypes) sum = Add(sum, Slot(p));
        return sum;
    }

    private long FieldValue(EntityHandle h)
    {
        if (h.Kind == HandleKind.FieldDefinition) return Slot(Md.GetFieldDefinition((FieldDefinitionHandle)h).DecodeSignature(_sizes, null));
        if (h.Kind != HandleKind.MemberReference) return 0;
        var mr = Md.GetMemberReference((MemberReferenceHandle)h);
        if (mr.GetKind() != MemberReferenceKind.Field) return 0;
        return Slot(mr.DecodeFieldSignature(_sizes, new GenericScope(TypeArguments(mr.Parent), ImmutableArray<Footprint>.Empty)));
    }

    /// <summary>A type token that produces no value of its own (box, initobj, castclass, newarr...): only its instantiations are measured.</summary>
    private long TypeOnly(EntityHandle h)
    {
        if (h.Kind is HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification) _sizes.OfToken(h);
        return 0;
    }

    /// <summary>The type arguments of a generic instantiation used as a member's parent (none otherwise).</summary>
    private ImmutableArray<Footprint> TypeArguments(EntityHandle parent)
    {
        if (parent.Kind != HandleKind.TypeSpecification) return ImmutableArray<Footprint>.Empty;
        var blob = Md.GetBlobReader(Md.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return ImmutableArray<Footprint>.Empty;
        blob.ReadSignatureTypeCode();
        blob.ReadTypeHandle();
        int count = blob.ReadCompressedInteger();
        var decoder = new SignatureDecoder<Footprint, GenericScope?>(_sizes, Md, null);
        var args = ImmutableArray.CreateBuilder<Footprint>(count);
        for (int i = 0; i < count; i++) args.Add(decoder.DecodeType(ref blob));
        return args.MoveToImmutable();
    }

    private void Oversized(SourceSpot at)
    {
        foreach (var f in _sizes.TakeOversized())
            _ctx.Report(at, GateIds.StackSize, $"uses {f.Name}, a value type of {Bytes(f.Size)}: {ValueRule}");
    }

    private static readonly string ValueRule =
        $"a value type may take at most {Bytes(StackBounds.MaxValueSize)}, so that no local, argument or frame can jump over the stack guard " +
        "(an [InlineArray] counts its length times its element); keep large data in arrays or on the shared heap";

    /// <summary>The stack a value takes: nothing for references (counted as locals or in registers), its size rounded to 8 for structs.</summary>
    private static long Slot(Footprint f) => f.IsValue ? (f.Size + 7) / 8 * 8 : 0;

    private static long Add(long a, long b) => Math.Min(a + b, ValueSizes.Huge);

    private static string Bytes(long n) =>
        n >= ValueSizes.Huge ? "more than a terabyte"
        : n >= 1 << 20 ? $"{n:N0} bytes ({n / (double)(1 << 20):0.#} MiB)"
        : n >= 1 << 10 ? $"{n:N0} bytes ({n / 1024.0:0.#} KiB)"
        : $"{n:N0} bytes";
}

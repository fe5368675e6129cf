// os/compiler/Gate: reads one method body instruction by instruction. Every instruction that
// names a type, method or field goes through ReferenceChecker at the source line it came from;
// forbidden instructions, local variables (pointers, pinning, skipped zeroing), catch clauses and
// calls to the domain's own bodiless methods (extern, [UnsafeAccessor]) are checked here; calls into
// the compiler's inline-array helpers go to InlineArrayCalls.
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace RedLeaf.Os.Compiler.Gate;

internal sealed class BodyScanner
{
    private readonly GateContext _ctx;
    private readonly ReferenceChecker _refs;
    private readonly CompilerHelpers _helpers;
    private readonly InlineArrayCalls _inlineCalls;
    private readonly StackLimits _limits;
    private readonly ExpandingGenerics _expanding;

    public BodyScanner(GateContext ctx, ReferenceChecker refs, StackLimits limits, ExpandingGenerics expanding)
    {
        _ctx = ctx;
        _refs = refs;
        _limits = limits;
        _expanding = expanding;
        _helpers = new CompilerHelpers(ctx);
        _inlineCalls = new InlineArrayCalls(ctx);
    }

    private MetadataReader Md => _ctx.Md;

    public void Scan(MethodDefinitionHandle m, MethodBodyBlock body)
    {
        var targets = new HashSet<int>();
        var il = IlReader.Read(body.GetILReader(), targets);
        foreach (var r in body.ExceptionRegions)
        {
            targets.Add(r.TryOffset);
            targets.Add(r.HandlerOffset);
            if (r.Kind == ExceptionRegionKind.Filter) targets.Add(r.FilterOffset);
        }
        bool inHelper = _helpers.IsInlineArrayHelper(m);
        if (inHelper) _helpers.CheckHelperBody(m, il);
        var locals = Locals(m, body);

        for (int i = 0; i < il.Count; i++)
        {
            var ins = il[i];
            if (ForbiddenInstructions.Refusal(ins.OpCode) is { } refusal) _ctx.Report(_ctx.Locator.At(m, ins.Offset), GateIds.Instruction, refusal);
            if (!ins.HasToken || ins.OpCode == ILOpCode.Ldstr) continue;
            var at = _ctx.Locator.At(m, ins.Offset);
            var h = MetadataTokens.EntityHandle(ins.Token);
            switch (ins.OpCode)
            {
                case ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Ldftn or ILOpCode.Ldvirtftn or ILOpCode.Jmp:
                    if (HelperTarget(h) is { IsNil: false } helper) _inlineCalls.Check(m, il, i, locals, targets, helper, h);
                    // new Span<T>(void*, int) over static data is checked by CompilerHelpers; right after a
                    // stackalloc the localloc is the refusal, the pointer constructor adds nothing.
                    bool pointerChecked = _helpers.IsStaticDataSpan(il, i, targets) || (ins.OpCode == ILOpCode.Newobj && i >= 2 && il[i - 2].OpCode == ILOpCode.Localloc);
                    _refs.Method(h, at, UseOf(ins.OpCode), inHelper, pointerChecked);
                    if (BodilessTarget(h) is { IsNil: false } bodiless) Bodiless(bodiless, at);
                    break;
                case ILOpCode.Ldfld or ILOpCode.Ldsfld:
                    _refs.Field(h, at, MemberUse.Read, ins.OpCode == ILOpCode.Ldsfld);
                    break;
                case ILOpCode.Stfld or ILOpCode.Stsfld:
                    _refs.Field(h, at, MemberUse.Write, ins.OpCode == ILOpCode.Stsfld);
                    break;
                case ILOpCode.Ldflda:
                    _refs.Field(h, at, MemberUse.Address, isStatic: false);
                    break;
                case ILOpCode.Ldsflda:
                    _refs.Field(h, at, MemberUse.Address, isStatic: true, _helpers.IsReadOnlyStaticAddress(il, i, targets));
                    break;
                case ILOpCode.Ldtoken:
                    bool isField = h.Kind == HandleKind.FieldDefinition
                        || (h.Kind == HandleKind.MemberReference && Md.GetMemberReference((MemberReferenceHandle)h).GetKind() == MemberReferenceKind.Field);
                    if (isField) _refs.Field(h, at, MemberUse.Token, isStatic: false);
                    else if (h.Kind is HandleKind.MethodDefinition or HandleKind.MemberReference or HandleKind.MethodSpecification) _refs.Method(h, at, MemberUse.Token);
                    else _refs.Type(h, at, "takes a runtime handle to type", inHelper);
                    break;
                case ILOpCode.Calli:
                    _ctx.Checked.Add(h); // already refused as an instruction
                    break;
                default: // castclass, isinst, box, unbox, newarr, ldelem, initobj, constrained., sizeof, ...
                    _refs.Type(h, at, ins.OpCode == ILOpCode.Newarr ? "creates an array of" : "uses type", inHelper);
                    break;
            }
        }

        _limits.Body(m, body, il);
        _expanding.Body(m, il);
        foreach (var r in body.ExceptionRegions)
            if (r.Kind == ExceptionRegionKind.Catch) _refs.Type(r.CatchType, _ctx.Locator.At(m, r.HandlerOffset), "catches", inHelper);
    }

    /// <summary>Local variable types: no pointers or pinning, every named type allowed, and zeroed on entry.</summary>
    private IReadOnlyList<Shape> Locals(MethodDefinitionHandle m, MethodBodyBlock body)
    {
        if (body.LocalSignature.IsNil) return ImmutableArray<Shape>.Empty;
        _ctx.Checked.Add(body.LocalSignature);
        var provider = new ShapeProvider(Md);
        var locals = Md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null);
        var at = _ctx.Locator.Of(m);
        string method = MetadataNames.MethodDisplay(Md, m);
        foreach (var l in locals.Where(l => l.Unsafe))
            _ctx.Report(at, GateIds.Pointer, $"{method} has a local variable of type {l.Display}: {l.UnsafeReason}");
        foreach (var r in provider.References) _refs.Name(r, at, $"{method} has a local variable of type");
        _refs.Recursive(_refs.Recursion.OfLocals(body.LocalSignature), at, $"{method} has a local variable of type");
        if (locals.Length > 0 && !body.LocalVariablesInitialized)
            _ctx.Report(at, GateIds.UnsafeCode, $"{method} skips zeroing its local variables ([SkipLocalsInit]): it could read what an earlier call left on the stack");
        return locals;
    }

    /// <summary>A domain method without IL that the runtime would supply (extern, [UnsafeAccessor], P/Invoke);
    /// nil for anything else. Its declaration is refused too; the call is where it would act.</summary>
    private MethodDefinitionHandle BodilessTarget(EntityHandle h)
    {
        if (h.Kind == HandleKind.MethodSpecification) h = Md.GetMethodSpecification((MethodSpecificationHandle)h).Method;
        if (h.Kind != HandleKind.MethodDefinition) return default;
        var m = Md.GetMethodDefinition((MethodDefinitionHandle)h);
        bool bodiless = m.RelativeVirtualAddress == 0 && (m.Attributes & System.Reflection.MethodAttributes.Abstract) == 0
            && (m.ImplAttributes & System.Reflection.MethodImplAttributes.CodeTypeMask) != System.Reflection.MethodImplAttributes.Runtime;
        return bodiless ? (MethodDefinitionHandle)h : default;
    }

    private void Bodiless(MethodDefinitionHandle target, SourceSpot at)
    {
        var m = Md.GetMethodDefinition(target);
        string name = MetadataNames.MethodDisplay(Md, target);
        bool accessor = m.GetCustomAttributes().Any(a => AttributeTypeName(Md.GetCustomAttribute(a).Constructor) == "System.Runtime.CompilerServices.UnsafeAccessorAttribute");
        if (accessor)
            _ctx.Report(at, GateIds.AccessBypass, $"calls {name}, an [UnsafeAccessor]: the runtime would make it reach private members of another type (an internal constructor, a hidden field)");
        else
            _ctx.Report(at, GateIds.NativeCode, $"calls {name}, which has no body (extern, native or supplied by the runtime): domains run only IL the gate has read");
    }

    private string AttributeTypeName(EntityHandle constructor) => constructor.Kind == HandleKind.MemberReference
        && Md.GetMemberReference((MemberReferenceHandle)constructor).Parent is { Kind: HandleKind.TypeReference } parent
        ? MetadataNames.OfReference(Md, (TypeReferenceHandle)parent).FullName : "";

    private MethodDefinitionHandle HelperTarget(EntityHandle h)
    {
        if (h.Kind == HandleKind.MethodSpecification) h = Md.GetMethodSpecification((MethodSpecificationHandle)h).Method;
        return h.Kind == HandleKind.MethodDefinition && _helpers.IsInlineArrayHelper((MethodDefinitionHandle)h) ? (MethodDefinitionHandle)h : default;
    }

    private static MemberUse UseOf(ILOpCode op) => op switch
    {
        ILOpCode.Newobj => MemberUse.Create,
        ILOpCode.Ldftn or ILOpCode.Ldvirtftn => MemberUse.Delegate,
        ILOpCode.Jmp => MemberUse.Jump,
        _ => MemberUse.Call,
    };
}

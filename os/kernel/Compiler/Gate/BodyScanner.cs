// os/kernel/Compiler/Gate: reads one method body instruction by instruction. Every instruction that
// names a type, method or field goes through ReferenceChecker at the source line it came from;
// forbidden instructions, local variables (pointers, pinning, skipped zeroing) and catch clauses are
// checked here; calls into the compiler's inline-array helpers go to InlineArrayCalls.
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

    public BodyScanner(GateContext ctx, ReferenceChecker refs)
    {
        _ctx = ctx;
        _refs = refs;
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
        if (locals.Length > 0 && !body.LocalVariablesInitialized)
            _ctx.Report(at, GateIds.UnsafeCode, $"{method} skips zeroing its local variables ([SkipLocalsInit]): it could read what an earlier call left on the stack");
        return locals;
    }

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

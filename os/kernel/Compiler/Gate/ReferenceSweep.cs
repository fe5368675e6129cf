// os/kernel/Compiler/Gate: the last pass. Everything the image refers to sits in a metadata table
// (type and member references, type and method specifications); whatever no declaration, body or
// attribute reached is checked here too, at the assembly's location, so nothing in the image
// escapes the allow-list however it is used (or hidden).
using System.Reflection.Metadata;

namespace RedLeaf.Os.Compiler.Gate;

internal sealed class ReferenceSweep
{
    private readonly GateContext _ctx;
    private readonly ReferenceChecker _refs;

    public ReferenceSweep(GateContext ctx, ReferenceChecker refs)
    {
        _ctx = ctx;
        _refs = refs;
    }

    public void Scan()
    {
        var md = _ctx.Md;
        var at = _ctx.Locator.Assembly;
        foreach (var h in md.TypeSpecifications.Where(h => !_ctx.Checked.Contains(h))) _refs.Type(h, at, "refers to type");
        foreach (var h in md.MethodSpecifications.Where(h => !_ctx.Checked.Contains(h))) _refs.Method(h, at, MemberUse.Reference);
        foreach (var h in md.MemberReferences.Where(h => !_ctx.Checked.Contains(h)))
        {
            if (md.GetMemberReference(h).GetKind() == MemberReferenceKind.Field) _refs.Field(h, at, MemberUse.Reference, isStatic: false);
            else _refs.Method(h, at, MemberUse.Reference);
        }
        foreach (var h in md.TypeReferences.Where(h => !_ctx.Checked.Contains(h))) _refs.Name(h, at, "refers to type");
    }
}

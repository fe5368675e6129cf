// os/compiler/Gate: the last pass. Everything the image refers to sits in a metadata table
// (type and member references, type and method specifications); whatever no declaration, body or
// attribute reached is checked here too, so nothing in the image escapes the allow-list however it
// is used (or hidden). A refusal here is placed where the source first names the type or member
// (SourceLocator.Reference: an attribute's typeof argument, say), the assembly only if it names none.
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

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
        try
        {
            var typeSpecs = Enumerable.Range(1, md.GetTableRowCount(TableIndex.TypeSpec)).Select(MetadataTokens.TypeSpecificationHandle);
            foreach (var h in typeSpecs.Where(h => !_ctx.Checked.Contains(h))) _refs.Type(h, at, "refers to type");
            var methodSpecs = Enumerable.Range(1, md.GetTableRowCount(TableIndex.MethodSpec)).Select(MetadataTokens.MethodSpecificationHandle);
            foreach (var h in methodSpecs.Where(h => !_ctx.Checked.Contains(h))) _refs.Method(h, at, MemberUse.Reference);
            foreach (var h in md.MemberReferences.Where(h => !_ctx.Checked.Contains(h)))
            {
                _ctx.AssemblySpot = () => _ctx.Locator.Reference(h); // placed only if refused
                if (md.GetMemberReference(h).GetKind() == MemberReferenceKind.Field) _refs.Field(h, at, MemberUse.Reference, isStatic: false);
                else _refs.Method(h, at, MemberUse.Reference);
            }
            foreach (var h in md.TypeReferences.Where(h => !_ctx.Checked.Contains(h)))
            {
                _ctx.AssemblySpot = () => _ctx.Locator.Reference(h);
                _refs.Name(h, at, "refers to type");
            }
        }
        finally { _ctx.AssemblySpot = null; }
    }
}

// os/compiler/Gate: custom attributes, wherever they are applied (assembly, module, types,
// members, parameters). An attribute is data until someone reflects on it, but a few change what
// the runtime does ([module: UnverifiableCode] marks unsafe code; IgnoresAccessChecksTo switches
// off access checks), so every attribute type is held against the allow-list like any other use.
using System.Reflection.Metadata;

namespace RedLeaf.Os.Compiler.Gate;

internal sealed class AttributeScanner
{
    private readonly GateContext _ctx;
    private readonly ReferenceChecker _refs;
    private Dictionary<ParameterHandle, MethodDefinitionHandle>? _parameterOwners;

    public AttributeScanner(GateContext ctx, ReferenceChecker refs)
    {
        _ctx = ctx;
        _refs = refs;
    }

    private MetadataReader Md => _ctx.Md;

    public void Scan()
    {
        foreach (var ah in Md.CustomAttributes)
        {
            var a = Md.GetCustomAttribute(ah);
            _refs.Method(a.Constructor, _ctx.Locator.Attribute(ah, SpotOf(a.Parent)), MemberUse.Attribute);
        }
    }

    /// <summary>Where an attribute's target shows in the source when the attribute itself cannot be
    /// placed (no compilation, or a compiler-generated target): its method or type, else the assembly.</summary>
    private SourceSpot SpotOf(EntityHandle parent)
    {
        var where = _ctx.Locator;
        switch (parent.Kind)
        {
            case HandleKind.TypeDefinition: return where.OfTypeOrAssembly((TypeDefinitionHandle)parent);
            case HandleKind.MethodDefinition: return where.Declaration((MethodDefinitionHandle)parent);
            case HandleKind.FieldDefinition: return where.Declaration((FieldDefinitionHandle)parent);
            case HandleKind.Parameter:
                _parameterOwners ??= Md.MethodDefinitions.SelectMany(m => Md.GetMethodDefinition(m).GetParameters().Select(p => (p, m))).ToDictionary(x => x.p, x => x.m);
                return _parameterOwners.TryGetValue((ParameterHandle)parent, out var owner) ? where.Of(owner) : where.Assembly;
            case HandleKind.PropertyDefinition:
                var getter = Md.GetPropertyDefinition((PropertyDefinitionHandle)parent).GetAccessors();
                var accessor = getter.Getter.IsNil ? getter.Setter : getter.Getter;
                return accessor.IsNil ? where.Assembly : where.Of(accessor);
            case HandleKind.EventDefinition:
                var adder = Md.GetEventDefinition((EventDefinitionHandle)parent).GetAccessors().Adder;
                return adder.IsNil ? where.Assembly : where.Of(adder);
            case HandleKind.GenericParameter:
                return SpotOf(Md.GetGenericParameter((GenericParameterHandle)parent).Parent);
            default:
                return where.Assembly;
        }
    }
}

// os/compiler/Gate: holds what a domain refers to against the allow-list: type references
// (naming a type), member references (using a member), generic instantiations and signatures
// (pointers hide there). Answers are cached per metadata handle; refusals are reported at every
// site that uses the handle, so a student sees each offending line.
using System.Reflection.Metadata;

namespace RedLeaf.Os.Compiler.Gate;

internal sealed class ReferenceChecker
{
    private const string IgnoresAccessChecks = "System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute";
    private readonly GateContext _ctx;
    private readonly Dictionary<(EntityHandle, bool), Verdict> _verdicts = new();

    public ReferenceChecker(GateContext ctx)
    {
        _ctx = ctx;
        Recursion = new UnguardedRecursion(ctx.Md);
    }

    /// <summary>The check for values whose Equals, GetHashCode or ToString recurse unguarded (RLGATE020).</summary>
    public UnguardedRecursion Recursion { get; }

    /// <summary>Reports <paramref name="n"/> if it holds a container over an open element.</summary>
    public void Recursive(Nest? n, SourceSpot at, string usage)
    {
        if (n is { Offends: true } found) _ctx.Report(at, GateIds.UnguardedRecursion, $"{usage} {UnguardedRecursion.Describe(found)}");
    }

    private MetadataReader Md => _ctx.Md;

    /// <summary>A type token (definition, reference or specification) used at <paramref name="at"/>.</summary>
    public void Type(EntityHandle h, SourceSpot at, string usage, bool inHelper = false)
    {
        if (h.IsNil) return;
        _ctx.Checked.Add(h);
        var provider = new ShapeProvider(Md);
        var shape = provider.DecodeType(h);
        Shape(shape, provider, at, usage, inHelper);
        Recursive(Recursion.OfType(h), at, usage);
    }

    /// <summary>A decoded shape: refused if it hides a pointer; each type it names must be allowed.</summary>
    public void Shape(Shape shape, ShapeProvider provider, SourceSpot at, string usage, bool inHelper = false)
    {
        if (shape.Unsafe) _ctx.Report(at, GateIds.Pointer, $"{usage} {shape.Display}: {shape.UnsafeReason}");
        foreach (var r in provider.References) Name(r, at, usage, inHelper);
    }

    /// <summary>A method token (definition, reference or generic instantiation) used at <paramref name="at"/>.</summary>
    public void Method(EntityHandle h, SourceSpot at, MemberUse use, bool inHelper = false, bool pointerSignatureChecked = false)
    {
        _ctx.Checked.Add(h);
        if (h.Kind is HandleKind.MethodSpecification or HandleKind.MemberReference) Recursive(Recursion.OfMethod(h), at, "uses");
        switch (h.Kind)
        {
            case HandleKind.MethodDefinition:
                var own = Md.GetMethodDefinition((MethodDefinitionHandle)h);
                if (use == MemberUse.Delegate && Md.GetString(own.Name) == "Invoke" && IsDelegateType(own.GetDeclaringType()))
                    _ctx.Report(at, GateIds.UnguardedRecursion, $"makes a delegate of another delegate's Invoke ({MetadataNames.Display(MetadataNames.FullName(Md, own.GetDeclaringType()))}): {DelegateOfInvoke}");
                return;
            case HandleKind.MethodSpecification:
                var spec = Md.GetMethodSpecification((MethodSpecificationHandle)h);
                var provider = new ShapeProvider(Md);
                var args = spec.DecodeSignature(provider, null);
                string target = spec.Method.Kind == HandleKind.MemberReference
                    ? Describe((MemberReferenceHandle)spec.Method)
                    : MetadataNames.MethodDisplay(Md, (MethodDefinitionHandle)spec.Method);
                foreach (var a in args.Where(a => a.Unsafe)) _ctx.Report(at, GateIds.Pointer, $"instantiates {target} with {a.Display}: {a.UnsafeReason}");
                foreach (var r in provider.References) Name(r, at, $"instantiates {target} with", inHelper);
                Method(spec.Method, at, use, inHelper, pointerSignatureChecked);
                return;
            case HandleKind.MemberReference:
                Member((MemberReferenceHandle)h, at, use, inHelper, pointerSignatureChecked);
                return;
            default:
                throw new BadImageFormatException($"a method token points at a {h.Kind}");
        }
    }

    /// <summary>A field token used at <paramref name="at"/>; a write to (or the address of) a static
    /// field declared outside the domain is refused whatever the allow-list says, except an address
    /// CompilerHelpers showed is only read (<paramref name="readOnlyAddress"/>).</summary>
    public void Field(EntityHandle h, SourceSpot at, MemberUse use, bool isStatic, bool readOnlyAddress = false)
    {
        _ctx.Checked.Add(h);
        if (h.Kind == HandleKind.FieldDefinition) return;
        if (h.Kind != HandleKind.MemberReference) throw new BadImageFormatException($"a field token points at a {h.Kind}");
        var mr = (MemberReferenceHandle)h;
        Recursive(Recursion.OfMethod(h), at, "uses");
        if (isStatic && (use == MemberUse.Write || (use == MemberUse.Address && !readOnlyAddress)) && OwnerAssembly(Md.GetMemberReference(mr).Parent) is { Length: > 0 } owner)
            _ctx.Report(at, GateIds.SharedStatic,
                $"{Phrases.Of(use, ParentDisplay(mr), Md.GetString(Md.GetMemberReference(mr).Name))}: static fields of {owner} are shared by every domain; a domain may only change its own");
        Member(mr, at, use, inHelper: false, pointerSignatureChecked: false);
    }

    /// <summary>A type reference named at <paramref name="at"/> (in a signature, a cast, a base type).</summary>
    public void Name(TypeReferenceHandle tr, SourceSpot at, string usage, bool inHelper = false)
    {
        for (EntityHandle h = tr; h.Kind == HandleKind.TypeReference; h = Md.GetTypeReference((TypeReferenceHandle)h).ResolutionScope)
            _ctx.Checked.Add(h); // an enclosing type is named with its nested type
        var v = Cached(tr, inHelper, () => TypeVerdict(MetadataNames.OfReference(Md, tr), inHelper));
        if (!v.Allowed) Refuse(at, v, $"{usage} {MetadataNames.OfReference(Md, tr).Display}", tr);
    }

    /// <summary>A member reference used at <paramref name="at"/>.</summary>
    public void Member(MemberReferenceHandle mr, SourceSpot at, MemberUse use, bool inHelper, bool pointerSignatureChecked)
    {
        _ctx.Checked.Add(mr);
        var m = Md.GetMemberReference(mr);
        string name = Md.GetString(m.Name);
        if (m.Parent.Kind == HandleKind.TypeSpecification) Type(m.Parent, at, "uses type", inHelper); // its type arguments must be allowed too
        var v = Cached(mr, inHelper, () => MemberVerdict(m, name, inHelper));
        string parentName = ParentMetadataName(m.Parent);
        if (UnguardedRecursion.WrapperChain(parentName, name, ParameterCount(m)) is { } chain)
            _ctx.Report(at, GateIds.UnguardedRecursion, $"{Phrases.Of(use, ParentDisplay(mr), name)}: {chain}");
        if (use == MemberUse.Delegate && name == "Invoke" && IsDelegateType(m.Parent))
            _ctx.Report(at, GateIds.UnguardedRecursion, $"makes a delegate of another delegate's Invoke ({ParentDisplay(mr)}): {DelegateOfInvoke}");
        if (use == MemberUse.Delegate && parentName == "System.Linq.Enumerable")
            _ctx.Report(at, GateIds.UnguardedRecursion, $"makes a delegate of Enumerable.{name}: the trusted compiler guards the sequences LINQ operators return where domain code calls them " +
                "(a chain of operators is walked recursively by the base library, without the stack guard), and a call through a delegate would return one unguarded; call it inside a lambda instead");
        // The types in its signature are the declaring assembly's business (they need no entry of their
        // own), except for pointers.
        var provider = new ShapeProvider(Md);
        bool unsafeSig = m.GetKind() == MemberReferenceKind.Method
            ? m.DecodeMethodSignature(provider, null) is var sig && (sig.ReturnType.Unsafe || sig.ParameterTypes.Any(p => p.Unsafe))
            : m.DecodeFieldSignature(provider, null).Unsafe;
        foreach (var r in provider.References) _ctx.Checked.Add(r);
        if (!v.Allowed) Refuse(at, v, Phrases.Of(use, ParentDisplay(mr), name), m.Parent);
        else if (unsafeSig && !pointerSignatureChecked)
            _ctx.Report(at, GateIds.Pointer, $"{Phrases.Of(use, ParentDisplay(mr), name)}: its signature has a pointer type, which reads and writes memory without checks");
    }

    /// <summary>The metadata name of a member's parent type ("System.Collections.Generic.List`1"); "" if it has none.</summary>
    private string ParentMetadataName(EntityHandle parent)
    {
        if (parent.Kind == HandleKind.TypeSpecification) parent = GenericTypeOf((TypeSpecificationHandle)parent);
        return parent.Kind switch
        {
            HandleKind.TypeReference => MetadataNames.OfReference(Md, (TypeReferenceHandle)parent).FullName,
            HandleKind.TypeDefinition => MetadataNames.FullName(Md, (TypeDefinitionHandle)parent),
            _ => "",
        };
    }

    private int ParameterCount(MemberReference m)
    {
        if (m.GetKind() != MemberReferenceKind.Method) return -1;
        var reader = Md.GetBlobReader(m.Signature);
        if (reader.ReadSignatureHeader().IsGeneric) reader.ReadCompressedInteger();
        return reader.ReadCompressedInteger();
    }

    private const string DelegateOfInvoke = "a delegate of a delegate of ... (built in a loop) is called through the runtime's own stubs, where the stack guard " +
        "does not reach, and overflows the stack, which ends the whole process; use a lambda (() => f()) instead";

    /// <summary>A delegate type: the base library's (Func, Action, ...) or one the domain declares.</summary>
    private bool IsDelegateType(EntityHandle parent)
    {
        if (parent.Kind == HandleKind.TypeSpecification) parent = GenericTypeOf((TypeSpecificationHandle)parent);
        if (parent.Kind == HandleKind.TypeDefinition)
        {
            var b = Md.GetTypeDefinition((TypeDefinitionHandle)parent).BaseType;
            return b.Kind == HandleKind.TypeReference && MetadataNames.OfReference(Md, (TypeReferenceHandle)b).FullName == "System.MulticastDelegate";
        }
        if (parent.Kind != HandleKind.TypeReference) return false;
        return ValueSizes.Resolve(MetadataNames.OfReference(Md, (TypeReferenceHandle)parent)) is { } t && typeof(Delegate).IsAssignableFrom(t);
    }

    /// <summary>Reports a refusal; notes the assembly of a type from outside the reference set, which
    /// then needs no assembly-level refusal of its own (see IlGate).</summary>
    private void Refuse(SourceSpot at, Verdict v, string what, EntityHandle type)
    {
        _ctx.Report(at, v.Id, $"{what}: {v.Reason}");
        if (OwnerAssembly(type) is { Length: > 0 } owner && _ctx.List.RoleOf(owner) == AssemblyRole.Outside) _ctx.ExplainedAssemblies.Add(owner);
    }

    /// <summary>The assembly that declares a member's parent ("" for the domain itself).</summary>
    private string OwnerAssembly(EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeReference => MetadataNames.OfReference(Md, (TypeReferenceHandle)parent).Assembly,
        HandleKind.TypeSpecification when GenericTypeOf((TypeSpecificationHandle)parent) is { Kind: HandleKind.TypeReference } g
            => MetadataNames.OfReference(Md, (TypeReferenceHandle)g).Assembly,
        _ => "",
    };

    private Verdict MemberVerdict(MemberReference m, string name, bool inHelper)
    {
        var parent = m.Parent;
        switch (parent.Kind)
        {
            case HandleKind.TypeDefinition: return Verdict.Allow;
            case HandleKind.MethodDefinition:
                return new Verdict(false, GateIds.Instruction, "it is a variable-argument (__arglist) call, which reads untyped arguments");
            case HandleKind.ModuleReference:
                return new Verdict(false, GateIds.NativeCode, "it is a global function of another module, reached like native code");
            case HandleKind.TypeSpecification:
                var spec = (TypeSpecificationHandle)parent;
                var generic = GenericTypeOf(spec);
                if (generic.Kind == HandleKind.TypeReference) return MemberOfReference((TypeReferenceHandle)generic, name, inHelper);
                if (generic.Kind == HandleKind.TypeDefinition) return Verdict.Allow; // a member of the domain's own generic type
                var code = Md.GetBlobReader(Md.GetTypeSpecification(spec).Signature).ReadSignatureTypeCode();
                return code is SignatureTypeCode.SZArray or SignatureTypeCode.Array
                    ? Verdict.Allow // the runtime's own array methods (Get, Set, Address, constructors)
                    : new Verdict(false, GateIds.NotAllowed, "it is a member of a type parameter or of a type the gate cannot name");
            case HandleKind.TypeReference:
                _ctx.Checked.Add(parent);
                if (CompilerHelpers.IsNewOfTypeParameter(Md, m, MetadataNames.OfReference(Md, (TypeReferenceHandle)parent))) return Verdict.Allow;
                return MemberOfReference((TypeReferenceHandle)parent, name, inHelper);
            default:
                throw new BadImageFormatException($"a member reference's parent is a {parent.Kind}");
        }
    }

    private Verdict MemberOfReference(TypeReferenceHandle tr, string member, bool inHelper)
    {
        var type = MetadataNames.OfReference(Md, tr);
        var byType = TypeVerdict(type, inHelper, namingOnly: false);
        if (type.IsOwn) return Verdict.Allow;
        var role = _ctx.List.RoleOf(type.Assembly);
        if (role == AssemblyRole.Outside && _ctx.List.DenyFor(type.Key, member) is { } deny) return Verdict.From(deny);
        if (!byType.Allowed) return byType;
        if (role is AssemblyRole.Abi or AssemblyRole.Interfaces && PublicSurface.Of(type.Assembly) is { } surface && surface.IsHiddenMember(type.FullName, member))
            return new Verdict(false, GateIds.AccessBypass, $"it is not public in {type.Assembly}; only the kernel may use it");
        return _ctx.List.DecideMember(type.Key, member, role, () => BaseTypes.Of(type), inHelper);
    }

    private Verdict TypeVerdict(TypeRefName type, bool inHelper, bool namingOnly = true)
    {
        if (type.Assembly.StartsWith(TypeRefName.ModulePrefix, StringComparison.Ordinal))
            return new Verdict(false, GateIds.Assembly, "it is looked up in another module or through a type forwarder; a domain is a single module and forwards nothing");
        if (type.IsOwn) return Verdict.Allow;
        if (type.Key == IgnoresAccessChecks)
            return new Verdict(false, GateIds.AccessBypass, "it switches off the runtime's access checks for another assembly");
        var role = _ctx.List.RoleOf(type.Assembly);
        if (role == AssemblyRole.Outside)
            return _ctx.List.DenyFor(type.Key, null) is { } deny
                ? Verdict.From(deny)
                : new Verdict(false, GateIds.Assembly, $"it comes from {type.Assembly}, which is outside the domain reference set");
        if (role is AssemblyRole.Abi or AssemblyRole.Interfaces && PublicSurface.Of(type.Assembly)?.IsPublicType(type.FullName) == false)
            return new Verdict(false, GateIds.AccessBypass, $"it is not public in {type.Assembly}; only the kernel may use it");
        return namingOnly ? _ctx.List.DecideType(type.Key, role, inHelper) : Verdict.Allow;
    }

    /// <summary>The generic type of a generic instantiation; nil for other specifications (arrays, parameters).</summary>
    public EntityHandle GenericTypeOf(TypeSpecificationHandle spec)
    {
        var blob = Md.GetBlobReader(Md.GetTypeSpecification(spec).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return default;
        blob.ReadSignatureTypeCode(); // class or value type
        return blob.ReadTypeHandle();
    }

    private string ParentDisplay(MemberReferenceHandle mr)
    {
        var parent = Md.GetMemberReference(mr).Parent;
        return parent.Kind switch
        {
            HandleKind.TypeReference => MetadataNames.OfReference(Md, (TypeReferenceHandle)parent).Display,
            HandleKind.TypeDefinition => MetadataNames.Display(MetadataNames.FullName(Md, (TypeDefinitionHandle)parent)),
            HandleKind.TypeSpecification => new ShapeProvider(Md).DecodeType(parent).Display,
            HandleKind.ModuleReference => Md.GetString(Md.GetModuleReference((ModuleReferenceHandle)parent).Name),
            _ => "a method",
        };
    }

    private string Describe(MemberReferenceHandle mr) => MetadataNames.Member(ParentDisplay(mr), Md.GetString(Md.GetMemberReference(mr).Name));

    private Verdict Cached(EntityHandle h, bool inHelper, Func<Verdict> decide)
    {
        if (_verdicts.TryGetValue((h, inHelper), out var v)) return v;
        return _verdicts[(h, inHelper)] = decide();
    }
}

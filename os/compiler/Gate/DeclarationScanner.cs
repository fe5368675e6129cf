// os/compiler/Gate: walks everything the domain declares, in metadata order: the native
// modules it references, each type (layout, base type, interfaces, constraints, fields),
// each method (native or bodiless methods, finalizers, signatures, then its body through
// BodyScanner) and the explicit overrides. Attributes and the final sweep over unreached references
// are AttributeScanner's and ReferenceSweep's; assembly references outside the set come last, so a
// refusal at a source line (Console.WriteLine) is not repeated as "references System.Console".
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace RedLeaf.Os.Compiler.Gate;

internal sealed class DeclarationScanner
{
    private const string IgnoresAccessChecks = "System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute";
    private readonly GateContext _ctx;
    private readonly PEReader _pe;
    private readonly ReferenceChecker _refs;
    private readonly BodyScanner _bodies;
    private readonly StackLimits _limits;

    public DeclarationScanner(GateContext ctx, PEReader pe, ReferenceChecker refs, BodyScanner bodies, StackLimits limits)
    {
        _limits = limits;
        _ctx = ctx;
        _pe = pe;
        _refs = refs;
        _bodies = bodies;
    }

    private MetadataReader Md => _ctx.Md;
    private SourceLocator Where => _ctx.Locator;

    public void Scan()
    {
        var imported = new HashSet<ModuleReferenceHandle>();
        foreach (var th in Md.TypeDefinitions) Type(th, imported);
        _refs.Recursion.InsideAnonymousType = false;
        foreach (var eh in Md.ExportedTypes)
        {
            var e = Md.GetExportedType(eh);
            string forwarded = Md.GetString(e.Namespace) is { Length: > 0 } ns ? ns + "." + Md.GetString(e.Name) : Md.GetString(e.Name);
            _ctx.Report(Where.Forward(forwarded), GateIds.Assembly, $"forwards the type {MetadataNames.Display(forwarded)} to another assembly: a domain's names must mean its own types");
        }
        int modules = Md.GetTableRowCount(TableIndex.ModuleRef);
        foreach (var mh in Enumerable.Range(1, modules).Select(MetadataTokens.ModuleReferenceHandle).Where(h => !imported.Contains(h)))
            _ctx.Report(Where.Assembly, GateIds.NativeCode, $"references the native module '{Md.GetString(Md.GetModuleReference(mh).Name)}': domains may not call native code");
    }

    /// <summary>The last step, after every use was checked: an assembly reference outside the set that
    /// no refusal at a source line explains yet (it may be referenced through nothing else).</summary>
    public void AssemblyReferences()
    {
        foreach (var ah in Md.AssemblyReferences)
        {
            string name = Md.GetString(Md.GetAssemblyReference(ah).Name);
            if (_ctx.List.RoleOf(name) == AssemblyRole.Outside && !_ctx.ExplainedAssemblies.Contains(name))
                _ctx.Report(Where.Reference(ah), GateIds.Assembly, $"references the assembly {name}, which is outside the domain reference set ({string.Join(", ", _ctx.List.Assemblies.Keys.Order(StringComparer.Ordinal))})");
        }
    }

    private void Type(TypeDefinitionHandle th, HashSet<ModuleReferenceHandle> imported)
    {
        var t = Md.GetTypeDefinition(th);
        var at = Where.OfTypeOrAssembly(th);
        string full = MetadataNames.FullName(Md, th);
        string display = MetadataNames.Display(full);
        _refs.Recursion.InsideAnonymousType = UnguardedRecursion.IsAnonymousType(full) && t.GetDeclaringType().IsNil;
        if (full == IgnoresAccessChecks)
            _ctx.Report(at, GateIds.AccessBypass, $"declares {display}: the runtime would let the domain reach other assemblies' internals");
        bool hasInstanceFields = t.GetFields().Any(f => (Md.GetFieldDefinition(f).Attributes & FieldAttributes.Static) == 0);
        if ((t.Attributes & TypeAttributes.LayoutMask) == TypeAttributes.ExplicitLayout && hasInstanceFields)
            _ctx.Report(at, GateIds.UnsafeCode, $"declares {display} with explicit field offsets ([StructLayout(LayoutKind.Explicit)]): overlapping fields can turn a number into a reference");
        _limits.Type(th, at);

        _refs.Type(t.BaseType, at, $"{display} derives from");
        foreach (var ih in t.GetInterfaceImplementations()) _refs.Type(Md.GetInterfaceImplementation(ih).Interface, at, $"{display} implements");
        Constraints(t.GetGenericParameters(), at);

        foreach (var fh in t.GetFields())
        {
            var f = Md.GetFieldDefinition(fh);
            var provider = new ShapeProvider(Md);
            _refs.Shape(f.DecodeSignature(provider, null), provider, Where.Declaration(fh), $"field {display}.{Md.GetString(f.Name)} has type");
            _refs.Recursive(_refs.Recursion.OfField(fh), Where.Declaration(fh), $"field {display}.{Md.GetString(f.Name)} has type");
            _limits.Field(fh, Where.Declaration(fh));
        }
        foreach (var mh in t.GetMethods()) Method(mh, imported);
        foreach (var ih in t.GetMethodImplementations())
        {
            var impl = Md.GetMethodImplementation(ih);
            var spot = impl.MethodBody.Kind == HandleKind.MethodDefinition ? Where.Of((MethodDefinitionHandle)impl.MethodBody) : at;
            if (IsObjectFinalize(impl.MethodDeclaration))
                _ctx.Report(spot, GateIds.Finalizer, $"{display} overrides Object.Finalize under another name: {FinalizerReason}");
            else _refs.Method(impl.MethodDeclaration, spot, MemberUse.Implement);
        }
    }

    private void Method(MethodDefinitionHandle mh, HashSet<ModuleReferenceHandle> imported)
    {
        var m = Md.GetMethodDefinition(mh);
        var at = Where.Declaration(mh);
        string name = MetadataNames.MethodDisplay(Md, mh);
        var import = m.GetImport();
        var code = m.ImplAttributes & MethodImplAttributes.CodeTypeMask;
        if ((m.Attributes & MethodAttributes.PinvokeImpl) != 0 || !import.Module.IsNil)
        {
            string lib = import.Module.IsNil ? "?" : Md.GetString(Md.GetModuleReference(import.Module).Name);
            if (!import.Module.IsNil) imported.Add(import.Module);
            _ctx.Report(at, GateIds.NativeCode, $"declares {name} as a native function from '{lib}' (DllImport/LibraryImport): native code runs outside the runtime's checks");
        }
        else if ((m.ImplAttributes & MethodImplAttributes.InternalCall) != 0)
            _ctx.Report(at, GateIds.NativeCode, $"declares {name} as implemented inside the runtime (InternalCall): domains may not call the runtime's internals");
        else if (code is MethodImplAttributes.Native or MethodImplAttributes.OPTIL || (m.ImplAttributes & MethodImplAttributes.Unmanaged) != 0)
            _ctx.Report(at, GateIds.NativeCode, $"declares {name} with native code: domains are IL only");
        else if (m.RelativeVirtualAddress == 0 && (m.Attributes & MethodAttributes.Abstract) == 0 && !IsDelegateRuntimeMethod(m))
            _ctx.Report(at, GateIds.NativeCode, $"declares {name} without a body (extern): the runtime would supply it, for example as an [UnsafeAccessor] into another type's private members");

        if (Md.GetString(m.Name) == "Finalize" && (m.Attributes & MethodAttributes.Virtual) != 0 && ParameterCount(m) == 0)
            _ctx.Report(at, GateIds.Finalizer, $"declares a finalizer ({name}): {FinalizerReason}");

        var provider = new ShapeProvider(Md);
        var sig = m.DecodeSignature(provider, null);
        string usage = $"{name} has a parameter or result of type";
        foreach (var s in sig.ParameterTypes.Append(sig.ReturnType).Where(s => s.Unsafe))
            _ctx.Report(at, GateIds.Pointer, $"{usage} {s.Display}: {s.UnsafeReason}");
        foreach (var r in provider.References) _refs.Name(r, at, usage);
        _refs.Recursive(_refs.Recursion.OfMethodDefinition(mh), at, usage);
        _limits.Signature(mh, at);
        Constraints(m.GetGenericParameters(), at);

        if (m.RelativeVirtualAddress != 0) _bodies.Scan(mh, _pe.GetMethodBody(m.RelativeVirtualAddress));
    }

    private void Constraints(GenericParameterHandleCollection parameters, SourceSpot at)
    {
        foreach (var ph in parameters)
            foreach (var ch in Md.GetGenericParameter(ph).GetConstraints())
                _refs.Type(Md.GetGenericParameterConstraint(ch).Type, at, "constrains a type parameter to");
    }

    private const string FinalizerReason = "finalizers run on the runtime's own thread, outside the domain and after it is gone; a domain frees what it holds by dropping it";

    private int ParameterCount(MethodDefinition m) => Md.GetBlobReader(m.Signature) is var b && b.ReadSignatureHeader().IsGeneric
        ? SkipThen(ref b)
        : b.ReadCompressedInteger();

    private static int SkipThen(ref BlobReader b)
    {
        b.ReadCompressedInteger(); // generic parameter count
        return b.ReadCompressedInteger();
    }

    private bool IsObjectFinalize(EntityHandle decl)
    {
        if (decl.Kind != HandleKind.MemberReference) return false;
        var mr = Md.GetMemberReference((MemberReferenceHandle)decl);
        return Md.GetString(mr.Name) == "Finalize" && mr.Parent.Kind == HandleKind.TypeReference
            && MetadataNames.OfReference(Md, (TypeReferenceHandle)mr.Parent).FullName == "System.Object";
    }

    /// <summary>Delegate types' Invoke, BeginInvoke, EndInvoke and constructor have no IL: the runtime supplies them.</summary>
    private bool IsDelegateRuntimeMethod(MethodDefinition m)
    {
        if ((m.ImplAttributes & MethodImplAttributes.CodeTypeMask) != MethodImplAttributes.Runtime) return false;
        var baseType = Md.GetTypeDefinition(m.GetDeclaringType()).BaseType;
        return baseType.Kind == HandleKind.TypeReference
            && MetadataNames.OfReference(Md, (TypeReferenceHandle)baseType).FullName == "System.MulticastDelegate";
    }
}

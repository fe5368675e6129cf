// os/idl: what may cross a domain boundary. Data must be plain (no references into any domain's
// private heap): primitives, enums, unmanaged structs of such fields, and RRef handles to the shared
// heap. Domain objects cross only as [DomainInterface] interfaces, which the proxies wrap.
// A struct passed by value may not hold RRefs: roots cross as RRefs, so the proxy can move them.
using System.Linq;
using Microsoft.CodeAnalysis;

namespace RedLeaf.Idl;

internal static class ExchangeableTypes
{
    public const string AbiNamespace = "RedLeaf.Abi";
    public const string InterfaceAttribute = "RedLeaf.Abi.DomainInterfaceAttribute";

    public enum Handle { None, RRef, RRefArray, RRefDeque }

    public static Handle HandleKind(ITypeSymbol t)
    {
        if (t is not INamedTypeSymbol { IsGenericType: true } n || n.ContainingNamespace?.ToDisplayString() != AbiNamespace) return Handle.None;
        switch (n.Name)
        {
            case "RRef": return Handle.RRef;
            case "RRefArray": return Handle.RRefArray;
            case "RRefDeque": return Handle.RRefDeque;
            default: return Handle.None;
        }
    }

    public static bool IsDomainInterface(ITypeSymbol t) =>
        t.TypeKind == TypeKind.Interface && t.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == InterfaceAttribute);

    /// <summary>Null if <paramref name="t"/> may be passed or returned across a domain interface; else why not.</summary>
    public static string? WhyNotParameter(ITypeSymbol t)
    {
        if (IsDomainInterface(t)) return null;
        if (HandleKind(t) != Handle.None) return WhyNotData(((INamedTypeSymbol)t).TypeArguments[0], 0, allowHandles: true);
        return WhyNotData(t, 0, allowHandles: false);
    }

    /// <summary>Null if <paramref name="t"/> is plain data (the contents of an RRef, or a by-value struct).</summary>
    public static string? WhyNotData(ITypeSymbol t, int depth, bool allowHandles)
    {
        if (depth > 16) return "it nests too deeply";
        switch (t.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
                return null;
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
                return "native-sized integers can carry addresses";
            case SpecialType.System_String:
                return "a string is a managed object on the sender's heap; pass an RRefArray<byte> or RRefArray<char>";
        }
        switch (t.TypeKind)
        {
            case TypeKind.Enum: return null;
            case TypeKind.Pointer: case TypeKind.FunctionPointer: return "pointers are not allowed";
            case TypeKind.Array: return "a managed array lives on the sender's private heap; use RRefArray<T>";
            case TypeKind.Delegate: return "a delegate would let the callee run the caller's code without a proxy";
            case TypeKind.Interface: return "only [DomainInterface] interfaces can cross, and only as parameters or results";
            case TypeKind.Class: return "a class instance lives on the sender's private heap; use an RRef to an unmanaged struct";
            case TypeKind.TypeParameter: return "generic types cannot be checked";
            case TypeKind.Dynamic: return "dynamic is not allowed";
        }
        if (t.TypeKind != TypeKind.Struct || t is not INamedTypeSymbol s) return "it is not a value type";
        if (t.IsRefLikeType) return "a ref struct (such as Span<T>) points into the sender's memory";
        var handle = HandleKind(t);
        if (handle != Handle.None)
        {
            if (!allowHandles) return "a struct passed by value may not hold RRefs; pass the RRef itself so the proxy can move it";
            return WhyNotData(s.TypeArguments[0], depth + 1, allowHandles: true);
        }
        if (t.ContainingNamespace?.ToDisplayString() == AbiNamespace) return "this ABI type is not data";
        if (s.IsGenericType) return "generic structs other than RRef, RRefArray and RRefDeque are not allowed";
        foreach (var f in s.GetMembers().OfType<IFieldSymbol>())
        {
            if (f.IsStatic || f.IsConst) continue;
            if (f.IsFixedSizeBuffer) return $"field {f.Name} is a fixed buffer (unsafe); use [InlineArray]";
            string? why = WhyNotData(f.Type, depth + 1, allowHandles);
            if (why != null) return $"field {f.Name} of type {f.Type.ToDisplayString()}: {why}";
        }
        return null;
    }

    /// <summary>True if the type, as data, holds an RRef somewhere inside.</summary>
    public static bool HoldsHandles(ITypeSymbol t) => HandleKind(t) != Handle.None;
}

// os/idl: the IDL compiler's diagnostics. Each names the interface member and the offending type,
// and says what would be allowed instead, so a student can fix the interface without the paper.
using Microsoft.CodeAnalysis;

namespace RedLeaf.Idl;

internal static class IdlDiagnostics
{
    private const string Category = "RedLeaf.IDL";

    public static readonly DiagnosticDescriptor NotExchangeable = new(
        "RLIDL001", "Type is not exchangeable",
        "{0}: {1} is not exchangeable ({2}). Domain interfaces carry only primitives, enums, unmanaged structs of exchangeable fields, RRef/RRefArray/RRefDeque of those, and other [DomainInterface] interfaces.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MustReturnRpcResult = new(
        "RLIDL002", "Method must return RpcResult",
        "{0} returns {1}; every domain interface method returns RpcResult or RpcResult<T>, so a crash of the callee reaches the caller as a value",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MemberNotAllowed = new(
        "RLIDL003", "Member not allowed in a domain interface",
        "{0}: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BadModifier = new(
        "RLIDL004", "Parameter passing mode not allowed",
        "{0}: parameter '{1}' is passed {2}; pass values by value, RRefs by value (a move) or 'in' (an immutable borrow)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}

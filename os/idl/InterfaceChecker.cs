// os/idl: checks one [DomainInterface] against the IDL rules and, if it passes, describes it for
// the proxy emitter. Every violation becomes a diagnostic at the offending member.
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace RedLeaf.Idl;

internal enum Passing { Value, Move, Borrow, Interface }

internal sealed class ParameterModel
{
    public string Name = "", Type = "";
    public Passing Passing;
}

internal sealed class MethodModel
{
    public string Name = "", ReturnType = "";
    /// <summary>Null for plain RpcResult; else the T of RpcResult&lt;T&gt; and how it comes back.</summary>
    public string? ResultType;
    public Passing ResultPassing;
    public List<ParameterModel> Parameters = new();
}

internal sealed class InterfaceModel
{
    public string FullName = "", Name = "", Namespace = "";
    public List<MethodModel> Methods = new();
}

internal static class InterfaceChecker
{
    private static readonly SymbolDisplayFormat Full = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Members of RedLeaf.Os.Proxies.Proxy and Proxy&lt;T&gt; a generated proxy's method may not be named after.</summary>
    private static readonly string[] ProxyMembers = { "Target", "Callee", "CalleeToken", "CalleeCell", "CalleeId", "Interface", "IsBound", "HasTarget", "Bind" };

    public static InterfaceModel? Check(INamedTypeSymbol iface, List<Diagnostic> diagnostics)
    {
        int before = diagnostics.Count;
        string owner = iface.ToDisplayString();
        var loc = iface.Locations.FirstOrDefault() ?? Location.None;
        var model = new InterfaceModel
        {
            FullName = iface.ToDisplayString(Full),
            Name = iface.Name,
            Namespace = iface.ContainingNamespace.IsGlobalNamespace ? "" : iface.ContainingNamespace.ToDisplayString(),
        };
        if (iface.IsGenericType)
            diagnostics.Add(Diagnostic.Create(IdlDiagnostics.MemberNotAllowed, loc, owner, "a domain interface cannot be generic"));
        if (iface.AllInterfaces.Length > 0)
            diagnostics.Add(Diagnostic.Create(IdlDiagnostics.MemberNotAllowed, loc, owner, "a domain interface cannot inherit other interfaces; declare its methods itself"));
        if (iface.DeclaredAccessibility != Accessibility.Public)
            diagnostics.Add(Diagnostic.Create(IdlDiagnostics.MemberNotAllowed, loc, owner, "a domain interface must be public"));

        foreach (var member in iface.GetMembers())
        {
            var mloc = member.Locations.FirstOrDefault() ?? loc;
            string where = $"{iface.Name}.{member.Name}";
            if (member is not IMethodSymbol m || m.MethodKind != MethodKind.Ordinary)
            {
                if (member is IMethodSymbol { AssociatedSymbol: not null }) continue; // accessors: reported with their property/event
                diagnostics.Add(Diagnostic.Create(IdlDiagnostics.MemberNotAllowed, mloc, where, $"a domain interface holds only methods, not {(member.Kind == SymbolKind.Property ? "properties" : member.Kind.ToString().ToLowerInvariant() + "s")}"));
                continue;
            }
            if (m.IsStatic || !m.IsAbstract)
            {
                diagnostics.Add(Diagnostic.Create(IdlDiagnostics.MemberNotAllowed, mloc, where, "static members and default implementations are not allowed"));
                continue;
            }
            if (m.IsGenericMethod)
            {
                diagnostics.Add(Diagnostic.Create(IdlDiagnostics.MemberNotAllowed, mloc, where, "generic methods cannot be checked"));
                continue;
            }
            if (System.Array.IndexOf(ProxyMembers, m.Name) >= 0)
            {
                diagnostics.Add(Diagnostic.Create(IdlDiagnostics.MemberNotAllowed, mloc, where, $"'{m.Name}' is a member of the generated proxy's base class; choose another name"));
                continue;
            }
            foreach (var p in m.Parameters.Where(p => p.Name.StartsWith("__", System.StringComparison.Ordinal)))
                diagnostics.Add(Diagnostic.Create(IdlDiagnostics.MemberNotAllowed, p.Locations.FirstOrDefault() ?? mloc, $"{where} parameter '{p.Name}'", "names starting with __ are the generated proxy's own"));
            var method = new MethodModel { Name = m.Name, ReturnType = m.ReturnType.ToDisplayString(Full) };
            CheckResult(m, where, mloc, method, diagnostics);
            foreach (var p in m.Parameters)
            {
                var ploc = p.Locations.FirstOrDefault() ?? mloc;
                var pm = new ParameterModel { Name = p.Name, Type = p.Type.ToDisplayString(Full) };
                string? why = ExchangeableTypes.WhyNotParameter(p.Type);
                if (why != null)
                    diagnostics.Add(Diagnostic.Create(IdlDiagnostics.NotExchangeable, ploc, $"{where} parameter '{p.Name}'", p.Type.ToDisplayString(), why));
                bool handle = ExchangeableTypes.HandleKind(p.Type) != ExchangeableTypes.Handle.None;
                if (p.RefKind == RefKind.In && handle) pm.Passing = Passing.Borrow;
                else if (p.RefKind != RefKind.None)
                    diagnostics.Add(Diagnostic.Create(IdlDiagnostics.BadModifier, ploc, where, p.Name,
                        p.RefKind == RefKind.In ? "'in', which only RRefs may use (an immutable borrow)" : $"by '{p.RefKind.ToString().ToLowerInvariant()}'"));
                else pm.Passing = handle ? Passing.Move : ExchangeableTypes.IsDomainInterface(p.Type) ? Passing.Interface : Passing.Value;
                method.Parameters.Add(pm);
            }
            model.Methods.Add(method);
        }
        return diagnostics.Count == before ? model : null;
    }

    private static void CheckResult(IMethodSymbol m, string where, Location loc, MethodModel method, List<Diagnostic> diagnostics)
    {
        var rt = m.ReturnType as INamedTypeSymbol;
        bool isRpc = rt != null && rt.Name == "RpcResult" && rt.ContainingNamespace?.ToDisplayString() == ExchangeableTypes.AbiNamespace;
        if (!isRpc || m.ReturnsByRef || m.ReturnsByRefReadonly)
        {
            diagnostics.Add(Diagnostic.Create(IdlDiagnostics.MustReturnRpcResult, loc, where, m.ReturnType.ToDisplayString()));
            return;
        }
        if (!rt!.IsGenericType) return;
        var t = rt.TypeArguments[0];
        method.ResultType = t.ToDisplayString(Full);
        string? why = ExchangeableTypes.WhyNotParameter(t);
        if (why != null)
            diagnostics.Add(Diagnostic.Create(IdlDiagnostics.NotExchangeable, loc, $"{where} result", t.ToDisplayString(), why));
        method.ResultPassing = ExchangeableTypes.HandleKind(t) != ExchangeableTypes.Handle.None ? Passing.Move
            : ExchangeableTypes.IsDomainInterface(t) ? Passing.Interface : Passing.Value;
    }
}
